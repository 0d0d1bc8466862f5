import { expect } from 'chai';
import { startChat, textOf, type Chat } from '../helpers/chat.js';

describe('/群 (groups)', () => {
  let chat: Chat;
  beforeEach(async () => {
    chat = await startChat({ admins: ['zhangsan'], managers: ['lisi'] });
  });
  afterEach(() => chat.close());

  it('/群 shows staff only their own chats; /群 详情 counts staff and customers', async () => {
    const [mine] = await chat.as('wangwu').say('/群');
    expect(mine!.content).to.contain('群主 王五（wangwu）').and.not.contain('zhaoliu');
    expect(chat.sim.calls('externalcontact/groupchat/list').at(-1)!.body).to.deep.include({ owner_filter: { userid_list: ['wangwu'] } });
    const [denied] = await chat.as('wangwu').say('/群 --owner zhaoliu');
    expect(denied!.content).to.contain('没有权限');
    const [all] = await chat.as('lisi').say('/群 --status 1');
    expect(all!.content).to.contain('群主 zhouba').and.contain('群主已离职待继承');
    const chatId = [...chat.sim.corp.groupChats.values()].find((c) => c.owner === 'wangwu')!.chat_id;
    const [detail] = await chat.as('wangwu').say(`/群 詳情 ${chatId}`);
    expect(detail!.content).to.contain('群主').and.contain('客戶數');
  });

  it('pages the same way for every role: a total, no next on the last page, a page past the end says how many there are', async () => {
    const total = [...chat.sim.corp.groupChats.values()].filter((c) => c.external !== false).length;
    const [first] = await chat.as('lisi').say('/群');
    expect(first!.content).to.match(/客户群：共 \d+ 个/);
    const pages = Math.ceil(Number(/共 (\d+) 个/.exec(first!.content!)![1]) / 10);
    const [last] = await chat.as('lisi').say(`/群 --page ${pages}`);
    expect(last!.content).not.to.contain('下一页');
    await chat.shouldReply('lisi', '/群 --page 99', `只有 ${pages} 页`);
    await chat.shouldReply('wangwu', '/群 --page 9', /只有 \d+ 页/); // staff: their own chats, the same rule
    expect(total).to.be.greaterThan(0);
  });
});

describe('/群 by name (issue 25)', () => {
  let chat: Chat;
  beforeEach(async () => {
    chat = await startChat({ admins: ['zhangsan'], managers: ['lisi'] });
  });
  afterEach(() => chat.close());

  it('opens a group chat by its name, in either script, and offers the nearest names for a typo', async () => {
    const chat1 = [...chat.sim.corp.groupChats.values()].find((c) => c.owner === 'zhaoliu' && c.external)!;
    await chat.shouldReply('lisi', `/群 详情 ${chat1.name}`, [`客户群：${chat1.name}`, '群主'], ['86003']);
    await chat.shouldReply('lisi', `/群 詳情 ${chat1.name.replace('赵', '趙')}`, ['群主'], ['86003']);
    const typo = chat1.name.replace('客户群', '客服群');
    const replies = await chat.shouldReply('lisi', `/群 详情 ${typo}`, [`没有叫“${typo}”的客户群`, chat1.name], ['86003']);
    expect(
      replies.some((m) => m.msgtype === 'template_card'),
      'the nearest names to pick',
    ).to.equal(true);
    // /群 <a chat's name> is that chat too.
    await chat.shouldReply('zhaoliu', `/群 ${chat1.name}`, ['群主'], ['多余的参数']);
  });

  it('/群 <member> lists that member’s chats; --status takes words; /群 详情 alone offers the chats by name', async () => {
    await chat.shouldReply('lisi', '/群 zhaoliu', /客户群：共 \d+ 个/, ['多余的参数']);
    await chat.shouldReply('lisi', '/群 赵六', /客户群：共 \d+ 个/);
    await chat.shouldReply('lisi', '/群 --status 待继承', /客户群|没有符合条件的客户群/, ['看不懂']);
    await chat.shouldReply('lisi', '/群 --status 离职', '看不懂状态“离职”');
    const asked = await chat.as('zhaoliu').say('/群 详情');
    const card = asked.find((m) => m.msgtype === 'template_card')!;
    const own = [...chat.sim.corp.groupChats.values()].filter((c) => c.owner === 'zhaoliu' && c.external).map((c) => c.name);
    expect(textOf(card)).to.contain(own[0]);
  });
});
