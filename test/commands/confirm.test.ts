import { expect } from 'chai';
import { proposeTagDeletion, startChat, type Chat } from '../helpers/chat.js';

describe('/确认 (confirm)', () => {
  let chat: Chat;
  beforeEach(async () => {
    chat = await startChat({ admins: ['zhangsan', 'wangwu'] });
  });
  afterEach(() => chat.close());

  const propose = () => proposeTagDeletion(chat, 'zhangsan');

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
