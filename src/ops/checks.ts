import { existsSync } from 'node:fs';
import { openEnvelope, sealEnvelope } from '../callback/crypto.js';
import { displayStoreUrl, type Config, type WeComConfig } from '../config.js';
import { silentLogger } from '../log.js';
import { assessStore, createStore, SCHEMA_VERSION, StoreRefused, type Store } from '../store/index.js';
import { readSqliteFile, sqlitePath, type SqliteFileFacts } from './sqliteFiles.js';
import { createWeComClient, WeComConfigError, WeComError, WeComTransportError, type AgentGetResponse, type WeComClient } from '../wecom/index.js';

/** The checks, in the order they are told. */
export type CheckId = 'node' | 'corp' | 'admins' | 'callback' | 'store' | 'agentSecret' | 'contactSecret' | 'app' | 'contactApi' | 'range' | 'members';

/**
 * One check's outcome: its line is the locale string `ops.check.<id>.<outcome>` with `params`; `skip` when a check
 * it needs failed first.
 */
export interface CheckResult {
  id: CheckId;
  status: 'pass' | 'fail' | 'skip';
  outcome: string;
  params: Record<string, string | number>;
  /**
   * Lists of members the line names, by parameter (`users`, `unknown`, `outside`): said in the reader's language
   * (`张三（zhangsan）、李四（lisi）`, `Zhang San (zhangsan), Li Si (lisi)`).
   */
  people?: Record<string, { userid: string; name?: string }[]>;
  /** WeCom's whole errmsg when WeCom refused (its "from ip: …" included): logged, and told to the admins. */
  errmsg?: string;
}

/** The oldest Node.js the bot runs on. */
const NODE_MIN: [number, number] = [22, 13];

const pass = (id: CheckId, outcome: string, params: CheckResult['params'] = {}): CheckResult => ({ id, status: 'pass', outcome, params });
const fail = (id: CheckId, outcome: string, params: CheckResult['params'] = {}, errmsg?: string): CheckResult => ({
  id,
  status: 'fail',
  outcome,
  params,
  ...(errmsg ? { errmsg } : {}),
});
const skip = (id: CheckId): CheckResult => ({ id, status: 'skip', outcome: 'skipped', params: {} });

/** The IP WeCom saw, from a 60020's errmsg ("…, from ip: 203.0.113.7, more info at …"). */
export function ipOf(errmsg: string): string {
  return /from ip: ?([0-9a-fA-F.:]+)/.exec(errmsg)?.[1] ?? '?';
}

/** A WeCom refusal as a check outcome common to every call: the IP (60020), or the errcode and its errmsg. */
function refusal(id: CheckId, err: unknown, base: string): CheckResult {
  if (WeComError.is(err) || WeComConfigError.is(err)) {
    const errmsg = WeComError.is(err) ? err.errmsg : err.errmsg;
    if (err.errcode === 60020) return fail(id, 'ip', { ip: ipOf(errmsg) }, errmsg);
    return fail(id, 'refused', { errcode: err.errcode, errmsg: errmsg.split(',')[0] ?? '' }, errmsg);
  }
  if (WeComTransportError.is(err)) return fail(id, 'unreachable', { base, problem: (err as Error).message });
  return fail(id, 'unreachable', { base, problem: (err as Error)?.message ?? String(err) });
}

function nodeCheck(): CheckResult {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  const ok = major > NODE_MIN[0] || (major === NODE_MIN[0] && minor >= NODE_MIN[1]);
  return ok ? pass('node', 'ok', { version: process.versions.node }) : fail('node', 'old', { version: process.versions.node });
}

/** The callback's Token and EncodingAESKey seal and open a message as WeCom does (a wrong key cannot). */
function callbackCheck(config: Config, wecom: WeComConfig): CheckResult {
  const secrets = { token: wecom.token, encodingAesKey: wecom.encodingAesKey, receiveId: wecom.corpId };
  try {
    const sealed = sealEnvelope(secrets, '<xml><Content>check</Content></xml>');
    const opened = openEnvelope(secrets, sealed, sealed.encrypt);
    if (!opened.includes('check')) throw new Error('round trip');
  } catch {
    return fail('callback', 'key');
  }
  return pass('callback', 'ok', { path: '/wecom/callback', listen: `${config.host}:${config.port}` });
}

/**
 * The store, read only: a SQLite file is read without being created or changed (it need not exist yet: the first
 * start makes it); a Redis store is asked what it records.
 */
async function storeCheck(config: Config, wecom: WeComConfig, given?: Store): Promise<CheckResult> {
  const url = displayStoreUrl(config.storeUrl);
  const params = { url, corp: wecom.corpId };
  if (!given && config.storeUrl.startsWith('sqlite://')) {
    const path = sqlitePath(config.storeUrl);
    if (!existsSync(path)) return pass('store', 'new', params);
    let facts: SqliteFileFacts;
    try {
      facts = readSqliteFile(path);
    } catch (err) {
      return fail('store', 'unreachable', { url, problem: (err as Error).message });
    }
    if (facts.schema > SCHEMA_VERSION) return fail('store', 'newer', { url, version: facts.schema, supported: SCHEMA_VERSION });
    if (facts.corp && facts.corp !== wecom.corpId) return fail('store', 'otherCorp', { url, stored: facts.corp, current: wecom.corpId });
    if (facts.corp) return pass('store', 'ok', { ...params, schema: facts.schema });
    return facts.records === 0 ? pass('store', 'new', params) : pass('store', 'older', params);
  }
  let store: Store;
  try {
    store = given ?? (await createStore(config.storeUrl, { prefix: config.storePrefix }));
  } catch (err) {
    return fail('store', 'unreachable', { url, problem: (err as Error).message });
  }
  try {
    await store.ping();
    const found = await assessStore(store, { corp: wecom.corpId, wecomCorpId: wecom.corpId, tokenKeys: [], url, exclusive: false });
    return pass('store', found.binding === 'new' ? 'new' : 'ok', { ...params, schema: found.version });
  } catch (err) {
    if (err instanceof StoreRefused) return fail('store', err.reason, { url, ...err.params });
    return fail('store', 'unreachable', { url, problem: (err as Error).message });
  } finally {
    if (!given) await store.close();
  }
}

async function secretCheck(id: 'agentSecret' | 'contactSecret', client: WeComClient, secret: string, base: string): Promise<CheckResult> {
  const variable = id === 'agentSecret' ? 'WECOM_AGENT_SECRET' : 'WECOM_CONTACT_SECRET';
  try {
    await client.http.tokens.get(secret);
    return pass(id, 'ok', { variable });
  } catch (err) {
    if (WeComConfigError.is(err) && (err.errcode === 40001 || err.errcode === 41004)) return fail(id, 'secret', { variable }, err.errmsg);
    if (WeComConfigError.is(err) && err.errcode === 40013) return fail(id, 'corpId', { variable: 'WECOM_CORP_ID' }, err.errmsg);
    return refusal(id, err, base);
  }
}

/**
 * Every member of the app's visible range that the contacts list: the departments it names (each walked) and the
 * members it names. Tags in the range are not walked (their members are counted apart, as tags).
 */
async function membersInRange(client: WeComClient, agent: AgentGetResponse): Promise<Set<string>> {
  const members = new Set((agent.allow_userinfos?.user ?? []).map((u) => u.userid));
  const departments = new Set<number>();
  for (const party of agent.allow_partys?.partyid ?? []) {
    for (const d of (await client.contacts.departments(party)).department_id) departments.add(d.id);
  }
  for (const department of departments) for (const m of (await client.contacts.members(department)).userlist) members.add(m.userid);
  return members;
}

/** BOT_ADMINS and BOT_MANAGERS: each a member of the corp, in the app's visible range. */
async function membersCheck(config: Config, client: WeComClient, base: string): Promise<CheckResult> {
  const people = [...new Set([...config.admins, ...config.managers])];
  if (people.length === 0) return skip('members');
  const unknown: { userid: string }[] = [];
  const outside: { userid: string }[] = [];
  const named: { userid: string; name?: string }[] = [];
  for (const userid of people) {
    try {
      const member = await client.contacts.member(userid);
      named.push({ userid, ...(member.name && member.name !== userid ? { name: member.name } : {}) });
    } catch (err) {
      if (WeComError.is(err) && err.errcode === 60111) unknown.push({ userid });
      else if (WeComError.is(err) && err.errcode === 60011) outside.push({ userid });
      else return refusal('members', err, base);
    }
  }
  if (unknown.length > 0 && outside.length > 0) return { ...fail('members', 'unknownAndOutside'), people: { unknown, outside } };
  if (unknown.length > 0) return { ...fail('members', 'unknown'), people: { users: unknown } };
  if (outside.length > 0) return { ...fail('members', 'outside'), people: { users: outside } };
  return { ...pass('members', 'ok'), people: { users: named } };
}

/** Options of {@link runSetupChecks}. */
export interface CheckOptions {
  /** The client to use (the running bot's); default a fresh one with no retries, so a check answers quickly. */
  client?: WeComClient;
  /** The store to look at (the running bot's); default the configured one, opened and closed here. */
  store?: Store;
  /** Leave out checks that only make sense before a start (the store's, which the start itself did). */
  atStart?: boolean;
}

/**
 * The setup checks of `npm run check` (and, at start, of the bot itself), in order: Node.js, the root admins, the
 * callback secrets, the store, each secret's access token, the app and its visible range, the 客户联系 permission, and
 * the members named in BOT_ADMINS and BOT_MANAGERS. A check that needs one that failed is skipped. Reads only.
 */
export async function runSetupChecks(config: Config, options: CheckOptions = {}): Promise<CheckResult[]> {
  const wecom = config.wecom;
  if (!wecom) return [nodeCheck(), fail('corp', 'demo')];
  const results: CheckResult[] = [];
  if (!options.atStart) results.push(nodeCheck(), pass('corp', 'ok', { corp: wecom.corpId }));
  results.push(config.admins.length > 0 ? { ...pass('admins', 'ok'), people: { users: config.admins.map((userid) => ({ userid })) } } : fail('admins', 'none'));
  if (!options.atStart) {
    results.push(callbackCheck(config, wecom));
    results.push(await storeCheck(config, wecom, options.store));
  }
  const base = wecom.apiBase;
  const client =
    options.client ??
    createWeComClient({
      corpId: wecom.corpId,
      agentId: wecom.agentId,
      agentSecret: wecom.agentSecret,
      contactSecret: wecom.contactSecret,
      apiBase: base,
      retries: 0,
      timeoutMs: 8000,
      log: silentLogger,
    });
  try {
    const agentSecret = await secretCheck('agentSecret', client, wecom.agentSecret, base);
    results.push(agentSecret);
    const separate = wecom.contactSecret !== wecom.agentSecret;
    const contactSecret = separate ? await secretCheck('contactSecret', client, wecom.contactSecret, base) : agentSecret;
    if (separate) results.push(contactSecret);

    let agent: AgentGetResponse | undefined;
    if (agentSecret.status !== 'pass') results.push(skip('app'));
    else {
      try {
        agent = await client.app.get();
        results.push(pass('app', 'ok', { name: agent.name, agentid: agent.agentid }));
      } catch (err) {
        results.push(
          WeComError.is(err) && (err.errcode === 40056 || err.errcode === 301002)
            ? fail('app', 'agentId', { agentid: wecom.agentId }, err.errmsg)
            : refusal('app', err, base),
        );
      }
    }

    let followers: Set<string> | undefined;
    if (contactSecret.status !== 'pass') results.push(skip('contactApi'));
    else {
      try {
        followers = new Set((await client.externalContact.getFollowUsers()).follow_user);
        results.push(pass('contactApi', 'ok', { count: followers.size }));
      } catch (err) {
        if (WeComError.is(err) && err.errcode === 48002)
          results.push(fail('contactApi', separate ? 'systemSecret' : 'notAllowed', { app: agent?.name ?? '' }, err.errmsg));
        else results.push(refusal('contactApi', err, base));
      }
    }

    if (!agent) results.push(skip('range'));
    else {
      try {
        const members = await membersInRange(client, agent);
        const withContact = followers ? [...members].filter((m) => followers.has(m)).length : undefined;
        const tags = agent.allow_tags?.tagid?.length ?? 0;
        if (members.size === 0 && tags === 0) results.push(fail('range', 'empty', { app: agent.name }));
        else if (tags > 0) results.push(pass('range', 'withTags', { members: members.size, tags }));
        else results.push(pass('range', withContact === undefined ? 'members' : 'ok', { members: members.size, withContact: withContact ?? 0 }));
      } catch (err) {
        results.push(refusal('range', err, base));
      }
    }
    results.push(agent ? await membersCheck(config, client, base) : skip('members'));
  } finally {
    if (!options.client) await client.close();
  }
  return results;
}

/** True when every check passed. */
export function allPassed(results: readonly CheckResult[]): boolean {
  return results.every((r) => r.status === 'pass');
}
