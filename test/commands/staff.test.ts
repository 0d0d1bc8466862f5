import { startChat, type Chat } from '../helpers/chat.js';

describe('/成员 (staff)', () => {
  let chat: Chat;
  beforeEach(async () => {
    chat = await startChat({ managers: ['lisi'] });
  });
  afterEach(() => chat.close());

  it('lists the members with customer contact for a manager, in each script, and refuses staff', async () => {
    await chat.shouldReply('lisi', '/成员', [/开通客户联系的成员：\d+ 人/, 'zhangsan']);
    await chat.shouldReply('lisi', '/成員', /開通客戶聯絡的成員：\d+ 人/);
    await chat.shouldReply('lisi', '/staff', /Members with customer contact: \d+/);
    await chat.shouldReply('wangwu', '/成员', '需要主管权限', ['zhangsan']);
  });

  it('names the page option by its label when its value is wrong', async () => {
    await chat.shouldReply('lisi', '/成员 --page x', ['页码（--page）需要一个整数', '/成员 [--page ＜页码＞]']);
  });
});
