import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { createSimulator, type Simulator } from '../../src/simulator/index.js';
import { spawnCollecting, scriptCommand } from '../helpers/process.js';
import { tempSqliteUrl } from '../helpers/stores.js';

const { node, args } = scriptCommand('check');

/** `npm run check` in a folder of its own (no .env unless written), with `env`. */
async function check(env: Record<string, string>, ...words: string[]): Promise<{ code: number | null; lines: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'wco-check-'));
  try {
    const proc = spawnCollecting(node, [...args, ...words], { cwd: dir, env: { PATH: process.env.PATH, ...env } });
    const code = await proc.exit();
    return { code, lines: proc.output().trim().split('\n') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The line of the check titled `title`. */
function line(lines: string[], title: string): string {
  const found = lines.find((l) => l.includes(`${title}：`) || l.includes(`${title}: `));
  if (!found) throw new Error(`no line for ${title} in:\n${lines.join('\n')}`);
  return found;
}

describe('npm run check: a real corp’s first day, against the simulator', () => {
  let sim: Simulator;
  let store: { url: string; cleanup: () => void };
  let env: Record<string, string>;
  beforeEach(async () => {
    sim = await createSimulator({ corpId: 'wwfirstday0000001', members: 10, customers: 40, seed: 4 });
    store = tempSqliteUrl();
    env = { ...sim.botEnv(), WECOM_CONTACT_SECRET: '', STORE_URL: store.url, BOT_ADMINS: 'zhangsan', BOT_MANAGERS: 'lisi' };
  });
  afterEach(async () => {
    await sim.close();
    store.cleanup();
  });

  it('passes every check of a good setup, one line each, and exits 0', async function () {
    this.timeout(20_000);
    // Ten members, one resigned (no longer in the contacts), one in service without 客户联系.
    sim.corp.members.get('zhaoliu')!.customerContact = false;
    const { code, lines } = await check(env);
    expect(code, lines.join('\n')).to.equal(0);
    expect(existsSync(store.url.slice('sqlite://'.length)), 'the check reads; it creates no store').to.equal(false);
    expect(lines[0]).to.equal(`wecom-contact-ops 配置检查（读取的 .env：没有，在 ${lines[0]!.match(/在 (.*) 里找过/)![1]} 里找过）`);
    expect(line(lines, 'Node.js')).to.match(/^✓ Node\.js：\d+\.\d+\.\d+$/);
    expect(line(lines, '企业（WECOM_CORP_ID）')).to.equal('✓ 企业（WECOM_CORP_ID）：wwfirstday0000001');
    expect(line(lines, '应用 Secret（WECOM_AGENT_SECRET）')).to.equal('✓ 应用 Secret（WECOM_AGENT_SECRET）：已获取 access_token');
    expect(line(lines, '应用（WECOM_AGENT_ID）')).to.equal(`✓ 应用（WECOM_AGENT_ID）：「客户联系助手」，AgentId ${sim.agentId}`);
    expect(line(lines, '客户联系接口')).to.equal('✓ 客户联系接口：可以调用，8 名成员开通了客户联系');
    expect(line(lines, '应用可见范围')).to.equal('✓ 应用可见范围：9 名成员，其中 8 名开通了客户联系');
    expect(line(lines, '管理员和主管')).to.equal('✓ 管理员和主管：都在应用的可见范围里：张三（zhangsan）、李四（lisi）');
    expect(line(lines, '回调（WECOM_TOKEN、WECOM_ENCODING_AES_KEY）')).to.contain('https://<你的域名>/wecom/callback');
    expect(line(lines, '存储（STORE_URL）')).to.equal(`✓ 存储（STORE_URL）：${store.url} 可用，是新存储：第一次启动时记为企业 wwfirstday0000001 的存储`);
    expect(lines.at(-1)).to.equal('全部通过：运行 npm start，然后在企业微信里给应用发 /帮助');
  });

  it('names the variable WeCom refused: a wrong secret (40001) and a wrong CorpID (40013)', async function () {
    this.timeout(20_000);
    const wrong = await check({ ...env, WECOM_AGENT_SECRET: 'not-the-secret' });
    expect(wrong.code).to.equal(1);
    expect(line(wrong.lines, '应用 Secret（WECOM_AGENT_SECRET）')).to.match(/^✗ .*企业微信拒绝了 WECOM_AGENT_SECRET（errcode 40001）/);
    // What needs a token is skipped, not reported as a second fault.
    expect(line(wrong.lines, '应用（WECOM_AGENT_ID）')).to.equal('– 应用（WECOM_AGENT_ID）：跳过：它需要的前一项没有通过');
    const corp = await check({ ...env, WECOM_CORP_ID: 'wwnotthiscorp0001' }, '--lang', 'en');
    expect(line(corp.lines, 'App secret (WECOM_AGENT_SECRET)')).to.contain('WeCom does not know this CorpID (errcode 40013)').and.contain('WECOM_CORP_ID');
    expect(corp.lines.at(-1)).to.match(/^1 check failed and \d+ skipped because of it: fix it as said above/);
  });

  it('shows the IP WeCom saw when the server is not among the app’s trusted IPs (60020), and where to add it', async function () {
    this.timeout(20_000);
    sim.corp.app.trustedIp.agent = false;
    const { code, lines } = await check(env);
    expect(code).to.equal(1);
    expect(line(lines, '应用（WECOM_AGENT_ID）')).to.equal(
      '✗ 应用（WECOM_AGENT_ID）：企业微信看到的服务器 IP 是 127.0.0.1，不在应用的企业可信IP 里（errcode 60020）：在 应用管理 → 你的应用 → 开发者接口 → 企业可信IP 加入 127.0.0.1，约 1 分钟后生效',
    );
    const hant = await check(env, '--lang', 'zh-Hant');
    expect(line(hant.lines, '應用（WECOM_AGENT_ID）')).to.contain('企業微信看到的伺服器 IP 是 127.0.0.1');
  });

  it('says to add the app to 可调用接口的应用 when customer contact answers 48002, and what to do with a system secret', async function () {
    this.timeout(20_000);
    sim.corp.app.inContactApi = false;
    const app = await check(env);
    expect(app.code).to.equal(1);
    expect(line(app.lines, '客户联系接口')).to.equal(
      '✗ 客户联系接口：应用不能调用客户联系接口（errcode 48002）：在 客户联系 → API → 可调用接口的应用 中加入「客户联系助手」（2023 年 12 月 1 日之后创建的企业必须这样做）',
    );
    sim.corp.app.inContactApi = true;
    sim.corp.app.systemSecretRefused = true;
    const system = await check({ ...env, WECOM_CONTACT_SECRET: sim.contactSecret }, '--lang', 'en');
    expect(line(system.lines, 'Customer contact APIs')).to.contain('corps created after 2023-12-01 can no longer use the Customer Contact secret');
  });

  it('names admins and managers outside the app’s visible range or not in the corp, and an empty range', async function () {
    this.timeout(20_000);
    sim.corp.app.visibleUsers = ['lisi', 'wangwu'];
    sim.corp.app.visibleDepartments = [];
    const { code, lines } = await check({ ...env, BOT_MANAGERS: 'lisi,nosuchuser' });
    expect(code).to.equal(1);
    expect(line(lines, '应用可见范围')).to.equal('✓ 应用可见范围：2 名成员，其中 2 名开通了客户联系');
    expect(line(lines, '客户联系接口')).to.equal('✓ 客户联系接口：可以调用，2 名成员开通了客户联系');
    expect(line(lines, '管理员和主管')).to.equal(
      '✗ 管理员和主管：nosuchuser 不是企业成员，zhangsan 不在应用的可见范围里：请检查 UserID，并在 应用管理 → 你的应用 → 可见范围 加入',
    );
    sim.corp.app.visibleUsers = [];
    const empty = await check(env);
    expect(line(empty.lines, '应用可见范围')).to.contain('可见范围里没有成员：在 应用管理 → 「客户联系助手」 → 可见范围');
  });

  it('fails without an admin, reads .env like npm start, and refuses a store of another corp', async function () {
    this.timeout(20_000);
    const noAdmin = await check({ ...env, BOT_ADMINS: '' });
    expect(line(noAdmin.lines, '管理员（BOT_ADMINS）')).to.match(/^✗ 管理员（BOT_ADMINS）：没有设置：生产环境至少需要一名管理员/);
    expect(noAdmin.code).to.equal(1);

    const dir = mkdtempSync(join(tmpdir(), 'wco-check-env-'));
    try {
      writeFileSync(
        join(dir, '.env'),
        Object.entries(env)
          .map(([k, v]) => `${k}=${v}`)
          .join('\n'),
      );
      const proc = spawnCollecting(node, args, { cwd: dir, env: { PATH: process.env.PATH } });
      expect(await proc.exit(), proc.output()).to.equal(0);
      expect(proc.output()).to.contain(`读取的 .env：${join(dir, '.env')}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    const { createStore } = await import('../../src/store/index.js');
    const other = await createStore(store.url);
    await other.admin.migrate((await import('../../src/store/index.js')).MIGRATIONS);
    await other.admin.writeMeta({ corp: 'wwsomeoneelse0001' });
    await other.close();
    const refused = await check(env);
    expect(line(refused.lines, '存储（STORE_URL）')).to.contain('属于企业 wwsomeoneelse0001，而这里配置的是企业 wwfirstday0000001');
  });

  it('says the demo will start when WECOM_CORP_ID is not set', async () => {
    const { code, lines } = await check({}, '--lang', 'en');
    expect(code).to.equal(1);
    expect(line(lines, 'Corp (WECOM_CORP_ID)')).to.contain('not set, so npm start runs the demo');
  });
});
