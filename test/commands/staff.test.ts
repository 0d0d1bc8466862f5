import { expect } from 'chai';
import { startChat, type Chat } from '../helpers/chat.js';

describe('/成员 (staff)', () => {
  let chat: Chat;
  beforeEach(async () => {
    chat = await startChat({ admins: ['zhangsan'], managers: ['lisi'] });
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

  it('an admin names a member who left before the bot knew them, and the name then works where members are named', async () => {
    // zhouba resigned before the bot first read the contacts: WeCom names him nowhere.
    await chat.shouldReply('zhangsan', '/转接 全部 --from 周八 --to 李四', '没有叫“周八”的成员');
    await chat.shouldReply('lisi', '/成员 备注 zhouba 周八', '需要管理员权限');
    await chat.shouldReply('zhangsan', '/成员 备注 周八 周八', ['“周八”不是 UserID', '_ - . @']);
    await chat.shouldReply('zhangsan', '/成員 備註 lisi 小李', ['lisi 在通訊錄裡叫 李四', '不需要備註']);
    await chat.shouldReply('zhangsan', '/成员 备注 zhouba 周八', ['已记下：zhouba 叫 周八', '转接']);
    const replies = await chat.shouldReply('zhangsan', '/转接 全部 --from 周八 --to 李四', '周八（zhouba）', ['没有叫“周八”的成员']);
    expect(
      replies.some((m) => m.msgtype === 'template_card'),
      'the confirmation card',
    ).to.equal(true);
    await chat.shouldReply('zhangsan', '/staff name zhouba "Zhou Ba"', 'Noted: zhouba is Zhou Ba');
  });
});
