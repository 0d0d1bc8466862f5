import { expect } from 'chai';
import { startChat, type Chat } from '../helpers/chat.js';

describe('/离职 (resigned)', () => {
  let chat: Chat;
  beforeEach(async () => {
    chat = await startChat({ admins: ['zhangsan'], managers: ['lisi'] });
  });
  afterEach(() => chat.close());
  const customersOf = (u: string) => chat.sim.corp.customersOf(u);

  it('/离职 groups the unassigned customers by resigned member with counts and dates', async () => {
    const [reply] = await chat.as('lisi').say('/离职');
    const count = customersOf('zhouba').length;
    // The group chat zhouba owned waits for a new owner too.
    const chats = [...chat.sim.corp.groupChats.values()].filter((c) => c.owner === 'zhouba' && c.status === 1).length;
    expect(reply!.content).to.contain(`离职成员待分配：1 人，共 ${count} 位客户、${chats} 个客户群`).and.contain('**zhouba**').and.contain(`${count} 位客户`);
    const [hant] = await chat.as('lisi').say('/離職');
    expect(hant!.content).to.contain('離職成員待分配：1 人');
    const [denied] = await chat.as('wangwu').say('/离职');
    expect(denied!.content).to.contain('没有权限');
  });

  it('suggests the next command with the member filled in, and only to those who may run it', async () => {
    await chat.shouldReply('zhangsan', '/离职', ['/转接 全部 --from zhouba --to ＜接替成员＞'], ['联系管理员']);
    await chat.shouldReply('lisi', '/離職', ['需要管理員'], ['/轉接 全部 --from']);
    await chat.shouldReply('zhangsan', '/resigned', '/transfer all --from zhouba --to TAKEOVER');
  });
});

describe('/离职 in a corp of 1,200 members (over the 1,000 WeCom lists chats for at once)', () => {
  let chat: Chat;
  afterEach(() => chat.close());

  it('still counts the group chats waiting: each member who left is asked about alone (81017 otherwise)', async () => {
    chat = await startChat({ admins: ['zhangsan'], managers: ['lisi'], sim: { members: 1200, departments: 20, customers: 3000 } });
    const chats = [...chat.sim.corp.groupChats.values()].filter((c) => c.owner === 'zhouba' && c.status === 1).length;
    expect(chats).to.be.greaterThan(0);
    const count = chat.sim.corp.customersOf('zhouba').length;
    await chat.shouldReply('lisi', '/离职', `离职成员待分配：1 人，共 ${count} 位客户、${chats} 个客户群`);
    // Asked owner by owner: one list per member who left, none for those in service.
    const lists = chat.sim.calls('externalcontact/groupchat/list');
    expect(lists.filter((c) => (c.body.owner_filter as { userid_list?: string[] } | undefined)?.userid_list?.includes('zhouba'))).to.have.length(1);
    expect(lists.length).to.be.at.most(3);
  });
});
