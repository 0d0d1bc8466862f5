import { expect } from 'chai';
import { startChat, type Chat } from '../helpers/chat.js';

/**
 * The bounds of issue 30 kept in CI on the mid-size corp (1,000 members in 50 departments — 5 regions of 9 teams —,
 * 50,000 customers, zhangsan with 20,000, 1,000 waiting after 20 resignations): the WeCom calls each command makes are
 * counted, never its milliseconds (those are `npm run bench -- --big`'s).
 */
describe('a mid-size corp: WeCom calls per command (issue 30)', function () {
  this.timeout(60_000);
  let chat: Chat;
  before(async () => {
    chat = await startChat({ admins: ['wangwu'], managers: ['lisi'], sim: { preset: 'mid', members: undefined, customers: undefined, seed: 1 } });
  });
  after(() => chat.close());

  const callsOf = (path: string | ((p: string) => boolean)) =>
    chat.sim.requests.filter((r) => (typeof path === 'string' ? r.path === path : path(r.path))).length;
  /** The WeCom calls `run` makes of the paths `counted` accepts. */
  const counting = async (counted: (p: string) => boolean, run: () => Promise<unknown>) => {
    const before = callsOf(counted);
    await run();
    return callsOf(counted) - before;
  };
  const customerApi = (p: string) => p.startsWith('externalcontact/');

  it('reads the directory once, each department once, and names members from it afterwards', async () => {
    const contacts = (p: string) => p.startsWith('department/') || p.startsWith('user/');
    const first = await counting(contacts, () => chat.shouldReply('lisi', '/客户 张三', '张三（zhangsan）的客户'));
    // The department list, then the root's and each of the 50 departments' members.
    expect(first).to.equal(1 + 51);
    expect(await counting(contacts, () => chat.shouldReply('lisi', '/客户 李四', '李四（lisi）的客户'))).to.equal(0);
  });

  it('shows the first page of 20,000 customers in two calls', async () => {
    const calls = await counting(customerApi, () => chat.shouldReply('lisi', '/客户 zhangsan', ['张三（zhangsan）的客户', '20000']));
    expect(calls).to.be.at.most(2);
  });

  it('finds one of 20,000 customers by name: the first look-up reads 200 pages and says so, the next reads nothing', async () => {
    const follow = chat.sim.corp.followPage('zhangsan', 12_345, 1)[0]!;
    const name = chat.sim.corp.customer(follow.external_userid).name;
    const seq = chat.sim.captures.lastSeq;
    const cold = await counting(customerApi, () => chat.as('zhangsan').say(`/客户 ${name}`));
    const said = chat.sim.captures.messages.filter((m) => m.seq > seq && m.touser.includes('zhangsan')).map((m) => m.content ?? JSON.stringify(m.card));
    expect(said.join('\n')).to.contain(name);
    expect(said.some((s) => s.includes('稍候') || s.includes('正在'))).to.equal(true);
    expect(chat.sim.calls('externalcontact/batch/get_by_user').length).to.be.at.least(200);
    expect(cold).to.be.at.most(200 + 3);
    const warm = await counting(customerApi, () => chat.as('zhangsan').say(`/客户 ${name}`));
    // Reading the customer found is all that is left: the index answers the name.
    expect(warm).to.be.at.most(1);
  });

  it("finds a customer by name among a manager's department, not among 1,000 members, and says how to name the member", async () => {
    const corp = chat.sim.corp;
    const team = corp.members.get('lisi')!.department;
    const colleagues = corp.followUsers().filter((m) => m.userid !== 'lisi' && m.department.some((d) => team.includes(d)));
    const nameOf = (u: string, at: number) => corp.customer(corp.followPage(u, at, 1)[0]!.external_userid).name;
    const nearby = new Set(
      [...colleagues, corp.members.get('lisi')!].flatMap((m) => corp.followPage(m.userid, 0, 1_000).map((f) => corp.customer(f.external_userid).name)),
    );
    const near = nameOf(colleagues[0]!.userid, 0);
    const pages = chat.sim.calls('externalcontact/batch/get_by_user').length;
    await chat.shouldReply('lisi', `/客户 详情 ${near}`, near, ['不逐一查找']);
    // One page of each colleague's customers (they have a few dozen each), none of the other 950 members'.
    expect(chat.sim.calls('externalcontact/batch/get_by_user').length - pages).to.be.at.most(colleagues.length + 1);
    let at = 0;
    while (nearby.has(nameOf('zhangsan', at))) at++;
    const far = nameOf('zhangsan', at);
    await chat.shouldReply('lisi', `/客户 详情 ${far}`, [`没有叫“${far}”的`, `同部门的 ${colleagues.length} 位成员`, '--user 张三']);
    await chat.shouldReply('lisi', `/客戶 詳情 ${far}`, ['不逐一查找']);
    await chat.shouldReply('lisi', `/客户 详情 ${far} --user zhangsan`, far);
    // Made head of her region (a department change WeCom tells): the region's teams are hers to search.
    const region = corp.parentOf(team[0]!);
    corp.members.get('lisi')!.department = [region];
    await chat.sim.deliver({
      FromUserName: 'sys',
      MsgType: 'event',
      Event: 'change_contact',
      ChangeType: 'update_user',
      UserID: 'lisi',
      Department: String(region),
    });
    await chat.bot.worker.onIdle();
    const otherTeam = corp.followUsers().find((m) => corp.parentOf(m.department[0]!) === region && !m.department.some((d) => team.includes(d)))!;
    const inRegion = nameOf(otherTeam.userid, 0);
    await chat.shouldReply('lisi', `/客户 详情 ${inRegion}`, inRegion, ['不逐一查找']);
  });

  it('adds up the whole corp by department: a call per region (nobody sits in the root), for the period and the one before', async () => {
    const calls = await counting(
      (p) => p === 'externalcontact/get_user_behavior_data',
      () => chat.shouldReply('lisi', '/统计', ['全公司（980 位成员）的客户联系数据', '聊天数', '部门排名', '5 个部门'], ['成员排名']),
    );
    expect(calls).to.equal(2 * 5);
    const hant = (await chat.as('lisi').say('/統計 上週')).map((m) => m.content ?? '').join('\n');
    expect(hant).to.contain('部門排名');
    const en = (await chat.as('lisi').say('/stats last week')).map((m) => m.content ?? '').join('\n');
    expect(en).to.contain('Customer contact of the whole corp (980 members)').and.contain('Departments ranked');
  });

  it('shows the group chats of 1,000 owners as their sum and the 20 with the most messages, in 10 calls', async () => {
    const calls = await counting(
      (p) => p === 'externalcontact/groupchat/statistic',
      async () => {
        const replies = await chat.as('lisi').say('/统计 群 上周');
        expect(replies).to.have.length.at.most(2);
        const text = replies.map((m) => m.content ?? '').join('\n');
        expect(text).to.contain('合计').and.contain('下面是群消息最多的 20 位');
        expect(text.match(/群 \d+（新/g)).to.have.length(21);
      },
    );
    expect(calls).to.equal(10);
  });

  it('counts 1,000 waiting customers of 20 resigned members in one page', async () => {
    const calls = await counting(
      (p) => p === 'externalcontact/get_unassigned_list',
      () => chat.shouldReply('lisi', '/离职', ['离职成员待分配', '20 人', '1000 位客户']),
    );
    expect(calls).to.be.at.most(2);
  });

  it('转接 全部 of 20,000: 200 transfer calls, progress every tenth, a summary in one message', async () => {
    const [plan] = (await chat.as('wangwu').say('/转接 全部 --from zhangsan --to lisi')).filter((m) => m.msgtype === 'template_card');
    expect(plan, 'a confirmation card').to.not.equal(undefined);
    const seq = chat.sim.captures.lastSeq;
    const before = callsOf('externalcontact/transfer_customer');
    await chat.as('wangwu').click(plan!, 'confirm');
    await chat.bot.bot.jobsIdle();
    expect(callsOf('externalcontact/transfer_customer') - before).to.equal(200);
    const said = chat.sim.captures.messages.filter((m) => m.seq > seq && m.touser.includes('wangwu')).map((m) => m.content ?? '');
    expect(said.filter((s) => s.includes('转接进度'))).to.have.length.at.least(9);
    expect(said.at(-1)).to.contain('成功 20000 位，失败 0 位');
    expect(Buffer.byteLength(said.at(-1)!)).to.be.at.most(2048);
  });
});

describe('a mid-size corp: the whole corp’s /统计 by department counts each member once (issue 30)', function () {
  this.timeout(60_000);
  let chat: Chat | undefined;
  afterEach(() => chat?.close());

  /** The chats of every member with 客户联系 over the days of the report's title, as the simulator derives them. */
  function chatsOfEveryone(c: Chat, title: string): number {
    const [from, to] = [...title.matchAll(/(\d{4}-\d{2}-\d{2})/g)].map((m) => Date.parse(`${m[1]}T00:00:00+08:00`) / 1000);
    let sum = 0;
    for (const m of c.sim.corp.followUsers()) for (let day = from!; day <= to!; day += 86400) sum += c.sim.corp.behavior(m.userid, day).chat_cnt;
    return sum;
  }

  for (const partyReading of ['direct', 'recursive'] as const) {
    it(`with partyid read as ${partyReading === 'direct' ? 'direct members only' : 'including sub-departments'}, a member in two regions and one in a region itself`, async () => {
      chat = await startChat({ managers: ['lisi'], sim: { preset: 'mid', members: undefined, customers: undefined, seed: 1, partyReading } });
      const corp = chat.sim.corp;
      // u00500 is in a team of each of two regions; u00501 in a region, not a team (a regional head).
      corp.members.get('u00500')!.department = [7, 16];
      corp.members.get('u00501')!.department = [3];
      const [first] = await chat.as('lisi').say('/统计');
      const text = first!.content ?? '';
      const shown = Number(/\*\*(\d+)\*\*/.exec(text.slice(text.indexOf('：')))?.[1]);
      expect(shown).to.equal(chatsOfEveryone(chat, text.split('\n')[0]!));
    });
  }
});
