import { expect } from 'chai';
import { startChat, type Chat } from '../helpers/chat.js';

describe('/客户 (customers)', () => {
  let chat: Chat;
  beforeEach(async () => {
    chat = await startChat({ admins: ['zhangsan'], managers: ['lisi'] });
  });
  afterEach(() => chat.close());
  const customersOf = (u: string) => chat.sim.corp.customersOf(u);

  it('/客户 lists my own customers with a count from one list call and details for the page only (2 calls)', async () => {
    await chat.as('wangwu').say('/客户'); // warms the tag cache
    const before = chat.sim.requests.length;
    const [reply] = await chat.as('wangwu').say('/客户');
    const calls = chat.sim.requests
      .slice(before)
      .map((r) => r.path)
      .filter((p) => p.startsWith('externalcontact/'));
    expect(calls).to.deep.equal(['externalcontact/list', 'externalcontact/batch/get_by_user']);
    const total = customersOf('wangwu').length;
    expect(reply!.content).to.contain(`王五（wangwu）的客户：${total} 位`);
    const first = customersOf('wangwu')[0]!;
    expect(reply!.content).to.contain(chat.sim.corp.customers.get(first.external_userid)!.name);
  });

  it('/客戶 answers in Traditional Chinese; a staff member asking for someone else is denied; a manager may', async () => {
    const [hant] = await chat.as('wangwu').say('/客戶');
    expect(hant!.content).to.match(/王五（wangwu）的客戶：\d+ 位/);
    const [denied] = await chat.as('wangwu').say('/客户 zhaoliu');
    expect(denied!.content).to.contain('没有权限').and.contain('主管');
    expect(chat.sim.calls('externalcontact/list').some((c) => c.query.userid === 'zhaoliu')).to.equal(false);
    const [allowed] = await chat.as('lisi').say('/客户 zhaoliu');
    expect(allowed!.content).to.contain('赵六（zhaoliu）的客户');
  });

  it('pages a 2,300-customer member, the next page costing a single details call', async () => {
    chat.sim.corp.addMember({ userid: 'bigsales', name: '大客户经理', department: [1], status: 'active' });
    chat.sim.corp.addCustomersTo('bigsales', 2300);
    const [first] = await chat.as('lisi').say('/客户 bigsales');
    expect(first!.content).to.contain('大客户经理（bigsales）的客户：2300 位').and.contain('第 1/288 页');
    const before = chat.sim.calls('externalcontact/batch/get_by_user').length;
    const [second] = await chat.as('lisi').say('/客户 bigsales --page 2');
    expect(second!.content)
      .to.contain('第 2/288 页')
      .and.match(/\n9\. /);
    expect(chat.sim.calls('externalcontact/batch/get_by_user').length - before).to.equal(1);
    // The last page offers no next page; a page past the end says how many there are, and calls nothing.
    const [last] = await chat.as('lisi').say('/客户 bigsales --page 288');
    expect(last!.content).to.contain('第 288/288 页（最后一页）').and.not.contain('下一页');
    const walked = chat.sim.calls('externalcontact/batch/get_by_user').length;
    const [beyond] = await chat.as('lisi').say('/客户 bigsales --page 300');
    expect(beyond!.content).to.contain('只有 288 页（共 2300 条），没有第 300 页');
    expect(chat.sim.calls('externalcontact/batch/get_by_user').length).to.equal(walked);
  });

  it('--tag filters by tag name over all pages; an unknown tag is refused before listing', async () => {
    const tag = chat.sim.corp.tagGroups[0]!.tag[0]!;
    const expected = customersOf('wangwu').filter((f) => f.tagIds.includes(tag.id)).length;
    const [reply] = await chat.as('wangwu').say(`/客户 --tag ${tag.name}`);
    expect(reply!.content).to.contain(`带「${tag.name}」标签的客户：${expected} 位`);
    const [unknown] = await chat.as('wangwu').say('/客户 --tag 不存在的标签');
    expect(unknown!.content).to.contain('没有名为「不存在的标签」的标签');
  });

  it('a member’s own customer by name is that customer (staff typing /客户 <their customer>), in each script', async () => {
    const names = new Map<string, number>();
    for (const f of chat.sim.corp.followsByUser.get('zhaoliu')!.values()) {
      const name = chat.sim.corp.customers.get(f.external_userid)!.name;
      names.set(name, (names.get(name) ?? 0) + 1);
    }
    const everyone = [...chat.sim.corp.members.values()].map((m) => m.name);
    const name = [...names].find(([n, count]) => count === 1 && /^\p{Script=Han}+$/u.test(n) && !everyone.includes(n))![0];
    await chat.shouldReply('zhaoliu', `/客户 ${name}`, [`${name}`, '跟进成员 赵六（zhaoliu）'], ['没有权限', '没有叫']);
    await chat.shouldReply('zhaoliu', `/客戶 ${name}`, ['跟進成員 赵六（zhaoliu）'], ['沒有權限']);
    await chat.shouldReply('zhaoliu', `/customers ${name}`, ['Followed by 赵六 (zhaoliu)'], ['permission']);
  });

  it('looks through no other member’s customers for someone who may not change their remarks', async () => {
    const before = chat.sim.calls('externalcontact/batch/get_by_user').length;
    await chat.shouldReply('wangwu', '/客户 备注 王 --user 张三 --remark x', '需要主管权限', ['wm', 'wo']);
    expect(chat.sim.calls('externalcontact/batch/get_by_user').length).to.equal(before);
  });

  it('a manager opens another member’s customer by name with --user; staff may not', async () => {
    const follow = [...chat.sim.corp.followsByUser.get('zhaoliu')!.values()].find((f) => {
      const n = chat.sim.corp.customers.get(f.external_userid)!.name;
      return [...chat.sim.corp.followsByUser.get('zhaoliu')!.values()].filter((g) => chat.sim.corp.customers.get(g.external_userid)!.name === n).length === 1;
    })!;
    const name = chat.sim.corp.customers.get(follow.external_userid)!.name;
    await chat.shouldReply('lisi', `/客户 详情 "${name}" --user 赵六`, ['跟进成员 赵六（zhaoliu）'], ['没有叫']);
    await chat.shouldReply('lisi', `/客戶 詳情 "${name}" --user zhaoliu`, ['跟進成員 赵六（zhaoliu）']);
    await chat.shouldReply('wangwu', `/客户 详情 "${name}" --user 赵六`, '需要主管权限');
  });

  it('/客户 详情 shows the profile and every follower in words; 40096 is explained', async () => {
    const id = customersOf('wangwu')[0]!.external_userid;
    const [reply] = await chat.as('wangwu').say(`/客户 详情 ${id}`);
    expect(reply!.content).to.contain('跟进成员 王五（wangwu）').and.contain('添加方式');
    const [hant] = await chat.as('wangwu').say(`/客戶 詳情 ${id}`);
    expect(hant!.content).to.contain('跟進成員 王五（wangwu）').and.contain('加入方式');
    const [unknown] = await chat.as('lisi').say('/客户 详情 wmNOPE');
    expect(unknown!.content).to.contain('企业微信返回错误 40096').and.contain('客户 ID 无效').and.contain('/客户');
    // A name where an id belongs is told apart before any call (WeCom would answer a bare 40096).
    await chat.shouldReply('wangwu', '/客户 详情 孙不存在', ['王五（wangwu）的客户里没有叫“孙不存在”的', 'wm'], ['40096']);
    // A manager may open any customer: one the asker does not follow is found among everyone's.
    const someone = [...chat.sim.corp.followsByUser.get('zhaoliu')!.values()].find((f) => {
      const n = chat.sim.corp.customers.get(f.external_userid)!.name;
      return (
        [...chat.sim.corp.customers.values()].filter((c) => c.name === n).length === 1 && !chat.sim.corp.followsByCustomer.get(f.external_userid)!.has('lisi')
      );
    })!;
    const name = chat.sim.corp.customers.get(someone.external_userid)!.name;
    await chat.shouldReply('lisi', `/客户 详情 "${name}"`, ['跟进成员 赵六（zhaoliu）'], ['没有叫', '40096']);
    await chat.shouldReply('lisi', '/客户 详情 孙不存在', '没有叫“孙不存在”的客户（按名字或备注找遍了所有成员的客户）', ['40096']);
    const other = customersOf('zhaoliu').find((f) => !chat.sim.corp.followsByCustomer.get(f.external_userid)!.has('wangwu'))!;
    const [denied] = await chat.as('wangwu').say(`/客户 详情 ${other.external_userid}`);
    expect(denied!.content).to.contain('没有权限');
  });

  it('/客户 备注 checks WeCom’s limits before calling, and 84061 is explained', async () => {
    const id = customersOf('wangwu')[0]!.external_userid;
    const [tooLong] = await chat.as('wangwu').say(`/客户 备注 ${id} --remark ${'长'.repeat(21)}`);
    expect(tooLong!.content).to.contain('备注（--remark）最多 20 个字，现在是 21 个字');
    const [hant] = await chat.as('wangwu').say(`/客戶 備註 ${id} --desc ${'描'.repeat(151)}`);
    expect(hant!.content).to.contain('描述（--desc）最多 150 個字');
    await chat.shouldReply('wangwu', `/客户 备注 ${id} --mobiles 13800000000,abc`, '电话（--mobiles）里的“abc”不是手机号');
    await chat.shouldReply('wangwu', `/客戶 備註 ${id} --mobiles 電話1`, '（--mobiles）裡的「電話1」不是手機號碼');
    await chat.shouldReply(
      'wangwu',
      `/customers remark ${id} --mobiles 138-0000,phone`,
      '(--mobiles): "phone" is not a phone number (digits, optionally a leading + and dashes)',
    );
    expect(chat.sim.calls('externalcontact/remark')).to.have.length(0);
    const [done] = await chat.as('wangwu').say(`/客户 备注 ${id} --remark 「老客户 A」 --mobiles 13800000000,13900000000`);
    expect(done!.content).to.contain('已更新 王五（wangwu）对');
    expect(chat.sim.corp.follow('wangwu', id).remark).to.equal('老客户 A');
    const notMine = customersOf('zhaoliu').find((f) => !chat.sim.corp.followsByCustomer.get(f.external_userid)!.has('lisi'))!;
    const [stranger] = await chat.as('lisi').say(`/客户 备注 ${notMine.external_userid} --remark x`);
    expect(stranger!.content).to.contain('该成员与此客户不是好友').and.contain('84061');
  });

  it('finds a member by name: /客户 张三 lists zhangsan’s customers, and a shared name asks which one', async () => {
    await chat.shouldReply('lisi', '/客户 张三', /张三（zhangsan）的客户：\d+ 位/);
    await chat.shouldReply('lisi', '/customers 李四', /李四 \(lisi\)'s customers/);
    // An English name or alias works too (quoted when it has a space), in any script.
    await chat.shouldReply('lisi', '/customers "Jerry Zhang"', /张三 \(zhangsan\)'s customers/);
    await chat.shouldReply('lisi', '/客戶 「jerry zhang」', /张三（zhangsan）的客戶/);
    // A name typed in the other Chinese script is the same member (the directory writes 张三, a zh-Hant user types 張三).
    await chat.shouldReply('lisi', '/客戶 張三', /张三（zhangsan）的客戶：\d+ 位/, ['張三 還沒有客戶']);
    await chat.shouldReply('lisi', '/客户 張三', /张三（zhangsan）的客户：\d+ 位/);
    await chat.shouldReply('lisi', '/customers 趙六', /赵六 \(zhaoliu\)'s customers/);
  });

  it('a name that matches nobody is never taken for a UserID: a typo offers the nearest members to pick, in each script', async () => {
    const replies = await chat.shouldReply('lisi', '/客户 张思', ['没有叫“张思”的成员', '张三（zhangsan）'], ['张思 还没有客户']);
    const card = replies.find((m) => m.msgtype === 'template_card');
    expect(card, 'the nearest names as buttons').to.not.equal(undefined);
    const [picked] = await chat.as('lisi').click(card!, 'ask:zhangsan');
    expect(picked!.content).to.match(/张三（zhangsan）的客户：\d+ 位/);
    await chat.shouldReply('lisi', '/客戶 張思', ['沒有叫「張思」的成員', '张三（zhangsan）']);
    await chat.shouldReply('lisi', '/customers 欧阳锋', ['No member is called "欧阳锋"', '/staff'], ["欧阳锋's customers"]);
  });

  it('offers the member a name sounds like (pinyin): a homophone typo, or the name typed in pinyin with a space', async () => {
    // 章珊 (zhāng shān) is two characters off 张三 but sounds nearly the same.
    await chat.shouldReply('lisi', '/客户 章珊', ['没有叫“章珊”的成员', '张三（zhangsan）']);
    await chat.shouldReply('lisi', '/客戶 章姍', ['沒有叫「章姍」的成員', '张三（zhangsan）']);
    await chat.shouldReply('lisi', '/customers "Zhao Liu"', ['No member is called "Zhao Liu"', '赵六 (zhaoliu)']);
  });

  it('asks which member is meant when several share a name, naming each with their UserID', async () => {
    chat.sim.corp.addMember({ userid: 'zhangsan2', name: '张三', department: [2], status: 'active' });
    const replies = await chat.shouldReply('lisi', '/客户 张三', ['有多位成员叫“张三”', '张三（zhangsan）', '张三（zhangsan2）']);
    // … and a card to pick one: the pick takes the name's place and the command runs again.
    const card = replies.find((m) => m.msgtype === 'template_card')!;
    expect(card.card!.main_title!.title).to.equal('“张三”是哪一个？');
    const [picked] = await chat.as('lisi').click(card, 'ask:zhangsan2');
    expect(picked!.content).to.contain('张三（zhangsan2）还没有客户');
  });

  it('finds a customer by name or remark among the member’s own, and lists them when several match', async () => {
    const mine = chat.sim.corp.customersOf('wangwu');
    const counts = new Map<string, number>();
    for (const f of mine) {
      const name = chat.sim.corp.customers.get(f.external_userid)!.name;
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    const unique = mine.find((f) => counts.get(chat.sim.corp.customers.get(f.external_userid)!.name) === 1)!;
    const name = chat.sim.corp.customers.get(unique.external_userid)!.name;
    await chat.shouldReply('wangwu', `/客户 详情 ${name}`, [unique.external_userid, '跟进成员 王五（wangwu）']);
    // Two customers with the same remark: both are listed with their ids.
    const [a, b] = mine;
    a!.remark = '老客户';
    b!.remark = '老客户';
    // The member changed the remarks in WeCom, which tells the bot (the index of names follows).
    for (const f of [a!, b!]) {
      await chat.sim.deliver({
        FromUserName: 'sys',
        MsgType: 'event',
        Event: 'change_external_contact',
        ChangeType: 'edit_external_contact',
        UserID: 'wangwu',
        ExternalUserID: f.external_userid,
      });
    }
    await chat.bot.worker.onIdle();
    await chat.shouldReply('wangwu', '/客戶 詳情 老客户', ['「老客户」對應 2 位客戶', a!.external_userid, b!.external_userid, '客戶 ID']);
  });
});
