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
    expect(reply!.content).to.contain('离职成员待分配客户：1 人').and.contain('**zhouba**').and.contain(`${count} 位客户`);
    const [hant] = await chat.as('lisi').say('/離職');
    expect(hant!.content).to.contain('離職成員待分配客戶');
    const [denied] = await chat.as('wangwu').say('/离职');
    expect(denied!.content).to.contain('没有权限');
  });
});
