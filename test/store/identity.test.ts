import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import fetch from 'node-fetch';
import type { Runtime } from '../../src/runtime.js';
import { createSimulator, type Simulator } from '../../src/simulator/index.js';
import { createStore, SCHEMA_VERSION, type NamespaceKey } from '../../src/store/index.js';
import { spawnCollecting, startCommand } from '../helpers/process.js';
import { refusal, startCorpBot, until } from '../helpers/runtime.js';
import { redisPrefix, redisUrl, tempSqliteUrl } from '../helpers/stores.js';

/** Jobs and proposals as the bot keeps them, read here to put one of another corp in a store. */
const JOBS = { name: 'jobs' } as NamespaceKey<Record<string, unknown>>;

const startBot = startCorpBot;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('store identity: a store belongs to one corp', () => {
  const sims: Simulator[] = [];
  const cleanups: (() => void | Promise<void>)[] = [];
  const sim = async (corpId: string) => {
    const s = await createSimulator({ corpId, members: 10, customers: 50, seed: 3 });
    sims.push(s);
    return s;
  };
  afterEach(async () => {
    for (const s of sims.splice(0)) await s.close();
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('records its corp and schema version when first used, and refuses a start for another corp with one line naming both', async () => {
    const { url, cleanup } = tempSqliteUrl();
    cleanups.push(cleanup);
    const first = await sim('wwfirstcorp000001');
    const bot = await startBot(first, url);
    expect(bot.prepared).to.deep.include({ binding: 'new', migrated: { from: 0, to: SCHEMA_VERSION } });
    expect(await bot.store.admin.readMeta()).to.include({ corp: 'wwfirstcorp000001' });
    await bot.stop();

    const again = await startBot(first, url);
    expect(again.prepared.binding).to.equal('same');
    await again.stop();

    const other = await sim('wwsecondcorp00002');
    const message = await refusal(startBot(other, url));
    expect(message).to.contain('belongs to corp wwfirstcorp000001').and.contain('this start is for corp wwsecondcorp00002');
    expect(message).to.contain('npm run store -- backup').and.contain('npm run store -- reset').and.contain('STORE_URL');
    expect(message).not.to.contain('\n');
    // Refused before anything was written: the store is still the first corp's, and starts for it.
    const store = await createStore(url);
    expect(await store.admin.readMeta()).to.include({ corp: 'wwfirstcorp000001' });
    await store.close();
  });

  it('refuses a store written by a newer version, naming both versions', async () => {
    const { url, cleanup } = tempSqliteUrl();
    cleanups.push(cleanup);
    const store = await createStore(url);
    await store.admin.migrate([{ version: SCHEMA_VERSION + 1, what: 'the future', sqlite: () => undefined, redis: async () => undefined }]);
    await store.close();
    const message = await refusal(startBot(await sim('wwfirstcorp000001'), url));
    expect(message).to.contain(`schema version ${SCHEMA_VERSION + 1}, newer than this version of the bot knows (${SCHEMA_VERSION})`);
  });

  it('one process per SQLite file: a second bot is refused while the first runs, and starts the moment it dies (kill -9 leaves no stale lock)', async function () {
    this.timeout(30_000);
    const { url, cleanup } = tempSqliteUrl();
    cleanups.push(cleanup);
    const corp = await sim('wwfirstcorp000001');
    const { node, args } = startCommand();
    const first = spawnCollecting(node, args, {
      env: { PATH: process.env.PATH, ...corp.botEnv(), PORT: '0', HOST: '127.0.0.1', STORE_URL: url, BOT_ADMINS: 'zhangsan' },
    });
    cleanups.push(() => void first.stop('SIGKILL'));
    await first.line((l) => l.includes('"event":"started"'));
    // Two at once in this process as well: the lock is the OS's, not a record that two could read at the same moment.
    const [a, b] = await Promise.all([refusal(startBot(corp, url)), refusal(startBot(corp, url))]);
    for (const message of [a, b]) {
      expect(message).to.match(new RegExp(`another process \\(pid ${first.child.pid}\\) is using the store .*one SQLite file serves one process`));
    }
    await first.stop('SIGKILL');
    const bot = await startBot(corp, url);
    const { hostname } = await import('node:os');
    expect(await bot.store.admin.readMeta()).to.include({ process: `${process.pid}@${hostname()}` });
    await bot.stop();
    const after = await createStore(url);
    expect((await after.admin.readMeta()).process, 'a clean stop forgets the process').to.equal(undefined);
    await after.close();
  });

  it('two starts of different corps on one new store: one binds it, the other is refused (Redis)', async function () {
    const base = redisUrl();
    if (!base) this.skip();
    const { prefix, wipe } = redisPrefix();
    cleanups.push(() => wipe(base!));
    const [one, two] = [await sim('wwfirstcorp000001'), await sim('wwsecondcorp00002')];
    const outcomes = await Promise.allSettled([startBot(one, base!, { STORE_PREFIX: prefix }), startBot(two, base!, { STORE_PREFIX: prefix })]);
    const started = outcomes.filter((o): o is PromiseFulfilledResult<Runtime> => o.status === 'fulfilled');
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(started).to.have.length(1);
    expect(refused).to.have.length(1);
    expect((refused[0]!.reason as Error).message).to.contain('belongs to corp');
    await started[0]!.value.stop();
  });

  it('never runs a job or a confirmation recorded for another corp', async () => {
    const { url, cleanup } = tempSqliteUrl();
    cleanups.push(cleanup);
    const corp = await sim('wwfirstcorp000001');
    const bot = await startBot(corp, url);
    await bot.stop();
    const store = await createStore(url);
    const now = Date.now();
    await store.namespace(JOBS).set('transfer-all-other', {
      id: 'transfer-all-other',
      corp: 'wwsomeothercorp01',
      type: 'transfer-all',
      user: 'zhangsan',
      locale: 'zh-Hans',
      state: { kind: 'onjob', from: 'wangwu', to: 'lisi', ids: ['wmOTHERCORPCUSTOMER'], done: [], inflight: [], ok: 0, failed: [], lastProgressAt: now },
      status: 'running',
      leaseUntil: 0,
      createdAt: now,
      updatedAt: now,
    });
    const proposals = store.namespace({ name: 'pending' } as NamespaceKey<Record<string, unknown>>);
    await proposals.set('OTHER2', {
      code: 'OTHER2',
      taskId: 'cf_OTHER2_00000000',
      corp: 'wwsomeothercorp01',
      userid: 'zhangsan',
      commandId: 'tags',
      actionId: 'tags.delete',
      args: { tags: ['VIP'] },
      payload: {},
      locale: 'zh-Hans',
      createdAt: now,
      expiresAt: now + 600_000,
    });
    await store.close();
    const again = await startBot(corp, url);
    await corp.sendText('zhangsan', '/确认 OTHER2');
    await until(() => corp.captures.messages.some((m) => m.touser.includes('zhangsan')), 'the answer to /确认');
    await again.stop();
    expect(corp.calls('externalcontact/transfer_customer')).to.have.length(0);
    expect(corp.calls('externalcontact/del_corp_tag')).to.have.length(0);
    expect(corp.captures.messages.find((m) => m.touser.includes('zhangsan'))!.content).to.contain('找不到这个确认码');
  });
});

describe('the demo never touches a real corp’s data (npm start, one folder)', () => {
  const { node, args } = startCommand();
  let dir: string;
  let sim: Simulator | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wco-firstday-'));
  });
  afterEach(async () => {
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a welcome text typed in the demo is never sent to a real customer after the real corp is configured in the same folder', async function () {
    this.timeout(60_000);
    const demo = spawnCollecting(node, args, { cwd: dir, env: { PATH: process.env.PATH, PORT: '0' } });
    const started = JSON.parse(await demo.line((l) => l.includes('"event":"started"'))) as { url: string; store: string };
    expect(started.store).to.equal('sqlite');
    const said = await fetch(`${started.url}/playground/api/say`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'zhangsan', text: '/欢迎语 设置 --text 「演示用的欢迎语」' }),
    });
    expect(said.status).to.equal(200);
    for (let i = 0; ; i++) {
      const { messages } = (await (await fetch(`${started.url}/playground/api/messages?since=0&user=zhangsan`)).json()) as { messages: { content?: string }[] };
      if (messages.some((m) => m.content?.includes('欢迎语'))) break;
      if (i > 200) throw new Error('the demo did not answer');
      await sleep(50);
    }
    expect(await demo.stop()).to.equal(0);
    expect(existsSync(join(dir, 'data/demo.sqlite'))).to.equal(true);
    expect(existsSync(join(dir, 'data/bot.sqlite'))).to.equal(false);

    sim = await createSimulator({ corpId: 'wwrealcorp0000001', members: 10, customers: 20, seed: 5 });
    const bot = spawnCollecting(node, args, {
      cwd: dir,
      env: { PATH: process.env.PATH, ...sim.botEnv(), PORT: '0', HOST: '127.0.0.1', BOT_ADMINS: 'zhangsan' },
    });
    try {
      const real = JSON.parse(await bot.line((l) => l.includes('"event":"started"'))) as { url: string };
      sim.botUrl = real.url;
      await sim.addExternalContact('lisi');
      await sim.sendText('zhangsan', '/欢迎语 查看');
      await until(() => sim!.captures.messages.some((m) => m.touser.includes('zhangsan')), 'the answer to /欢迎语 查看');
      expect(sim.captures.messages.find((m) => m.touser.includes('zhangsan'))!.content).to.contain('还没有设置欢迎语');
      expect(sim.calls('externalcontact/send_welcome_msg')).to.have.length(0);
      expect(sim.corp.welcomesSent).to.have.length(0);
      expect(existsSync(join(dir, 'data/bot.sqlite'))).to.equal(true);
    } finally {
      expect(await bot.stop()).to.equal(0);
    }
    // Another corp configured in the same folder is refused with one line, before it listens.
    const other = await createSimulator({ corpId: 'wwothercorp000002', members: 5, customers: 5, seed: 6 });
    const refused = spawnCollecting(node, args, { cwd: dir, env: { PATH: process.env.PATH, ...other.botEnv(), PORT: '0', BOT_ADMINS: 'zhangsan' } });
    expect(await refused.exit()).to.equal(1);
    await other.close();
    const lines = refused.output().trim().split('\n');
    expect(lines.at(-1)).to.match(
      /^wecom-contact-ops: cannot start: the store sqlite:\/\/\.\/data\/bot\.sqlite belongs to corp wwrealcorp0000001, and this start is for corp wwothercorp000002: /,
    );
    expect(refused.output()).not.to.contain('"event":"started"');
  });
});
