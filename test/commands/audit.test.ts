import { startChat, type Chat } from '../helpers/chat.js';

describe('/审计 (audit)', () => {
  let chat: Chat;
  beforeEach(async () => {
    chat = await startChat({ admins: ['zhangsan'], managers: ['lisi'] });
  });
  afterEach(() => chat.close());

  it('shows an admin the newest entries with decisions in words, of one member with --user, and refuses a manager', async () => {
    await chat.as('wangwu').say('/帮助');
    await chat.as('wangwu').say('/成员');
    await chat.shouldReply('zhangsan', '/审计', ['最近的审计记录', 'wangwu', '已执行', '拒绝', '`/帮助`', '`/成员`'], ['`help`', '`staff`']);
    await chat.shouldReply('zhangsan', '/审计 --user wangwu --limit 1', ['最近的审计记录（1 条）', '王五（wangwu）']);
    // The member by name, in each script; the entries name who, not only the UserID.
    await chat.shouldReply('zhangsan', '/审计 --user 王五', ['最近的审计记录（2 条）', '王五（wangwu）'], ['张三（zhangsan）']);
    await chat.shouldReply('zhangsan', '/審計 --user 王五 --limit 1', ['最近的稽核紀錄（1 筆）', '王五（wangwu）', '`/成員`']);
    await chat.shouldReply('zhangsan', '/audit --user "Wayne Wang"', ['王五 (wangwu)', '`/staff`', '`/help`'], ['张三 (zhangsan)']);
    await chat.shouldReply('zhangsan', '/audit --user nobody', 'No member is called "nobody"', ['No audit entries yet']);
    await chat.shouldReply('lisi', '/审计', '需要管理员权限', ['最近的审计记录']);
    // Reasons in words: the role a refusal needed, what a WeCom error code means (the code shown once).
    await chat.as('lisi').say('/客户 详情 wmNOPE');
    await chat.shouldReply(
      'zhangsan',
      '/审计 --user 李四',
      ['没有权限：这个操作需要管理员权限', '客户 ID 无效', '`errcode 40096`'],
      ['needs admin', 'errcode 40096 errcode'],
    );
    await chat.shouldReply('zhangsan', '/audit --user lisi', ['Not allowed: this needs the admin role', 'Invalid customer id']);
    await chat.shouldReply('zhangsan', '/審計 --user lisi', ['沒有權限：這個操作需要管理員權限', '客戶 ID 無效']);
  });

  it('names --limit by its label when it is out of range, with the usage of /审计', async () => {
    await chat.shouldReply('zhangsan', '/审计 --limit 0', ['条数（--limit）的值 0 超出范围（1 到 100）', '/审计 [--user ＜成员＞] [--limit ＜条数＞]']);
  });

  it('keeps the recorded name of a member the directory no longer knows, and shows a reason an older instance wrote as it was', async () => {
    const { audit } = chat.bot.bot;
    await audit.append({
      userid: 'zhangsan',
      command: 'roles.remove',
      args: { member: 'zhaomou' },
      decision: 'failed',
      reason: { kind: 'input', key: 'commands.roles.messages.noRole', params: { user: '赵某（zhaomou）' }, members: { user: 'zhaomou' } },
    });
    // During a rolling update, an instance of the version before still writes its reason as a string.
    await audit.append({ userid: 'zhangsan', command: 'help', args: {}, decision: 'failed', reason: 'TypeError' as never });
    await chat.shouldReply('zhangsan', '/审计 --limit 2', ['赵某（zhaomou）', 'TypeError'], ['undefined']);
  });
});
