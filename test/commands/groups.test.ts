import { expect } from 'chai';
import { startChat, type Chat } from '../helpers/chat.js';

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
