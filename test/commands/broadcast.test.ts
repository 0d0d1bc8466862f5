import { expect } from 'chai';
import type { CapturedMessage } from '../../src/simulator/index.js';
import { startChat, textOf, type Chat } from '../helpers/chat.js';
import { until } from '../helpers/runtime.js';

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

describe('/群发 列表, /群发 取消, and the reminders a day later (issue 28)', () => {
  let chat: Chat | undefined;
  afterEach(async () => {
    await chat?.close();
    chat = undefined;
  });

  /** A chat whose bot reads the corp's clock (as the demo's does): moving it a day brings the reminders. */
  const open = async () => {
    let sim: Chat['sim'] | undefined;
    const started = await startChat({
      admins: ['zhangsan'],
      managers: ['lisi'],
      bot: { clock: () => sim?.clock.now() ?? Date.now(), quietHours: { from: 0, until: 0 }, notices: { everyMs: 50 }, schedules: { everyMs: 50 } },
    });
    sim = started.sim;
    return started;
  };
  const create = async (c: Chat, text: string) => {
    const id = c.sim.corp.customersOf('wangwu')[0]!.external_userid;
    const [created] = await c.as('zhangsan').click(card(await c.as('zhangsan').say(`/群发 --sender wangwu --to ${id} --text ${text}`)), 'confirm');
    return /`(msg[^`]+)`/.exec(created!.content!)![1]!;
  };
  const reminders = (c: Chat) => c.sim.requests.filter((r) => r.path === 'externalcontact/remind_groupmsg_send');
  const toZhangsan = (c: Chat, seq: number) => c.sim.captures.messages.filter((m) => m.seq > seq && m.touser.includes('zhangsan')).map(textOf);
  const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('lists this month’s mass messages, and stops one after confirmation; an unknown ID is said in words', async () => {
    chat = await open();
    const msgid = await create(chat, '「周末活动」');
    await chat.shouldReply('zhangsan', '/群发 列表', ['这个月的企业群发（1 条', '周末活动', msgid, '由 张三（zhangsan）发起']);
    await chat.shouldReply('zhangsan', '/broadcast cancel msgNOPE', 'There is no mass message msgNOPE', ['41047']);
    chat.sim.clock.advance(5000); // past WeCom's dispatching (41063): the card names who has not sent it
    const plan = card(await chat.as('zhangsan').say(`/群發 取消 ${msgid}`));
    expect(textOf(plan)).to.contain('停止這則群發').and.contain(msgid).and.contain('王五');
    expect(chat.sim.corp.msgTemplates.get(msgid)!.cancelled).to.equal(undefined);
    const [done] = await chat.as('zhangsan').click(plan, 'confirm');
    expect(textOf(done!)).to.contain(`已停止群發 ${msgid}`);
    expect(chat.sim.corp.msgTemplates.get(msgid)!.cancelled).to.equal(true);
    await chat.shouldReply('zhangsan', '/群发 列表', '已停止');
    await chat.shouldReply('lisi', '/群发 列表', '管理员');
  });

  it('a day later reminds the sender through WeCom once a day, three times at most, and tells the admin each time', async () => {
    chat = await open();
    const msgid = await create(chat, '「新品上市」');
    const seq = chat.sim.captures.lastSeq;
    chat.sim.clock.advance(23 * 3600_000);
    await wait(300);
    expect(reminders(chat), 'not before a day').to.have.length(0);
    for (let day = 1; day <= 4; day++) {
      // The reminders look once an hour (at :05): the first comes in the hour after the day is up.
      chat.sim.clock.advance(day === 1 ? 2 * 3600_000 + 6 * 60_000 : 24 * 3600_000);
      const expected = Math.min(day, 3);
      await until(() => reminders(chat!).length === expected, `reminder ${expected}`);
      await wait(200);
    }
    expect(reminders(chat)).to.have.length(3);
    expect(reminders(chat).every((r) => (r.body as { msgid: string }).msgid === msgid)).to.equal(true);
    const tallies = toZhangsan(chat, seq).filter((t) => t.includes(`群发 ${msgid}：0/1 位成员已发送`));
    expect(tallies).to.have.length(3);
    expect(tallies[0]).to.contain('王五（wangwu）').and.contain('已通过企业微信提醒还没有发送的成员（第 1 次）');
    expect(tallies[2]).to.contain('不会再提醒了').and.contain(`/群发 取消 ${msgid}`);
  });

  it('once the sender has sent it, the admin hears so and nobody is reminded', async () => {
    chat = await open();
    const msgid = await create(chat, '「感恩回馈」');
    const seq = chat.sim.captures.lastSeq;
    chat.sim.clock.advance(5000);
    chat.sim.corp.confirmMassMessage(msgid, 'wangwu');
    chat.sim.clock.advance(25 * 3600_000);
    await until(() => toZhangsan(chat!, seq).some((t) => t.includes(`群发 ${msgid}：1 位成员都已发送`)), 'the tally');
    expect(reminders(chat)).to.have.length(0);
  });
});
