import { expect } from 'chai';
import { proposeTagDeletion, startChat, type Chat } from '../helpers/chat.js';

describe('/取消 (cancel)', () => {
  let chat: Chat;
  beforeEach(async () => {
    chat = await startChat({ admins: ['zhangsan', 'wangwu'] });
  });
  afterEach(() => chat.close());

  const propose = () => proposeTagDeletion(chat, 'zhangsan');

  it('/取消 <code> cancels and nothing runs; another admin cannot decide it; an unknown code is explained', async () => {
    const code = await propose();
    await chat.shouldReply('wangwu', `/取消 ${code}`, '只有发起人 张三（zhangsan）可以确认或取消这个操作');
    // Answered in the language it was typed in (the card was Chinese).
    await chat.shouldReply('zhangsan', `/cancel ${code}`, 'Cancelled');
    await chat.shouldReply('zhangsan', '/确认 ZZZZZZ', '找不到这个确认码');
    expect(chat.sim.calls('externalcontact/del_corp_tag')).to.have.length(0);
  });

  it('alone, with no question waiting, says how to cancel a card', async () => {
    await chat.shouldReply('zhangsan', '/取消', ['现在没有等你回答的问题', '/取消 ＜确认码＞']);
  });
});
