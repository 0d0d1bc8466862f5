import { expect } from 'chai';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { startRuntime, type Runtime } from '../../src/runtime.js';
import { startChat, textOf, type Chat } from '../helpers/chat.js';
import { redisPrefix, redisUrl } from '../helpers/stores.js';

describe('/角色 (roles): who holds which role, changed in chat', () => {
  let chat: Chat;
  beforeEach(async () => {
    chat = await startChat({ admins: ['zhangsan'], managers: ['lisi'] });
  });
  afterEach(() => chat.close());

  it('lists the roles and where each comes from; staff and managers are refused', async () => {
    await chat.shouldReply('zhangsan', '/角色', [
      '角色：1 名管理员，1 名主管',
      '张三（zhangsan）；BOT_ADMINS（根管理员）',
      '李四（lisi）；BOT_MANAGERS',
      '其他成员都是员工。',
      '/角色 添加',
    ]);
    await chat.shouldReply('zhangsan', '/角色', '/角色 移除');
    await chat.shouldReply('lisi', '/角色', '需要管理员权限', ['张三']);
    await chat.shouldReply('wangwu', '/roles', 'needs the admin role', ['zhangsan']);
  });

  it('gives a role by name at once, without a restart, and takes it back (zh-Hans)', async () => {
    await chat.shouldReply('wangwu', '/成员', '需要主管权限');
    await chat.shouldReply('zhangsan', '/角色 添加 王五 主管', '已将 王五（wangwu）设为主管，立即生效。');
    await chat.shouldReply('wangwu', '/成员', /开通客户联系的成员：\d+ 人/);
    await chat.shouldReply('zhangsan', '/角色', ['2 名主管', /王五（wangwu）；由 张三（zhangsan）于 \d{4}-\d\d-\d\d 设置/]);
    await chat.shouldReply('zhangsan', '/角色 添加 wangwu 主管', '王五（wangwu）已经是主管。');
    await chat.shouldReply('zhangsan', '/角色 移除 王五', '已移除 王五（wangwu）在聊天中设置的角色，立即生效；现在是员工。');
    await chat.shouldReply('wangwu', '/成员', '需要主管权限');
    await chat.shouldReply('zhangsan', '/角色 移除 王五', '王五（wangwu）没有通过 /角色 添加的角色，无需移除。');
  });

  it('makes an admin in zh-Hant who may then give roles; says why BOT_ADMINS and BOT_MANAGERS stay', async () => {
    await chat.shouldReply('zhangsan', '/角色 新增 zhaoliu 管理員', '已將 赵六（zhaoliu）設為管理員，立即生效。');
    await chat.shouldReply('zhaoliu', '/角色 新增 wangwu 主管', '已將 王五（wangwu）設為主管，立即生效。');
    await chat.shouldReply(
      'zhaoliu',
      '/角色 移除 zhangsan',
      '张三（zhangsan）是 BOT_ADMINS 裡的根管理員，不能在聊天中移除：請修改 .env 裡的 BOT_ADMINS 並重新啟動。',
    );
    await chat.shouldReply('zhaoliu', '/角色 移除 lisi', '李四（lisi）的主管角色來自 BOT_MANAGERS，不能在聊天中移除');
    await chat.shouldReply('zhangsan', '/角色 新增 zhangsan 管理員', '张三（zhangsan）是 BOT_ADMINS 裡的根管理員，不需要新增。');
    // Names are WeCom's data, shown as WeCom has them; the audit names who gave what.
    await chat.shouldReply('zhangsan', '/審計 --limit 6', ['/角色 新增 wangwu 主管', '赵六（zhaoliu）']);
  });

  it('in English: role words and sub-commands, a manager promoted to admin, wrong words and people refused before any change', async () => {
    await chat.shouldReply('zhangsan', '/roles add lisi admin', /lisi\) now has the role admin, effective at once\./);
    await chat.shouldReply('lisi', '/roles', 'Roles: 2 admins');
    await chat.shouldReply('zhangsan', '/roles add wangwu boss', 'A role is admin or manager, not “boss”.');
    await chat.shouldReply('zhangsan', '/roles add nosuchperson manager', '“nosuchperson” is not a member of the corp');
    chat.sim.corp.app.visibleUsers = ['zhangsan', 'lisi'];
    chat.sim.corp.app.visibleDepartments = [];
    await chat.shouldReply('zhangsan', '/roles add wangwu manager', ["is outside the app's visible range", 'Visible Range']);
    await chat.shouldReply('zhangsan', '/roles', 'Roles: 2 admins, 0 managers');
  });

  it('asks for the role with buttons when it is left out', async () => {
    const replies = await chat.as('zhangsan').say('/角色 添加 wangwu');
    const card = replies.find((m) => m.card);
    expect(card, replies.map(textOf).join('\n')).to.not.equal(undefined);
    expect(textOf(card!)).to.contain('管理员').and.contain('主管');
    const done = await chat.as('zhangsan').say('主管');
    expect(done.map(textOf).join('\n')).to.contain('已将 王五（wangwu）设为主管');
  });
});

describe('BOT_MANAGERS_FROM_LEADERS', () => {
  let chat: Chat | undefined;
  afterEach(() => chat?.close());

  it('makes department leaders managers only when set, and /角色 says why they are', async () => {
    chat = await startChat({ admins: ['zhangsan'] });
    await chat.shouldReply('zhaoliu', '/成员', '需要主管权限');
    await chat.close();
    chat = await startChat({ admins: ['zhangsan'], env: { BOT_MANAGERS_FROM_LEADERS: 'true' } });
    await chat.shouldReply('zhaoliu', '/成员', /开通客户联系的成员：\d+ 人/);
    await chat.shouldReply('wujiu', '/成员', '需要主管权限');
    await chat.shouldReply('zhangsan', '/角色', ['赵六（zhaoliu）；部门负责人（BOT_MANAGERS_FROM_LEADERS）']);
    await chat.shouldReply('zhangsan', '/角色 移除 赵六', '是部门负责人：BOT_MANAGERS_FROM_LEADERS=true 时部门负责人都是主管');
  });
});

describe('/角色 with several instances on one Redis', () => {
  it('a role given through one instance holds at the next message handled by the other', async function () {
    const url = redisUrl();
    if (!url) this.skip();
    const { prefix, wipe } = redisPrefix();
    const chat = await startChat({ admins: ['zhangsan'], storeUrl: url!, env: { STORE_PREFIX: prefix } });
    let other: Runtime | undefined;
    try {
      await chat.shouldReply('zhangsan', '/角色 添加 wangwu 主管', '已将 王五（wangwu）设为主管');
      const config = loadConfig({ ...chat.sim.botEnv(), PORT: '0', HOST: '127.0.0.1', STORE_URL: url!, STORE_PREFIX: prefix, BOT_ADMINS: 'zhangsan' });
      other = await startRuntime(config, { log: silentLogger, wecom: config.wecom! });
      chat.sim.botUrl = other.url;
      const seq = chat.sim.captures.lastSeq;
      await chat.sim.sendText('wangwu', '/成员');
      await other.worker.onIdle();
      const reply = chat.sim.captures.messages.find((m) => m.seq > seq && m.touser.includes('wangwu'));
      expect(reply?.content).to.match(/开通客户联系的成员：\d+ 人/);
    } finally {
      await other?.stop();
      await chat.close();
      await wipe(url!);
    }
  });
});

describe('roles given at the same moment', () => {
  it('keeps every one of them (SQLite and Redis): a change of the record is one step across instances', async () => {
    const { createStore } = await import('../../src/store/index.js');
    const { Roles } = await import('../../src/bot/roles.js');
    const { tempSqliteUrl } = await import('../helpers/stores.js');
    const sqlite = tempSqliteUrl();
    const url = redisUrl();
    const { prefix, wipe } = redisPrefix();
    const backends = [{ open: () => createStore(sqlite.url) }, ...(url ? [{ open: () => createStore(url, { prefix }) }] : [])];
    try {
      for (const backend of backends) {
        const open = async () => {
          const store = await backend.open();
          return { store, roles: new Roles(['zhangsan'], [], store) };
        };
        const a = await open();
        const b = await open();
        const members = Array.from({ length: 12 }, (_, i) => `member${i}`);
        await Promise.all(members.map((m, i) => (i % 2 ? a : b).roles.grant(m, 'manager', 'zhangsan')));
        await a.roles.refresh();
        expect(members.filter((m) => a.roles.of(m) === 'manager')).to.have.length(12);
        await Promise.all(members.slice(0, 6).map((m, i) => (i % 2 ? b : a).roles.revoke(m)));
        await b.roles.refresh();
        expect(members.filter((m) => b.roles.of(m) === 'manager')).to.deep.equal(members.slice(6));
        await a.store.close();
        await b.store.close();
      }
    } finally {
      sqlite.cleanup();
      if (url) await wipe(url);
    }
  });
});
