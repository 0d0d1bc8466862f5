import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect } from 'chai';
import { createStore, SCHEMA_VERSION, type NamespaceKey } from '../../src/store/index.js';
import { AuditLog } from '../../src/bot/audit-log.js';
import { startChat, type Chat } from '../helpers/chat.js';
import { spawnCollecting, scriptCommand } from '../helpers/process.js';
import { redisPrefix, redisUrl, tempSqliteUrl } from '../helpers/stores.js';

const { node, args } = scriptCommand('store');

/** `npm run store -- …` with `env`, as an operator runs it beside the bot. */
async function storeTool(env: Record<string, string>, ...words: string[]): Promise<{ code: number | null; out: string }> {
  const proc = spawnCollecting(node, [...args, ...words], { env: { PATH: process.env.PATH, ...env } });
  const code = await proc.exit();
  return { code, out: proc.output().trim() };
}

/** Every value a store holds in `namespace`. */
async function valuesOf<V>(url: string, namespace: string): Promise<Map<string, V>> {
  const store = await createStore(url);
  try {
    const out = new Map<string, V>();
    for await (const [key, value] of store.namespace({ name: namespace } as NamespaceKey<V>).entries()) out.set(key, value);
    return out;
  } finally {
    await store.close();
  }
}

describe('npm run store (SQLite): backup while the bot works, restore, reset', () => {
  let chat: Chat;
  let store: { url: string; cleanup: () => void };
  let env: Record<string, string>;
  beforeEach(async () => {
    store = tempSqliteUrl();
    chat = await startChat({ admins: ['zhangsan'], managers: ['lisi'], storeUrl: store.url });
    env = { ...chat.sim.botEnv(), STORE_URL: store.url };
  });
  afterEach(async () => {
    await chat.close();
    store.cleanup();
  });

  it('backs up a consistent copy while commands run; restores it after later changes; the data is whole', async function () {
    this.timeout(60_000);
    const backup = join(dirname(store.url.slice('sqlite://'.length)), 'backup.sqlite');
    await chat.as('zhangsan').say('/欢迎语 设置 --text 备份之前的欢迎语');
    // Eighty members' commands in flight while the backup is taken.
    const members = [...chat.sim.corp.members.values()].filter((m) => m.status === 'active').map((m) => m.userid);
    const typing = Promise.all(
      Array.from({ length: 80 }, (_, i) => {
        const user = members[i % members.length]!;
        return chat.as(i % 4 === 0 ? 'zhangsan' : user).say(i % 4 === 0 ? `/欢迎语 设置 --user ${user} --text 第${i}条` : i % 2 ? '/语言 en' : '/我');
      }),
    );
    const taken = await storeTool(env, 'backup', backup);
    await typing;
    expect(taken.code, taken.out).to.equal(0);
    expect(taken.out).to.match(new RegExp(`^✓ 已备份到 ${backup}：企业 ${chat.sim.corpId}，结构版本 ${SCHEMA_VERSION}，\\d+ 条记录，\\d+ KB$`));
    // Only its owner may read it, and it holds no access token (a backup outlives a token, and could be used).
    expect(statSync(backup).mode & 0o777).to.equal(0o600);
    expect((await valuesOf(`sqlite://${backup}`, 'tokens')).size).to.equal(0);
    expect((await valuesOf(store.url, 'tokens')).size, 'the live store keeps its tokens').to.be.greaterThan(0);
    const integrity = spawnSync(
      'node',
      [
        '-e',
        `const{DatabaseSync}=require('node:sqlite');console.log(new DatabaseSync(${JSON.stringify(backup)}).prepare('PRAGMA integrity_check').get().integrity_check)`,
      ],
      {
        encoding: 'utf8',
      },
    );
    expect(integrity.stdout.trim()).to.equal('ok');

    // Later changes, then the backup restored under a stopped bot.
    const before = await valuesOf<{ text: string }>(`sqlite://${backup}`, 'welcome');
    expect([...before.values()].map((w) => w.text)).to.include('备份之前的欢迎语');
    await chat.as('zhangsan').say('/欢迎语 设置 --text 恢复之后不该有这一条');
    const refused = await storeTool(env, 'restore', backup);
    expect(refused.code).to.equal(1);
    expect(refused.out).to.equal(`✗ 机器人（进程 ${process.pid}）正在使用这个存储：请先停止它，再恢复或清空`);
    await chat.bot.stop();
    const restored = await storeTool(env, 'restore', backup);
    expect(restored.code, restored.out).to.equal(0);
    expect(restored.out).to.contain(`✓ 已从 ${backup} 恢复到 ${store.url}`).and.contain('原来的存储没有删除，保存在');
    const aside = readdirSync(dirname(backup)).filter((f) => f.includes('.before-restore-'));
    expect(aside).to.have.length(1);

    // Whole: every record reads, and the bot starts on it and sees the state of the backup.
    const after = await valuesOf<{ text: string }>(store.url, 'welcome');
    expect([...after.entries()]).to.deep.equal([...before.entries()]);
    await chat.restart();
    const replies = await chat.as('zhangsan').say('/欢迎语 查看');
    // Only the answer: what waited in the backup's inbox is not run a second time.
    expect(replies).to.have.length(1);
    const [view] = replies;
    expect(view!.content).not.to.contain('恢复之后不该有这一条');
    for (const [user, { text }] of before) expect(view!.content).to.contain(text, user);
  });

  it('refuses a backup of another corp, of a newer version, or a file that is no store, and a backup over an existing file', async () => {
    const dir = dirname(store.url.slice('sqlite://'.length));
    const backup = join(dir, 'mine.sqlite');
    expect((await storeTool(env, 'backup', backup)).code).to.equal(0);
    const again = await storeTool(env, 'backup', backup);
    expect(again.code).to.equal(1);
    expect(again.out).to.equal(`✗ ${backup} 已经存在：备份不会覆盖已有文件，请换一个文件名`);
    await chat.bot.stop();
    const otherEnv = { ...env, WECOM_CORP_ID: 'wwanothercorp0001' };
    const other = await storeTool(otherEnv, 'restore', backup, '--lang', 'en');
    expect(other.code).to.equal(1);
    expect(other.out).to.equal(
      `✗ ${backup} is a store of corp ${chat.sim.corpId}, and this configuration is for corp wwanothercorp0001: it cannot be restored here. Check WECOM_CORP_ID and the file`,
    );
    const junk = join(dir, 'junk.sqlite');
    writeFileSync(junk, 'not a database at all, just text');
    const notStore = await storeTool(env, 'restore', junk, '--lang', 'zh-Hant');
    expect(notStore.code).to.equal(1);
    expect(notStore.out).to.match(/^✗ .*junk\.sqlite 不是機器人的儲存/);
    const newer = join(dir, 'newer.sqlite');
    const future = await createStore(`sqlite://${newer}`);
    await future.admin.migrate([{ version: SCHEMA_VERSION + 1, what: 'later', sqlite: () => undefined, redis: async () => undefined }]);
    await future.close();
    const tooNew = await storeTool(env, 'restore', newer);
    expect(tooNew.code).to.equal(1);
    expect(tooNew.out).to.contain(`的结构版本是 ${SCHEMA_VERSION + 1}，比这个版本的机器人支持的（${SCHEMA_VERSION}）更新`);
    // A backup with a callback still waiting and a bulk transfer running (the schema-0 fixture has both): restored,
    // both set aside; onto a machine with no data folder yet.
    const fixture = new URL('../fixtures/stores/schema-0.sqlite', import.meta.url).pathname;
    const fresh = join(dir, 'fresh-machine', 'data', 'bot.sqlite');
    const old = await storeTool({ ...env, STORE_URL: `sqlite://${fresh}` }, 'restore', fixture);
    expect(old.code, old.out).to.equal(0);
    expect(old.out).to.contain('结构版本 0').and.contain('备份时有 1 条消息还在等待处理：它们不会再执行');
    expect(old.out).to.contain('备份时 zhangsan 发起的长任务（transfer-all）正在运行：恢复后不会继续');
    const jobs = await valuesOf<{ status: string; stoppedBy?: string }>(`sqlite://${fresh}`, 'jobs');
    expect([...jobs.values()].map((j) => [j.status, j.stoppedBy])).to.deep.equal([['failed', 'restore']]);
    const usage = await storeTool(env, 'restore');
    expect(usage.code).to.equal(2);
    expect(usage.out).to.match(/^用法：npm run store -- backup/);
  });

  it('reset keeps the old store aside and frees the file for the corp now configured', async () => {
    const running = await storeTool(env, 'reset');
    expect(running.code).to.equal(1);
    await chat.as('zhangsan').say('/欢迎语 设置 --text 旧企业的欢迎语');
    await chat.bot.stop();
    const otherEnv = { ...env, WECOM_CORP_ID: 'wwanothercorp0001' };
    const reset = await storeTool(otherEnv, 'reset');
    expect(reset.code, reset.out).to.equal(0);
    expect(reset.out).to.contain(`✓ 已清空 ${store.url}`).and.contain('.before-reset-');
    const file = store.url.slice('sqlite://'.length);
    expect(existsSync(file)).to.equal(false);
    const kept = readdirSync(dirname(file)).find((f) => f.includes('.before-reset-'))!;
    const info = await storeTool({ ...env, STORE_URL: `sqlite://${join(dirname(file), kept)}` }, 'info', '--lang', 'en');
    expect(info.out).to.match(new RegExp(`: corp ${chat.sim.corpId}, schema version ${SCHEMA_VERSION} `));
  });
});

describe('npm run store (Redis)', () => {
  it('points to Redis persistence for backups, and empties a prefix only with --yes', async function () {
    const url = redisUrl();
    if (!url) this.skip();
    const { prefix, wipe } = redisPrefix();
    try {
      const env = { STORE_URL: url!, STORE_PREFIX: prefix, WECOM_CORP_ID: 'wwredis0000000001', ...minimalProduction };
      const written = await createStore(url!, { prefix });
      await written.namespace({ name: 'welcome' } as NamespaceKey<string>).set('x', 'y');
      await written.close();
      const backup = await storeTool(env, 'backup', '/tmp/never-written.json');
      expect(backup.code).to.equal(1);
      expect(backup.out).to.contain('RDB').and.contain('AOF').and.contain('README');
      const unconfirmed = await storeTool(env, 'reset');
      expect(unconfirmed.code).to.equal(1);
      expect(unconfirmed.out).to.contain('--yes');
      expect(await isEmpty(url!, prefix)).to.equal(false);
      const confirmed = await storeTool(env, 'reset', '--yes');
      expect(confirmed.code, confirmed.out).to.equal(0);
      expect(await isEmpty(url!, prefix)).to.equal(true);
    } finally {
      await wipe(url!);
    }
  });
});

/** The production variables besides the corp, so the tools read a complete configuration. */
const minimalProduction = {
  WECOM_AGENT_ID: '1000002',
  WECOM_AGENT_SECRET: 'agent-secret',
  WECOM_TOKEN: 'token123',
  WECOM_ENCODING_AES_KEY: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
};

async function isEmpty(url: string, prefix: string): Promise<boolean> {
  const store = await createStore(url, { prefix });
  try {
    return await store.admin.isEmpty();
  } finally {
    await store.close();
  }
}

describe('npm run store -- copy (issue 27): a SQLite store moved to Redis', () => {
  it('copies the corp, roles, the audit log, tags and what waits, into an empty Redis store; a second copy is refused; a bot on Redis goes on from there', async function () {
    const url = redisUrl();
    if (!url) return this.skip();
    this.timeout(60_000);
    const file = tempSqliteUrl();
    const { prefix, wipe } = redisPrefix();
    let chat: Chat | undefined;
    try {
      chat = await startChat({ admins: ['zhangsan'], storeUrl: file.url });
      await chat.as('zhangsan').say('/角色 添加 lisi 主管');
      await chat.as('zhangsan').say('/语言 en');
      await chat.as('wangwu').say('/帮助');
      const env = { ...chat.sim.botEnv(), STORE_URL: file.url, STORE_PREFIX: prefix };
      const sim = chat.sim;
      // The bot stopped (copy refuses a store in use); the simulator stays for the bot that follows.
      await chat.bot.stop();
      const copied = await storeTool(env, 'copy', file.url, url);
      expect(copied.code, copied.out).to.equal(0);
      expect(copied.out).to.match(/^✓ 已把 sqlite:\/\/.+ 复制到 redis:\/\/.+：.+，\d+ 条记录、[1-9]\d* 条审计/);
      const again = await storeTool(env, 'copy', file.url, url);
      expect(again.code).to.equal(1);
      expect(again.out).to.contain('里已经有一个存储');
      const fromRedis = await createStore(url, { prefix });
      try {
        expect((await fromRedis.admin.readMeta()).corp).to.equal(sim.corpId);
        expect(await fromRedis.admin.schemaVersion()).to.equal(SCHEMA_VERSION);
        const audit = await new AuditLog(fromRedis).recent({ user: 'wangwu', limit: 10 });
        expect(audit.map((e) => [e.command, e.decision])).to.deep.include(['help', 'executed']);
      } finally {
        await fromRedis.close();
      }
      await chat.close();
      chat = await startChat({ admins: ['zhangsan'], storeUrl: url, env: { STORE_PREFIX: prefix } });
      // What was said on SQLite holds on Redis: lisi's role (BOT_MANAGERS names nobody here).
      await chat.shouldReply('zhangsan', '/roles', ['lisi', 'manager']);
    } finally {
      await chat?.close();
      file.cleanup();
      await wipe(url);
    }
  });

  it('reads only a SQLite store', async () => {
    const { code, out } = await storeTool({ STORE_URL: 'memory://' }, 'copy', 'redis://127.0.0.1:6379', 'redis://127.0.0.1:6379/3');
    expect(code).to.equal(1);
    expect(out).to.contain('copy 读取的是 SQLite 存储');
  });
});
