import { startChat, type Chat } from '../helpers/chat.js';

describe('/我 (whoami)', () => {
  let chat: Chat;
  beforeEach(async () => {
    chat = await startChat({ admins: ['zhangsan'] });
  });
  afterEach(() => chat.close());

  it('tells each member their UserID, role and reply language, in the script they typed', async () => {
    await chat.shouldReply('wangwu', '/我', ['你是 王五（wangwu），员工', '回复语言：简体中文', /你可以使用 \d+ 个命令/]);
    await chat.shouldReply('zhangsan', '/whoami', ['You are 张三 (zhangsan), admin', 'Reply language: English']);
    await chat.shouldReply('zhangsan', '/語言 zh-Hant', '繁體中文');
    await chat.shouldReply('zhangsan', '/我', ['你是 张三（zhangsan），管理員', '回覆語言：繁體中文']);
  });

  it('counts only the commands the member may run', async () => {
    const [staff] = await chat.as('wangwu').say('/我');
    const [admin] = await chat.as('zhangsan').say('/我');
    const count = (text: string | undefined) => Number(/使用 (\d+) 个命令/.exec(text ?? '')?.[1]);
    if (!(count(staff?.content) < count(admin?.content))) throw new Error(`staff ${staff?.content} vs admin ${admin?.content}`);
  });
});
