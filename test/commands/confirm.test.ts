import { expect } from 'chai';
import { startChat, type Chat } from '../helpers/chat.js';

describe('/确认 (confirm)', () => {
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

  it('/确认 <code> runs the proposal once; typing it again says it was handled', async () => {
    const code = await propose();
    await chat.shouldReply('zhangsan', `/确认 ${code}`, '已删除 1 个标签');
    await chat.shouldReply('zhangsan', `/确认 ${code}`, '已经处理过了');
    expect(chat.sim.calls('externalcontact/del_corp_tag')).to.have.length(1);
  });

  it('asks for the code by its label when it is missing', async () => {
    await chat.shouldReply('zhangsan', '/确认', ['缺少确认码。', '/确认 ＜确认码＞']);
  });
});
