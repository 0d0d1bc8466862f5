import { expect } from 'chai';
import { startAibotChat, type AibotChat } from '../helpers/aibot.js';

describe('the 智能机器人 over its long connection (official SDK ↔ simulator)', () => {
  let chat: AibotChat;
  afterEach(async () => {
    await chat?.close();
  });

  it('/帮助 in a single chat: "处理中…" at once, then the help in the same message', async () => {
    chat = await startAibotChat({ admins: ['zhangsan'] });
    const stream = await chat.ask('wangwu', '/帮助');
    expect(stream.frames[0]).to.contain('处理中');
    expect(stream.content).to.contain('/客户');
    expect(stream.content).not.to.contain('处理中');
    expect(stream.chatType).to.equal('single');
    expect(chat.ws.errors()).to.deep.equal([]);
  });
});
