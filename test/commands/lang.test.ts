import { startChat, type Chat } from '../helpers/chat.js';

describe('/语言 (lang)', () => {
  let chat: Chat;
  beforeEach(async () => {
    chat = await startChat();
  });
  afterEach(() => chat.close());

  it('shows the reply language and the choices, sets it by code or by name, and answers in it from then on', async () => {
    await chat.shouldReply('wangwu', '/语言', ['当前回复语言：简体中文', 'zh-Hant']);
    await chat.shouldReply('wangwu', '/语言 繁體', '回覆語言已設定為繁體中文');
    await chat.shouldReply('wangwu', '/帮助', '/語言', ['/语言']);
    await chat.shouldReply('wangwu', '/lang en', 'Replies are now in English.');
    await chat.shouldReply('wangwu', '/帮助', '/lang');
  });

  it('refuses a language it does not know, in words, and keeps the one it had', async () => {
    await chat.shouldReply('wangwu', '/语言 klingon', ['不认识的语言“klingon”', 'zh-Hans、zh-Hant、en']);
    await chat.shouldReply('wangwu', '/語言 xx', '不認識的語言');
    await chat.shouldReply('wangwu', '/语言', '简体中文');
  });
});
