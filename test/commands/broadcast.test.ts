import { expect } from 'chai';
import type { CapturedMessage } from '../../src/simulator/index.js';
import { startChat, textOf, type Chat } from '../helpers/chat.js';

const card = (messages: CapturedMessage[]) => {
  const found = messages.find((m) => m.msgtype === 'template_card');
  if (!found) throw new Error(`no card in ${JSON.stringify(messages.map((m) => m.content))}`);
  return found;
};
const ecCalls = (chat: Chat) => chat.sim.requests.filter((r) => r.path.startsWith('externalcontact/')).length;

describe('/群发 (broadcast)', () => {
  let chat: Chat;
  beforeEach(async () => {
    chat = await startChat({ admins: ['zhangsan'], managers: ['lisi'] });
  });
  afterEach(() => chat.close());

  it('群发 to a tag shows the recipient count on the card, then the msgid; 结果 reports per member', async () => {
    const tag = chat.sim.corp.tagGroups[0]!.tag[0]!;
    const expected = chat.sim.corp.customersOf('zhangsan').filter((f) => f.tagIds.includes(tag.id)).length;
    const plan = card(await chat.as('zhangsan').say(`/群发 --sender zhangsan --tag ${tag.name} --text 「周末活动邀请」`));
    expect(textOf(plan)).to.contain(`群发给 ${expected} 位客户`);
    const [created] = await chat.as('zhangsan').click(plan, 'confirm');
    expect(created!.content).to.contain(`群发已创建：${expected} 位客户待发送`);
    const msgid = /`(msg[^`]+)`/.exec(created!.content!)![1]!;
    // Right after it is created WeCom is still dispatching it (41063): a moment to wait, in words.
    await chat.shouldReply('zhangsan', `/群发 结果 ${msgid}`, `群发 ${msgid} 还在准备中：请一分钟后再查询。`, ['41063']);
    chat.sim.clock.advance(5000);
    // Nothing goes out until the sender confirms in the WeCom client.
    const [waiting] = await chat.as('zhangsan').say(`/群發 結果 ${msgid}`);
    expect(waiting!.content).to.contain('群發結果').and.contain('**张三（zhangsan）** <font color="warning">還沒有確認傳送</font>');
    expect(waiting!.content).to.contain('1 位成員還沒有在企業微信裡確認傳送');
    chat.sim.corp.confirmMassMessage(msgid, 'zhangsan');
    const [result] = await chat.as('zhangsan').say(`/群發 結果 ${msgid}`);
    expect(result!.content).to.contain('已確認傳送').and.contain('已傳送').and.contain('**张三（zhangsan）**').and.not.contain('還沒有確認');
  });

  it('a customer over the month’s quota of mass messages is counted apart, with the reason in words', async () => {
    const id = chat.sim.corp.customersOf('zhangsan')[0]!.external_userid;
    chat.sim.corp.massMessagesPerCustomerPerMonth = 1;
    const send = async (text: string) => {
      const [created] = await chat.as('zhangsan').click(card(await chat.as('zhangsan').say(`/群发 --sender zhangsan --to ${id} --text ${text}`)), 'confirm');
      const msgid = /`(msg[^`]+)`/.exec(created!.content!)![1]!;
      chat.sim.corp.confirmMassMessage(msgid, 'zhangsan');
      chat.sim.clock.advance(5000);
      return msgid;
    };
    await send('第一条');
    chat.sim.clock.advance(2 * 86400_000); // another day of the same month or the next: the monthly quota counts
    const second = await send('第二条');
    const [result] = await chat.as('zhangsan').say(`/broadcast result ${second}`);
    expect(result!.content).to.contain("got another mass message (over the customer's quota)");
  });

  it('asks for a required option left out, with the members who can send as buttons; the answer completes the command', async () => {
    await chat.shouldReply('zhangsan', '/群发 --tag 重要 --text 你好', ['由哪位成员发送？', '张三', '点按钮选择，或直接输入']);
    const [card] = await chat.as('zhangsan').say('zhangsan');
    expect(card!.msgtype).to.equal('template_card');
    // /取消 ends a question: what is typed next is no answer any more.
    await chat.shouldReply('zhangsan', '/群发 --tag 重要 --text 你好', '由哪位成员发送？');
    await chat.shouldReply('zhangsan', '/取消', '已取消，什么也没有做');
    await chat.shouldReply('zhangsan', 'zhangsan', '/帮助');
  });

  it('群发 refuses a sender who cannot send, before any card', async () => {
    await chat.shouldReply(
      'zhangsan',
      '/群发 --sender nobody --tag 重要 --text 你好',
      ['发送成员 nobody 不是开通了客户联系的在职成员', '--sender'],
      ['确认执行'],
    );
    expect(chat.sim.captures.messages.filter((m) => m.msgtype === 'template_card')).to.have.length(0);
  });

  it('群发 refuses text over 4000 bytes and a missing audience before any call', async () => {
    const before = ecCalls(chat);
    const [tooBig] = await chat.as('zhangsan').say(`/群发 --sender zhangsan --to wm1 --text ${'字'.repeat(1334)}`);
    expect(tooBig!.content).to.contain('（--text）最多 4000 字节');
    const [noAudience] = await chat.as('zhangsan').say('/群發 --sender zhangsan --text hi');
    expect(noAudience!.content).to.contain('還需要客戶 ID（--to）或標籤（--tag）中的一項');
    expect(ecCalls(chat)).to.equal(before);
  });
});
