import { expect } from 'chai';
import { startChat, type Chat } from '../../helpers/chat.js';

describe('the turn pipeline in process (typed lines handed to the bot, WeCom simulated over HTTP)', () => {
  let chat: Chat;
  beforeEach(async () => {
    chat = await startChat({ admins: ['zhangsan'], transport: 'direct' });
  });
  afterEach(() => chat.close());

  it('answers as the HTTP road does: a command in each script, a question and its answer, a refusal', async () => {
    await chat.shouldReply('wangwu', '/我', ['wangwu', '员工']);
    await chat.shouldReply('wangwu', '/whoami', ['wangwu', 'staff']);
    await chat.shouldReply('wangwu', '/成員', '沒有權限：這個操作需要主管權限');
    await chat.shouldReply('zhangsan', '/确认', '确认码');
    await chat.shouldReply('zhangsan', 'NOPE22', '找不到这个确认码');
    await chat.shouldReply('wangwu', '/审计', '需要管理员权限');
    const [entry] = await chat.bot.bot.audit.recent({ user: 'wangwu', limit: 1 });
    expect(entry).to.deep.include({ command: 'audit', decision: 'denied' });
  });
});
