import { expect } from 'chai';
import { startChat, type Chat } from '../helpers/chat.js';

describe('/取消 (cancel)', () => {
  let chat: Chat;
  beforeEach(async () => {
    chat = await startChat({ admins: ['zhangsan', 'wangwu'] });
  });
  afterEach(() => chat.close());

  /** Creates a tag, proposes deleting it, and returns the card's typed fallback code. */
  const propose = async () => {
    await chat.as('zhangsan').say('/标签 新增 临时 待删');
    const [card] = await chat.as('zhangsan').say('/标签 删除 待删');
    const code = /[A-Z0-9]{6}/.exec(JSON.stringify(card?.card ?? {}))?.[0];
    if (!code) throw new Error('no code on the card');
    return code;
  };

  it('/取消 <code> cancels and nothing runs; another admin cannot decide it; an unknown code is explained', async () => {
    const code = await propose();
    await chat.shouldReply('wangwu', `/取消 ${code}`, '只有发起人 zhangsan 可以确认或取消这个操作');
    // Answered in the language it was typed in (the card was Chinese).
    await chat.shouldReply('zhangsan', `/cancel ${code}`, 'Cancelled');
    await chat.shouldReply('zhangsan', '/确认 ZZZZZZ', '找不到这个确认码');
    expect(chat.sim.calls('externalcontact/del_corp_tag')).to.have.length(0);
  });

  it('alone, with no question waiting, says how to cancel a card', async () => {
    await chat.shouldReply('zhangsan', '/取消', ['现在没有等你回答的问题', '/取消 ＜确认码＞']);
  });
});
