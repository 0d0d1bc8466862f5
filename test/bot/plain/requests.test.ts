import { expect } from 'chai';
import { startChat, type Chat } from '../../helpers/chat.js';

describe('plain requests in chat', () => {
  let chat: Chat;
  before(async () => {
    chat = await startChat({ admins: ['zhangsan'], managers: ['lisi'] });
    // zhouba left before the bot came: an admin gave him his name.
    await chat.shouldReply('zhangsan', '/成员 备注 zhouba 周八', '已记下');
  });
  after(() => chat.close());

  it('answers "张三有多少客户" with that member’s customers, showing the command it read, in each script', async () => {
    await chat.shouldReply('lisi', '张三有多少客户？', ['按这条命令处理：</font>`/客户 张三`', /张三（zhangsan）的客户：\d+ 位/], ['发送 /帮助']);
    await chat.shouldReply('lisi', '張三有多少客戶？', ['按這條指令處理：</font>`/客戶 張三`', /张三（zhangsan）的客戶：\d+ 位/]);
    await chat.shouldReply('lisi', 'how many customers does zhangsan have', ['Read as: </font>`/customers zhangsan`', /张三 \(zhangsan\)'s customers: \d+/]);
  });

  it('answers "我的客户", "帮助" and a command word without its slash, in each script', async () => {
    await chat.shouldReply('wangwu', '我的客户', ['`/客户`', /王五（wangwu）的客户：\d+ 位/]);
    await chat.shouldReply('wangwu', '我的客戶', ['`/客戶`', /王五（wangwu）的客戶：\d+ 位/]);
    await chat.shouldReply('wangwu', 'my customers', ['`/customers`', /王五 \(wangwu\)'s customers/]);
    await chat.shouldReply('wangwu', '帮助', ['`/帮助`', '你可以使用的命令']);
    await chat.shouldReply('wangwu', '幫助', ['`/幫助`', '你可以使用的指令']);
    await chat.shouldReply('wangwu', 'help', ['`/help`', 'Commands you can use']);
    await chat.shouldReply('wangwu', '客户', ['`/客户`', /王五（wangwu）的客户/]);
    await chat.shouldReply('wangwu', '客戶', ['`/客戶`', /王五（wangwu）的客戶/]);
  });

  it('answers "把周八的客户转给李四" with the same confirmation card as the command, in each script', async () => {
    for (const [sentence, line, title] of [
      ['把周八的客户转给李四', '/转接 全部 --from 周八 --to 李四', /转接全部 \d+ 位客户/],
      ['把周八的客戶轉給李四', '/轉接 全部 --from 周八 --to 李四', /轉接全部 \d+ 位客戶/],
      ["transfer zhouba's customers to lisi", '/transfer all --from zhouba --to lisi', /Transfer all \d+ customers/],
    ] as const) {
      const replies = await chat.shouldReply('zhangsan', sentence, [`\`${line}\``, title]);
      expect(replies.some((m) => m.msgtype === 'template_card')).to.equal(true);
    }
    await chat.shouldReply('zhangsan', '/取消', '');
  });

  it('asks for what a sentence leaves out, as the command would', async () => {
    await chat.shouldReply('zhangsan', '把客户转给李四', ['`/转接 --to 李四`', '从哪位成员转出', '周八（36 位）']);
    await chat.shouldReply('zhangsan', '/取消', '已取消');
  });

  it('a sentence it cannot read gets the hint with examples, and the commands it mentions', async () => {
    await chat.shouldReply('wangwu', '今天天气怎么样', ['发送 /帮助', '“张三有多少客户”'], ['按这条命令处理']);
    await chat.shouldReply('wangwu', '今天天氣怎麼樣', ['傳送 /幫助', '「張三有多少客戶」']);
    await chat.shouldReply('wangwu', 'what is the weather like', ['Send /help', '"my customers"']);
    await chat.shouldReply('wangwu', '统计一下客户怎么弄', ['你可能想用：', '`/客户`']);
  });
});
