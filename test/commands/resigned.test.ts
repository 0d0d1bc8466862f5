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
