import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import type { WeComConfig } from '../config.js';
import { Captures } from './captures.js';
import { CallbackSender, type CallbackFields } from './callbacks.js';
import type { Corp } from './corp.js';
import { appEndpoints } from './endpoints/app.js';
import { contactWayEndpoints } from './endpoints/contactWays.js';
import { customerEndpoints } from './endpoints/customers.js';
import { groupChatEndpoints } from './endpoints/groupchats.js';
import { messageEndpoints } from './endpoints/messages.js';
import { momentEndpoints } from './endpoints/moments.js';
import { statisticsEndpoints } from './endpoints/statistics.js';
import { tagEndpoints } from './endpoints/tags.js';
import { transferEndpoints } from './endpoints/transfers.js';
import type { Endpoint, SimContext } from './endpoints/types.js';
import { SimError, simError } from './errors.js';
import { FaultInjector, type FaultOptions } from './faults.js';
import { generateCorp, type DemoCorpOptions } from './generate.js';
import { randomId } from './random.js';

export { Captures, type CapturedMessage, type CapturedCardUpdate } from './captures.js';
export { Corp, dayStart } from './corp.js';
export type { FaultOptions } from './faults.js';

/** Options of {@link createSimulator}. */
export interface SimulatorOptions extends DemoCorpOptions {
  corpId?: string;
  agentId?: number;
  agentSecret?: string;
  /** Defaults to a secret of its own (the 客户联系 secret). */
  contactSecret?: string;
  token?: string;
  encodingAesKey?: string;
  /** Listen address; default 127.0.0.1 on a free port. */
  host?: string;
  port?: number;
  /** Access-token lifetime (WeCom: 7200 s). */
  tokenTtlSeconds?: number;
  /** How long a customer transfer waits before the takeover (WeCom: 24 h); default 0. */
  transferDelayMs?: number;
  /** How long an add_moment_task job runs; default 200 ms. */
  momentJobDelayMs?: number;
  /** How long a welcome code lives (WeCom: 20 s). */
  welcomeCodeTtlMs?: number;
  /** groupchat/list without owner_filter answers 81017 when the corp has more members than this (WeCom: 1000). */
  ownerFilterThreshold?: number;
  /** App messages per member per minute before WeCom drops them (WeCom: 30). */
  messagesPerMemberPerMinute?: number;
  /** The bot's base URL, for callbacks. */
  botUrl?: string;
  faults?: FaultOptions;
}

/** A request the simulator received (access_token removed). */
export interface RecordedRequest {
  method: string;
  /** Under /cgi-bin/, e.g. `externalcontact/list`. */
  path: string;
  query: Record<string, string>;
  body: Record<string, unknown>;
  at: number;
  /** What the simulator answered (0 = executed); absent for dropped connections and HTTP 500s. */
  errcode?: number;
}

/** A running WeCom simulator. */
export interface Simulator {
  /** API origin, to use as WECOM_API_BASE. */
  url: string;
  corpId: string;
  agentId: number;
  agentSecret: string;
  contactSecret: string;
  token: string;
  encodingAesKey: string;
  corp: Corp;
  /** What the bot sent (message/send, update_template_card). */
  captures: Captures;
  /** Every API request, in order. */
  requests: RecordedRequest[];
  /** Fault injection knobs; change them at any time. */
  faults: FaultOptions;
  /** Where callbacks go. */
  botUrl: string | undefined;
  /** The config a bot needs to talk to this simulator. */
  wecomConfig(): WeComConfig;
  /** The same as environment variables of the contract (WECOM_CORP_ID …), for a bot started as a process. */
  botEnv(): Record<string, string>;
  /** Requests to one path (e.g. `externalcontact/transfer_customer`). */
  calls(path: string): RecordedRequest[];
  /** Makes every issued access token expire now (the next call with one answers 42001). */
  expireTokens(): void;
  /** A member types `content` to the app. Resolves with the HTTP statuses of the `times` deliveries. */
  sendText(userid: string, content: string, times?: number): Promise<number[]>;
  /** A sealed callback (query string and body) as WeCom would POST it, for callers that deliver it themselves. */
  envelope(fields: CallbackFields): { query: string; body: string };
  /** Delivers any callback (event or message) `times` times. */
  deliver(fields: CallbackFields, times?: number): Promise<number[]>;
  /**
   * A customer adds a member: the link is created, a welcome code issued (valid 20 s), and add_external_contact sent.
   */
  addExternalContact(
    userid: string,
    opts?: { externalUserId?: string; state?: string; withWelcomeCode?: boolean; times?: number },
  ): Promise<{ externalUserId: string; welcomeCode: string | undefined; statuses: number[] }>;
  /** A member clicks a button of a card the bot sent: template_card_event with a fresh response_code. */
  clickCard(userid: string, taskId: string, eventKey: string, times?: number): Promise<number[]>;
  /** A waiting transfer fails (customer refused or takeover full) and transfer_fail is sent. */
  failTransfer(externalUserId: string, reason: 'customer_refused' | 'customer_limit_exceed'): Promise<number[]>;
  close(): Promise<void>;
}

const ENDPOINTS: Endpoint[] = [
  ...customerEndpoints,
  ...transferEndpoints,
  ...groupChatEndpoints,
  ...tagEndpoints,
  ...contactWayEndpoints,
  ...messageEndpoints,
  ...momentEndpoints,
  ...statisticsEndpoints,
  ...appEndpoints,
];

function aesKey(): string {
  // 43 base64 characters without '+' or '/' decode to 32 bytes.
  return `${randomBytes(32).toString('base64').replace(/[+/=]/g, '').padEnd(43, 'A').slice(0, 42)}A`;
}

async function readJson(req: NodeJS.ReadableStream): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw simError(40058, 'body is not JSON');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw simError(40058, 'body must be a JSON object');
  return parsed as Record<string, unknown>;
}

/**
 * Starts a stateful WeCom simulator on loopback: gettoken and every customer-contact and app-message endpoint the
 * client calls, with WeCom's validation, errcodes, pagination and state changes, a seeded demo corp, captured
 * messages, callbacks to the bot with WeCom's crypto, and fault injection.
 */
export async function createSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const corpId = options.corpId ?? 'wwsim0000000000001';
  const agentId = options.agentId ?? 1000002;
  const agentSecret = options.agentSecret ?? randomBytes(24).toString('base64url');
  const contactSecret = options.contactSecret ?? randomBytes(24).toString('base64url');
  const token = options.token ?? randomBytes(12).toString('hex');
  const encodingAesKey = options.encodingAesKey ?? aesKey();
  const tokenTtl = options.tokenTtlSeconds ?? 7200;

  const corp = generateCorp(options, {
    transferDelayMs: options.transferDelayMs ?? 0,
    momentJobDelayMs: options.momentJobDelayMs ?? 200,
    welcomeCodeTtlMs: options.welcomeCodeTtlMs ?? 20_000,
  });
  const captures = new Captures();
  const requests: RecordedRequest[] = [];
  const faults = new FaultInjector(options.seed ?? 1);
  faults.options = options.faults ?? {};
  const tokens = new Map<string, { kind: 'agent' | 'contact'; expiresAt: number }>();
  const context: SimContext = {
    corp,
    agentId,
    captures,
    ownerFilterThreshold: options.ownerFilterThreshold ?? 1000,
    messagesPerMemberPerMinute: options.messagesPerMemberPerMinute ?? 30,
  };
  const sender = new CallbackSender({ token, encodingAesKey, receiveId: corpId }, agentId);
  sender.botUrl = options.botUrl;

  const byRoute = new Map(ENDPOINTS.map((e) => [`${e.method} ${e.path}`, e]));
  const knownPaths = new Set(ENDPOINTS.map((e) => e.path));

  const gettoken = (query: Record<string, string>) => {
    if (!query.corpid) throw simError(40013, 'missing corpid');
    if (query.corpid !== corpId) throw simError(40013);
    if (!query.corpsecret) throw simError(41004);
    const kind = query.corpsecret === agentSecret ? 'agent' : query.corpsecret === contactSecret ? 'contact' : undefined;
    if (!kind) throw simError(40001);
    const issued = randomId(corp.random, '', 64);
    tokens.set(issued, { kind, expiresAt: Date.now() + tokenTtl * 1000 });
    return { access_token: issued, expires_in: tokenTtl };
  };

  const app = new Koa();
  app.use(async (ctx) => {
    const match = /^\/cgi-bin\/(.+)$/.exec(ctx.path);
    if (!match) {
      ctx.status = 404;
      return;
    }
    const path = match[1] as string;
    const params = new URLSearchParams(ctx.querystring);
    const query = Object.fromEntries([...params.entries()].filter(([k]) => k !== 'access_token'));
    let record: RecordedRequest | undefined;
    const respond = (payload: Record<string, unknown>) => {
      if (record) record.errcode = payload.errcode as number;
      ctx.type = 'application/json';
      ctx.body = JSON.stringify(payload);
    };
    try {
      const body = ctx.method === 'POST' ? await readJson(ctx.req) : {};
      record = { method: ctx.method, path, query: path === 'gettoken' ? { corpid: query.corpid ?? '' } : query, body, at: Date.now() };
      requests.push(record);
      const latency = faults.latency(path);
      if (latency > 0) await new Promise((r) => setTimeout(r, latency));
      const fault = faults.decide(path);
      if (fault.kind === 'drop') {
        ctx.req.socket.destroy();
        return;
      }
      if (fault.kind === 'http500') {
        ctx.status = 500;
        ctx.body = 'Internal Server Error';
        return;
      }
      if (fault.kind === 'errcode') throw simError(fault.errcode);
      if (path === 'gettoken') {
        respond({ errcode: 0, errmsg: 'ok', ...gettoken(query) });
        return;
      }
      const endpoint = byRoute.get(`${ctx.method} ${path}`);
      if (!endpoint) {
        if (knownPaths.has(path)) throw simError(40058, `wrong HTTP method ${ctx.method}`);
        ctx.status = 404;
        respond({ errcode: 404, errmsg: `no such API: ${path}` });
        return;
      }
      const accessToken = params.get('access_token');
      if (!accessToken) throw simError(41001);
      const issued = tokens.get(accessToken);
      if (!issued) throw simError(40014);
      if (issued.expiresAt <= Date.now()) throw simError(42001);
      if (endpoint.token === 'agent' && issued.kind !== 'agent' && agentSecret !== contactSecret) throw simError(48002);
      const result = endpoint.handle({ query, body, tokenKind: issued.kind }, context);
      respond({ errcode: 0, errmsg: 'ok', ...result });
    } catch (err) {
      if (err instanceof SimError) {
        respond({ errcode: err.errcode, errmsg: err.errmsg });
        return;
      }
      ctx.status = 500;
      ctx.body = `simulator error: ${(err as Error).message}`;
    }
  });

  const server: Server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;

  const sim: Simulator = {
    url,
    corpId,
    agentId,
    agentSecret,
    contactSecret,
    token,
    encodingAesKey,
    corp,
    captures,
    requests,
    get faults() {
      return faults.options;
    },
    set faults(value: FaultOptions) {
      faults.options = value;
    },
    get botUrl() {
      return sender.botUrl;
    },
    set botUrl(value: string | undefined) {
      sender.botUrl = value;
    },
    wecomConfig: () => ({ corpId, agentId, agentSecret, contactSecret, token, encodingAesKey, apiBase: url }),
    botEnv: () => ({
      WECOM_CORP_ID: corpId,
      WECOM_AGENT_ID: String(agentId),
      WECOM_AGENT_SECRET: agentSecret,
      WECOM_CONTACT_SECRET: contactSecret,
      WECOM_TOKEN: token,
      WECOM_ENCODING_AES_KEY: encodingAesKey,
      WECOM_API_BASE: url,
    }),
    calls: (path) => requests.filter((r) => r.path === path),
    expireTokens() {
      for (const entry of tokens.values()) entry.expiresAt = 0;
    },
    sendText: (userid, content, times = 1) => sender.deliver({ FromUserName: userid, MsgType: 'text', Content: content, MsgId: sender.nextMsgId() }, times),
    envelope: (fields) => sender.envelope(fields),
    deliver: (fields, times = 1) => sender.deliver(fields, times),
    async addExternalContact(userid, opts = {}) {
      corp.member(userid);
      const externalUserId = opts.externalUserId ?? corp.addCustomersTo(userid, 1)[0]!;
      if (!corp.customers.has(externalUserId)) {
        throw new Error(`unknown customer ${externalUserId}`);
      }
      if (!corp.followsByUser.get(userid)?.has(externalUserId)) {
        corp.addFollow({
          userid,
          external_userid: externalUserId,
          remark: '',
          description: '',
          createtime: corp.nowSeconds(),
          tagIds: [],
          remark_corp_name: '',
          remark_mobiles: [],
          add_way: opts.state ? 1 : 3,
          state: opts.state ?? '',
          oper_userid: externalUserId,
        });
      }
      let welcomeCode: string | undefined;
      if (opts.withWelcomeCode !== false) {
        welcomeCode = corp.newId('WC', 40);
        corp.welcomeCodes.set(welcomeCode, {
          code: welcomeCode,
          userid,
          external_userid: externalUserId,
          expiresAt: corp.now() + corp.timing.welcomeCodeTtlMs,
          used: false,
        });
      }
      const statuses = await sender.deliver(
        {
          FromUserName: 'sys',
          MsgType: 'event',
          Event: 'change_external_contact',
          ChangeType: 'add_external_contact',
          UserID: userid,
          ExternalUserID: externalUserId,
          State: opts.state,
          WelcomeCode: welcomeCode,
        },
        opts.times ?? 1,
      );
      return { externalUserId, welcomeCode, statuses };
    },
    clickCard(userid, taskId, eventKey, times = 1) {
      const message = captures.cardsByTaskId.get(taskId);
      const code = captures.issueResponseCode(taskId, [userid]);
      return sender.deliver(
        {
          FromUserName: userid,
          MsgType: 'event',
          Event: 'template_card_event',
          EventKey: eventKey,
          TaskId: taskId,
          CardType: message?.card?.card_type ?? 'button_interaction',
          ResponseCode: code,
        },
        times,
      );
    },
    failTransfer(externalUserId, reason) {
      const transfer = corp.failTransfer(externalUserId, reason);
      return sender.deliver({
        FromUserName: 'sys',
        MsgType: 'event',
        Event: 'change_external_contact',
        ChangeType: 'transfer_fail',
        UserID: transfer.takeover,
        ExternalUserID: externalUserId,
        FailReason: reason,
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return sim;
}
