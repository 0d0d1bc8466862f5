import { expect } from 'chai';
import type { Runtime } from '../../src/runtime.js';
import { createSimulator, type Simulator } from '../../src/simulator/index.js';
import { createStore, SCHEMA_VERSION } from '../../src/store/index.js';
import { tokenCacheKey } from '../../src/wecom/index.js';
import { createSqliteStore } from '../../src/store/sqlite.js';
import { scriptCommand, spawnCollecting } from '../helpers/process.js';
import { upgradeReason } from '../../src/store/legacy-reasons.js';
import { refusal, startCorpBot, until } from '../helpers/runtime.js';
import { createClient } from '@keyv/redis';
import { copySqliteFixture, loadRedisFixture, redisPrefix, redisUrl, tempSqliteUrl } from '../helpers/stores.js';

/** The audit log as zhangsan reads it after typing `text` (a reply of two parts), apart from the resumed job's report. */
async function auditAnswer(sim: Simulator, text: string): Promise<string> {
  const before = sim.captures.messages.length;
  const parts = () =>
    sim.captures.messages.slice(before).filter((m) => m.touser.includes('zhangsan') && /审计记录|稽核紀錄|audit entries/.test(m.content ?? ''));
  await sim.sendText('zhangsan', text);
  await until(() => parts().length === 2, `the answer to ${text}`);
  return parts()
    .map((m) => m.content ?? '')
    .join('\n');
}

/**
 * The audit log the schema-1 fixture holds, read after the migration in each script: every reason in words, the
 * field and the member labelled for the reader, no recorded string shown as it was kept.
 */
async function expectReasonsInWords(sim: Simulator): Promise<void> {
  const zhHans = await auditAnswer(sim, '/审计 --limit 30');
  expect(zhHans).to.contain('没有权限：这个操作需要管理员权限');
  expect(zhHans).to.contain('条数（--limit）的值 0 超出范围（1 到 100）');
  expect(zhHans).to.contain('张三（zhangsan）是 BOT_ADMINS 里的根管理员，不能在聊天中移除');
  expect(zhHans).to.contain('客户 ID 无效').and.contain('`errcode 40096`');
  expect(zhHans).to.contain('被同一事项更新的确认卡片取代');
  const zhHant = await auditAnswer(sim, '/審計 --limit 30');
  expect(zhHant).to.contain('沒有權限：這個操作需要管理員權限').and.contain('筆數（--limit）的值 0 超出範圍（1 到 100）');
  expect(zhHant).to.contain('被同一事項更新的確認卡片取代').and.contain('张三（zhangsan）是 BOT_ADMINS 裡的根管理員');
  const en = await auditAnswer(sim, '/audit --limit 30');
  expect(en).to.contain('Not allowed: this needs the admin role').and.contain('replaced by a newer card on the same subject');
  expect(en).to.contain('count (--limit): 0 is out of range (1 to 100)').and.contain('张三 (zhangsan) is a root admin (BOT_ADMINS)');
  for (const text of [zhHans, zhHant, en]) {
    expect(text).not.to.match(/needs admin|errors\.parse|commands\.roles|superseded|\{\w+\}/);
  }
}

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The fixtures' corp: the corp their work was addressed to (an inbox entry, a job), which schema 1 records. */
async function fixtureSim(): Promise<Simulator> {
  const sim = await createSimulator({ members: 10, customers: 300, seed: 3 });
  cleanups.push(() => sim.close());
  sim.corp.addCustomersTo('wangwu', 470);
  return sim;
}

/**
 * What an earlier version left, seen through the migrated bot: the callback acknowledged before the upgrade runs
 * (zhangsan's /帮助 is answered), the bulk transfer stopped half-way resumes, the welcome text set before is the one sent.
 */
async function expectStoreKept(sim: Simulator): Promise<void> {
  await until(() => sim.captures.messages.some((m) => m.touser.includes('zhangsan') && /命令/.test(m.content ?? '')), 'the /帮助 reply');
  await until(() => sim.calls('externalcontact/transfer_customer').length > 0, 'the resumed transfer');
  expect(sim.calls('externalcontact/transfer_customer')[0]!.body).to.include({ handover_userid: 'wangwu', takeover_userid: 'lisi' });
  await sim.addExternalContact('lisi');
  await until(() => sim.corp.welcomesSent.length === 1, 'the welcome message');
  expect(sim.corp.welcomesSent[0]!.text).to.deep.equal({ content: '您好，这是演示的欢迎语' });
}

describe('store migrations: from a store written by the version before (schema 0)', () => {
  it('SQLite: migrates to the current schema, keeps every record, resumes the job and runs the acknowledged callback', async () => {
    const { url, cleanup } = tempSqliteUrl();
    cleanups.push(cleanup);
    copySqliteFixture('schema-0.sqlite', url);
    const sim = await fixtureSim();
    const bot = await startCorpBot(sim, url);
    cleanups.push(() => bot.stop());
    expect(bot.prepared).to.deep.include({ binding: 'adopted', evidence: 'inbox', migrated: { from: 0, to: SCHEMA_VERSION } });
    expect(await bot.store.admin.schemaVersion()).to.equal(SCHEMA_VERSION);
    expect(await bot.store.admin.readMeta()).to.include({ corp: sim.corpId });
    await expectStoreKept(sim);
  });

  it('SQLite: a store of the demo, written before the demo had its own file, is refused for a real corp and left as it was', async () => {
    const { url, cleanup } = tempSqliteUrl();
    cleanups.push(cleanup);
    copySqliteFixture('schema-0.sqlite', url);
    const real = await createSimulator({ corpId: 'wwrealcorp0000001', members: 10, customers: 10, seed: 5 });
    cleanups.push(() => real.close());
    const message = await refusal(startCorpBot(real, url));
    expect(message).to.match(/was written by an earlier version and holds the demo's data .*this start is for corp wwrealcorp0000001/);
    const store = await createStore(url);
    expect(await store.admin.schemaVersion(), 'not migrated').to.equal(0);
    await store.close();
    expect(real.corp.welcomesSent).to.have.length(0);
  });

  it('SQLite: an earlier store where nothing shows whose it is (a demo that only set a welcome text) is refused until npm run store -- adopt says it is this corp’s', async function () {
    this.timeout(30_000);
    const { url, cleanup } = tempSqliteUrl();
    cleanups.push(cleanup);
    const file = copySqliteFixture('schema-0.sqlite', url);
    // What the demo of the earlier version left after one /欢迎语 设置: no callback waiting, no directory read.
    const raw = createSqliteStore(file);
    raw.db.exec("DELETE FROM inbox; DELETE FROM kv WHERE ns IN ('member-directory', 'jobs')");
    await raw.close();
    const real = await createSimulator({ corpId: 'wwrealcorp0000001', members: 10, customers: 10, seed: 5 });
    cleanups.push(() => real.close());
    const message = await refusal(startCorpBot(real, url));
    expect(message).to.contain('nothing in it shows which corp wrote it').and.contain('npm run store -- adopt').and.contain('npm run store -- reset');
    expect(real.corp.welcomesSent).to.have.length(0);
    // The operator says it is this corp's.
    const { node, args } = scriptCommand('store');
    const adopt = spawnCollecting(node, [...args, 'adopt'], { env: { PATH: process.env.PATH, ...real.botEnv(), STORE_URL: url } });
    expect(await adopt.exit(), adopt.output()).to.equal(0);
    expect(adopt.output().trim()).to.equal(`✓ ${url} 现在是企业 wwrealcorp0000001的存储（结构版本 ${SCHEMA_VERSION}）`);
    const bot = await startCorpBot(real, url);
    expect(bot.prepared.binding).to.equal('same');
    await bot.stop();
  });

  it('SQLite: an earlier store holding a live token of this corp’s secret is adopted on that evidence, and the bot then uses the token', async () => {
    const { url, cleanup } = tempSqliteUrl();
    cleanups.push(cleanup);
    const file = copySqliteFixture('schema-0.sqlite', url);
    const real = await createSimulator({ corpId: 'wwrealcorp0000001', members: 10, customers: 10, seed: 5 });
    cleanups.push(() => real.close());
    const raw = createSqliteStore(file);
    raw.db.exec("DELETE FROM inbox; DELETE FROM kv WHERE ns IN ('member-directory', 'jobs', 'tokens')");
    const env = real.botEnv();
    const token = { token: 'live-token-of-this-corp', expiresAt: Date.now() + 3600_000 };
    await raw.namespace<typeof token>({ name: 'tokens', lookOnly: true }).set(tokenCacheKey(env.WECOM_CORP_ID!, env.WECOM_AGENT_SECRET!), token);
    await raw.close();
    // The identity check looks into the client's token namespace; the client then opens it as its own, on one store.
    const bot = await startCorpBot(real, url);
    cleanups.push(() => bot.stop());
    expect(bot.prepared).to.deep.include({ binding: 'adopted', evidence: 'token' });
    await real.sendText('zhangsan', '/帮助');
    await until(() => real.captures.messages.some((m) => m.touser.includes('zhangsan')), 'the /帮助 reply');
  });

  it('Redis: migrates to the current schema and keeps the records, the job and the acknowledged callback', async function () {
    const base = redisUrl();
    if (!base) this.skip();
    const { prefix, wipe } = redisPrefix();
    cleanups.push(() => wipe(base!));
    await loadRedisFixture('schema-0.redis.json', base!, prefix);
    const sim = await fixtureSim();
    const bot = await startCorpBot(sim, base!, { STORE_PREFIX: prefix });
    cleanups.push(() => bot.stop());
    expect(bot.prepared).to.deep.include({ binding: 'adopted', evidence: 'inbox', migrated: { from: 0, to: SCHEMA_VERSION } });
    expect(await bot.store.admin.readMeta()).to.include({ corp: sim.corpId });
    await expectStoreKept(sim);
  });
});

describe('store migrations: from schema 1 (audit reasons as strings) to typed reasons', () => {
  async function started(sim: Simulator, url: string, env: Record<string, string> = {}): Promise<Runtime> {
    const bot = await startCorpBot(sim, url, env);
    cleanups.push(() => bot.stop());
    expect(bot.prepared).to.deep.include({ binding: 'same', migrated: { from: 1, to: SCHEMA_VERSION } });
    // The callback the fixture left acknowledged (zhangsan's /帮助) is answered first.
    await until(() => sim.captures.messages.some((m) => m.touser.includes('zhangsan') && /命令/.test(m.content ?? '')), 'the /帮助 reply');
    return bot;
  }

  it('SQLite: /审计 says every recorded reason in the reader’s words, in three locales', async () => {
    const { url, cleanup } = tempSqliteUrl();
    cleanups.push(cleanup);
    copySqliteFixture('schema-1.sqlite', url);
    const sim = await fixtureSim();
    await started(sim, url);
    await expectReasonsInWords(sim);
  });

  it('Redis: the same, on a store several instances may migrate at once', async function () {
    const base = redisUrl();
    if (!base) this.skip();
    const { prefix, wipe } = redisPrefix();
    cleanups.push(() => wipe(base!));
    await loadRedisFixture('schema-1.redis.json', base!, prefix);
    const sim = await fixtureSim();
    await started(sim, base!, { STORE_PREFIX: prefix });
    await expectReasonsInWords(sim);
  });

  it('reads each kind of schema-1 reason once; an entry already typed is left as it is', () => {
    const read = (reason: string, reasonParams?: Record<string, string | number>, errcode?: number) =>
      upgradeReason({ reason, ...(reasonParams ? { reasonParams } : {}), ...(errcode !== undefined ? { errcode } : {}) }).entry.reason;
    expect(read('needs manager')).to.deep.equal({ kind: 'role', needed: 'manager' });
    expect(read('errcode 84061', undefined, 84061)).to.deep.equal({ kind: 'wecom', errcode: 84061 });
    expect(read('invalid welcome_code, hint: [x]', undefined, 41051)).to.deep.equal({ kind: 'wecom', errcode: 41051 });
    expect(read('no answer (may have been applied)')).to.deep.equal({ kind: 'noAnswer', maybeApplied: true });
    expect(read('no answer')).to.deep.equal({ kind: 'noAnswer', maybeApplied: false });
    expect(read('request to cgi-bin/externalcontact/send_welcome_msg timed out'), 'a welcome message kept the error itself').to.deep.equal({
      kind: 'noAnswer',
      maybeApplied: true,
    });
    expect(read('not the proposer')).to.deep.equal({ kind: 'proposal', why: 'notProposer' });
    expect(read('expired')).to.deep.equal({ kind: 'proposal', why: 'expired' });
    expect(read('TypeError')).to.deep.equal({ kind: 'error', name: 'TypeError' });
    expect(read('errors.parse.outOfRange', { value: '0', min: '1', max: '100', field: '--limit' })).to.deep.equal({
      kind: 'input',
      key: 'errors.parse.outOfRange',
      params: { value: '0', min: '1', max: '100' },
      fields: { field: { kind: 'option', name: 'limit' } },
    });
    expect(read('commands.transfer.messages.allInTransfer', { user: 'Wayne Wang (wangwu)', count: 3 })).to.deep.equal({
      kind: 'input',
      key: 'commands.transfer.messages.allInTransfer',
      params: { user: 'Wayne Wang (wangwu)', count: 3 },
      members: { user: 'wangwu' },
    });
    expect(read('commands.help.messages.unknown')).to.deep.equal({ kind: 'input', key: 'commands.help.messages.unknown' });
    const typed = { reason: { kind: 'role', needed: 'admin' }, userid: 'lisi' };
    expect(upgradeReason(typed)).to.deep.equal({ entry: typed, changed: false });
    expect(upgradeReason({ userid: 'lisi' }).changed).to.equal(false);
  });
});

describe('store migrations: from schema 2 (Redis keys without a hash tag) to keys under {prefix}', () => {
  /** The keys of the Redis at `url` whose names start with `start`. */
  async function keysStarting(url: string, start: string): Promise<string[]> {
    const client = createClient({ url });
    await client.connect();
    try {
      return await client.keys(`${start.replace(/[*?[\]\\]/g, (c) => `\\${c}`)}*`);
    } finally {
      await client.quit();
    }
  }

  it('SQLite: only the version number changes', async () => {
    const { url, cleanup } = tempSqliteUrl();
    cleanups.push(cleanup);
    copySqliteFixture('schema-2.sqlite', url);
    const sim = await fixtureSim();
    const bot = await startCorpBot(sim, url);
    cleanups.push(() => bot.stop());
    expect(bot.prepared).to.deep.include({ binding: 'same', migrated: { from: 2, to: SCHEMA_VERSION } });
    await expectStoreKept(sim);
  });

  it('Redis: two instances starting at once move every key under {prefix}, and the bot goes on from what was kept', async function () {
    const base = redisUrl();
    if (!base) this.skip();
    const { prefix, wipe } = redisPrefix();
    cleanups.push(() => wipe(base!));
    await loadRedisFixture('schema-2.redis.json', base!, prefix);
    const before = await keysStarting(base!, `${prefix}`);
    expect(before).to.include(`${prefix}:schema`).and.include(`${prefix}:meta`);
    expect(before.length).to.be.above(100);
    const sim = await fixtureSim();
    const [first, second] = await Promise.all([startCorpBot(sim, base!, { STORE_PREFIX: prefix }), startCorpBot(sim, base!, { STORE_PREFIX: prefix })]);
    cleanups.push(
      () => first!.stop(),
      () => second!.stop(),
    );
    for (const bot of [first!, second!]) expect(bot.prepared).to.deep.include({ binding: 'same' });
    expect([first!.prepared.migrated.from, second!.prepared.migrated.from]).to.include(2);
    sim.botUrl = first!.url;
    expect(await keysStarting(base!, `${prefix}`), 'keys left under the old names').to.deep.equal([]);
    const after = await keysStarting(base!, `{${prefix}}`);
    // Every key kept its name after the prefix; the inbox's keys change with the work the bots took up at once (the
    // acknowledged callback below is what shows the inbox was kept).
    const moved = new Set(after.map((key) => key.replace(`{${prefix}}`, prefix)));
    const missing = before.filter((key) => !moved.has(key) && !key.includes(':inbox:'));
    expect(missing).to.deep.equal([]);
    expect(await first!.store.admin.schemaVersion()).to.equal(SCHEMA_VERSION);
    expect(await first!.store.admin.readMeta()).to.include({ corp: sim.corpId });
    await expectStoreKept(sim);
  });
});
