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
    expect(mine!.content).to.contain('群主 wangwu').and.not.contain('群主 zhaoliu');
    expect(chat.sim.calls('externalcontact/groupchat/list').at(-1)!.body).to.deep.include({ owner_filter: { userid_list: ['wangwu'] } });
    const [denied] = await chat.as('wangwu').say('/群 --owner zhaoliu');
    expect(denied!.content).to.contain('没有权限');
    const [all] = await chat.as('lisi').say('/群 --status 1');
    expect(all!.content).to.contain('群主 zhouba').and.contain('群主已离职待继承');
    const chatId = [...chat.sim.corp.groupChats.values()].find((c) => c.owner === 'wangwu')!.chat_id;
    const [detail] = await chat.as('wangwu').say(`/群 詳情 ${chatId}`);
    expect(detail!.content).to.contain('群主').and.contain('客戶數');
  });
});
