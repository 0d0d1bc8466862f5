import { expect } from 'chai';
import type { CapturedMessage } from '../../src/simulator/index.js';
import { startChat, textOf, type Chat } from '../helpers/chat.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { startRuntime, type Runtime } from '../../src/runtime.js';
import { until } from '../helpers/runtime.js';
import { redisPrefix, redisUrl, tempSqliteUrl } from '../helpers/stores.js';

/** Waits until `check` (which may read the store) holds. */
async function eventually(check: () => Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** What the bot sent `userid` after message `seq`, as text. */
function sentTo(chat: Chat, userid: string, seq: number): string[] {
  return chat.sim.captures.messages.filter((m: CapturedMessage) => m.seq > seq && m.touser.includes(userid)).map(textOf);
}

/** A moment in Asia/Shanghai (UTC+8) on 2026-12-07, at `hour`:`minute`. */
const shanghai = (hour: number, minute = 0) => Date.UTC(2026, 11, 7, hour - 8, minute);

describe('/订阅 (subscribe) and the alerts it governs', () => {
  let chat: Chat | undefined;
  afterEach(async () => {
    await chat?.close();
    chat = undefined;
  });

  /** The outbox's clock: running from 10:00 in Shanghai (outside quiet hours) unless a test gives its own. */
  const daytime = () => {
    const start = Date.now();
    return () => shanghai(10) + (Date.now() - start);
  };
  const open = (clock: { now: () => number } = { now: daytime() }) =>
    startChat({ admins: ['zhangsan'], managers: ['lisi'], bot: { notices: { everyMs: 50, retryFirstMs: 50 }, clock: clock.now } });

  it('lists what each role receives and may turn on, in three scripts, and turns items on and off by name', async () => {
    chat = await open();
    await chat.shouldReply(
      'wangwu',
      '/订阅',
      ['你的提醒：开着 1 项，共 1 项可选', '流失客户', '客户把你删除时告诉你', '/订阅 开'],
      ['成员流失客户', '删除客户'],
    );
    await chat.shouldReply('lisi', '/訂閱', ['開著 2 項，共 4 項可選', '成員流失客戶', '群解散', '每週簡報', '關著'], ['刪除客戶']);
    await chat.shouldReply('zhangsan', '/subscribe', [
      'Your alerts: 3 on, of 6 you may have',
      'lost-customers',
      'weekly-digest',
      'resigned-reminder',
      'deletions',
      'Off',
    ]);
    await chat.shouldReply('wangwu', '/订阅 关 流失', '已关闭「流失客户」');
    await chat.shouldReply('wangwu', '/订阅 关 流失客户', '「流失客户」已经关着');
    await chat.shouldReply('wangwu', '/訂閱 開 流失客戶', '已開啟「流失客戶」');
    await chat.shouldReply('wangwu', '/subscribe on team-lost', ['is for managers and admins', 'lost-customers']);
    await chat.shouldReply('wangwu', '/cancel', 'ancel');
    // A wrong word is asked again, with the items to pick; the answer typed by name runs the command.
    const asked = (await chat.as('lisi').say('/订阅 开 天气')).map(textOf).join('\n');
    expect(asked).to.contain('没有叫“天气”的提醒项目').and.contain('成员流失客户').and.contain('每周简报').and.not.contain('删除客户');
    await chat.shouldReply('lisi', '成员流失客户', '已打开「成员流失客户」');
    await chat.shouldReply('lisi', '/订阅 开 成员流失客户', '「成员流失客户」已经开着');
    await chat.shouldReply('lisi', '/订阅', '开着 3 项，共 4 项可选');
  });

  it('a customer who deletes a member: the member is told once however often WeCom delivers it, with the remark, tags and since when; a manager who subscribed too', async () => {
    chat = await open();
    await chat.as('lisi').say('/订阅 开 成员流失客户');
    const customer = [...(chat.sim.corp.followsByUser.get('linfang')?.keys() ?? [])][0]!;
    const follow = chat.sim.corp.follow('linfang', customer);
    follow.remark = '王总（老客户）';
    const seq = chat.sim.captures.lastSeq;
    await chat.sim.customerDeletesMember('linfang', { externalUserId: customer, times: 3 });
    await chat.bot.worker.onIdle();
    await until(() => sentTo(chat!, 'linfang', seq).length > 0 && sentTo(chat!, 'lisi', seq).length > 0, 'the alerts');
    await new Promise((r) => setTimeout(r, 200));
    const toMember = sentTo(chat, 'linfang', seq);
    expect(toMember, 'one alert for three deliveries').to.have.length(1);
    const name = chat.sim.corp.customers.get(customer)!.name;
    expect(toMember[0])
      .to.contain(`客户 ${name}（${customer}）删除了你`)
      .and.contain('备注')
      .and.contain('王总（老客户）')
      .and.contain('添加于')
      .and.match(/共 \d+ 天/)
      .and.contain('企业微信不会通知你');
    const toManager = sentTo(chat, 'lisi', seq);
    expect(toManager).to.have.length(1);
    expect(toManager[0]).to.contain('林芳').and.contain('被客户').and.contain(name);
    // Another manager's department is not lisi's: wangwu's customer leaving tells wangwu only.
    await chat.sim.customerDeletesMember('wangwu');
    await chat.bot.worker.onIdle();
    await until(() => sentTo(chat!, 'wangwu', seq).length > 0, 'the alert to wangwu');
    expect(sentTo(chat, 'lisi', seq)).to.have.length(1);
    // Turned off, nothing more.
    await chat.as('linfang').say('/订阅 关 流失客户');
    const after = chat.sim.captures.lastSeq;
    await chat.sim.customerDeletesMember('linfang');
    await chat.bot.worker.onIdle();
    await new Promise((r) => setTimeout(r, 200));
    expect(sentTo(chat, 'linfang', after)).to.deep.equal([]);
  });

  it('an alert that cannot be sent waits in the store and is sent once WeCom takes messages again', async () => {
    chat = await open();
    const seq = chat.sim.captures.lastSeq;
    chat.sim.faults = { http500Rate: 1, paths: /message\/send/ };
    await chat.sim.customerDeletesMember('wangwu');
    await chat.bot.worker.onIdle();
    await eventually(async () => (await chat!.bot.bot.notices.waiting()).some((n) => n.failures >= 2), 'two failed sends');
    expect(sentTo(chat, 'wangwu', seq)).to.deep.equal([]);
    chat.sim.faults = {};
    await until(() => sentTo(chat!, 'wangwu', seq).length === 1, 'the alert, once WeCom answers');
    expect(sentTo(chat, 'wangwu', seq)[0]).to.contain('删除了你');
    await eventually(async () => (await chat!.bot.bot.notices.waiting()).length === 0, 'the outbox emptied');
  });

  it('members deleting customers: subscribed admins hear each; past 10 in a day every admin is told once, even at night', async () => {
    const clock = { at: shanghai(23, 30), now: () => clock.at };
    chat = await open(clock);
    await chat.as('zhangsan').say('/角色 添加 zhaoliu 管理员');
    await chat.as('zhangsan').say('/订阅 开 删除客户');
    const seq = chat.sim.captures.lastSeq;
    const customers = [...(chat.sim.corp.followsByUser.get('sunqi')?.keys() ?? [])].slice(0, 11);
    expect(customers).to.have.length(11);
    for (const customer of customers) await chat.sim.memberDeletesCustomer('sunqi', customer);
    await chat.bot.worker.onIdle();
    await until(() => sentTo(chat!, 'zhaoliu', seq).some((t) => t.includes('今天已删除 11 位客户')), 'the urgent alert to an admin who did not subscribe');
    const toZhangsan = sentTo(chat, 'zhangsan', seq);
    expect(
      toZhangsan.filter((t) => t.includes('今天已删除 11 位客户')),
      'told once',
    ).to.have.length(1);
    // The one-by-one alerts are not urgent: at 23:30 they wait for the morning.
    expect(toZhangsan.filter((t) => t.includes('删除了客户'))).to.deep.equal([]);
    expect((await chat.bot.bot.notices.waiting()).length).to.equal(11);
    clock.at = shanghai(32); // 08:00 the next day
    await until(() => sentTo(chat!, 'zhangsan', seq).filter((t) => t.includes('删除了客户')).length === 11, 'the waiting alerts in the morning');
    expect(sentTo(chat, 'zhaoliu', seq).filter((t) => t.includes('删除了客户'))).to.deep.equal([]);
  });

  it('the bot’s own messages are paced like any reply: a burst of alerts to one admin keeps to the per-member budget', async () => {
    chat = await startChat({
      admins: ['zhangsan'],
      bot: { notices: { everyMs: 50 }, clock: daytime(), pacing: { perWindow: 3, windowMs: 500 } },
    });
    await chat.as('zhangsan').say('/订阅 开 删除客户');
    const seq = chat.sim.captures.lastSeq;
    const started = Date.now();
    for (const customer of [...(chat.sim.corp.followsByUser.get('sunqi')?.keys() ?? [])].slice(0, 7)) await chat.sim.memberDeletesCustomer('sunqi', customer);
    await chat.bot.worker.onIdle();
    await until(() => sentTo(chat!, 'zhangsan', seq).filter((t) => t.includes('删除了客户')).length === 7, 'the seven alerts', 15_000);
    // Three a window: no four of them within one window.
    const at = chat.sim.captures.messages.filter((m) => m.seq > seq && m.touser.includes('zhangsan') && /删除了客户/.test(m.content ?? '')).map((m) => m.at);
    for (let i = 0; i + 3 < at.length; i++) expect(at[i + 3]! - at[i]!, `messages ${i + 1} to ${i + 4}`).to.be.at.least(450);
    expect(Date.now() - started).to.be.at.least(900);
  });

  it('a dismissed group chat: the owner’s managers who subscribed are told its name, even though WeCom no longer gives it', async () => {
    chat = await open();
    await chat.as('lisi').say('/订阅 开 群解散');
    const group = [...chat.sim.corp.groupChats.values()].find((c) => c.owner === 'linfang' && c.external);
    expect(group, 'a chat of linfang').to.not.equal(undefined);
    await chat.sim.deliver({ FromUserName: 'sys', MsgType: 'event', Event: 'change_external_chat', ChangeType: 'create', ChatId: group!.chat_id });
    await chat.bot.worker.onIdle();
    const seq = chat.sim.captures.lastSeq;
    await chat.sim.dismissChat(group!.chat_id, 2);
    await chat.bot.worker.onIdle();
    await until(() => sentTo(chat!, 'lisi', seq).length > 0, 'the alert');
    expect(sentTo(chat, 'lisi', seq)).to.have.length(1);
    expect(sentTo(chat, 'lisi', seq)[0]).to.contain(`林芳（linfang）的客户群「${group!.name}」已解散`);
  });
});

describe('/订阅: digests on a schedule', () => {
  let chat: Chat | undefined;
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    await chat?.close();
    chat = undefined;
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  /** A clock the test moves: it starts at `at` and runs on from there. */
  const movable = (at: number) => {
    const clock = { offset: at - Date.now(), now: () => Date.now() + clock.offset, set: (to: number) => (clock.offset = to - Date.now()) };
    return clock;
  };
  const options = (clock: { now: () => number }, storeUrl?: string, env: Record<string, string> = {}) => ({
    admins: ['zhangsan'],
    managers: ['lisi'],
    ...(storeUrl ? { storeUrl } : {}),
    env,
    bot: { clock: clock.now, notices: { everyMs: 50 }, schedules: { everyMs: 50 } },
  });

  it('Monday 09:00: each manager gets last week’s figures for the members they look after, once; the admins the resigned customers waiting', async () => {
    const clock = movable(shanghai(8, 59)); // Monday 2026-12-07
    chat = await startChat(options(clock));
    const seq = chat.sim.captures.lastSeq;
    await new Promise((r) => setTimeout(r, 200));
    expect(sentTo(chat, 'lisi', seq), 'nothing before 09:00').to.deep.equal([]);
    clock.set(shanghai(9, 0));
    await until(() => sentTo(chat!, 'lisi', seq).length > 0, 'the weekly digest');
    const digest = sentTo(chat, 'lisi', seq)[0]!;
    expect(digest).to.contain('上周简报：你负责的').and.contain('2026-11-30 至 2026-12-06').and.contain('新增客户').and.contain('前一周');
    expect(digest).to.contain('回复率').and.contain('平均首次回复').and.contain('新增客户最多').and.contain('/统计 上周');
    expect(Buffer.byteLength(digest)).to.be.at.most(2048);
    clock.set(shanghai(9, 31));
    await until(() => sentTo(chat!, 'zhangsan', seq).some((t) => t.includes('等待分配已超过 3 天')), 'the resigned reminder');
    const reminder = sentTo(chat, 'zhangsan', seq).find((t) => t.includes('等待分配已超过 3 天'))!;
    // zhouba left before the bot first read the contacts: WeCom no longer names him (/成员 备注 would).
    expect(reminder)
      .to.contain('**zhouba** ')
      .and.match(/离职 \d+ 天/)
      .and.contain('/转接 全部 --from zhouba --to');
    await new Promise((r) => setTimeout(r, 300));
    expect(
      sentTo(chat, 'lisi', seq).filter((t) => t.includes('上周简报')),
      'one digest per slot',
    ).to.have.length(1);
    // Turned off, the next Monday brings nothing.
    await chat.as('lisi').say('/subscribe off weekly');
    const after = chat.sim.captures.lastSeq;
    clock.set(shanghai(9 + 7 * 24, 1));
    await new Promise((r) => setTimeout(r, 300));
    expect(sentTo(chat, 'lisi', after).filter((t) => t.includes('上周简报'))).to.deep.equal([]);
  });

  it('a digest of 50 members fits one message', async () => {
    const clock = movable(shanghai(8, 59));
    chat = await startChat({ ...options(clock), sim: { members: 50, customers: 1500, seed: 3 } });
    const seq = chat.sim.captures.lastSeq;
    clock.set(shanghai(9, 0));
    // zhangsan leads the top department: everyone with customer contact is his to look after.
    await until(() => sentTo(chat!, 'zhangsan', seq).some((t) => t.includes('上周简报')), 'the digest', 20_000);
    const digests = sentTo(chat, 'zhangsan', seq).filter((t) => t.includes('上周简报'));
    expect(digests).to.have.length(1);
    expect(digests[0]).to.match(/你负责的 (4\d|50) 位成员/);
    expect(Buffer.byteLength(digests[0]!)).to.be.at.most(2048);
  });

  it('after a restart past its slot, a missed digest goes once, not once per missed slot', async () => {
    const { url, cleanup } = tempSqliteUrl();
    cleanups.push(cleanup);
    const clock = movable(shanghai(8, 0) - 86_400_000); // Sunday 08:00
    chat = await startChat(options(clock, url));
    await new Promise((r) => setTimeout(r, 200));
    await chat.bot.stop();
    const seq = chat.sim.captures.lastSeq;
    clock.set(shanghai(10, 0) + 86_400_000); // Tuesday 10:00: Monday's digest and two daily reminders were missed
    await chat.restart();
    await until(() => sentTo(chat!, 'lisi', seq).some((t) => t.includes('上周简报')), 'the digest caught up');
    await until(() => sentTo(chat!, 'zhangsan', seq).some((t) => t.includes('等待分配')), 'the reminder caught up');
    await new Promise((r) => setTimeout(r, 300));
    expect(sentTo(chat, 'lisi', seq).filter((t) => t.includes('上周简报'))).to.have.length(1);
    expect(sentTo(chat, 'zhangsan', seq).filter((t) => t.includes('等待分配'))).to.have.length(1);
  });

  it('two instances on one Redis: exactly one digest per manager per slot', async function () {
    const url = redisUrl();
    if (!url) this.skip();
    const { prefix, wipe } = redisPrefix();
    cleanups.push(() => wipe(url!));
    const clock = movable(shanghai(8, 59));
    chat = await startChat(options(clock, url, { STORE_PREFIX: prefix }));
    const config = loadConfig({
      ...chat.sim.botEnv(),
      PORT: '0',
      HOST: '127.0.0.1',
      STORE_URL: url!,
      STORE_PREFIX: prefix,
      BOT_ADMINS: 'zhangsan',
      BOT_MANAGERS: 'lisi',
    });
    const other: Runtime = await startRuntime(config, {
      log: silentLogger,
      wecom: config.wecom!,
      bot: { clock: clock.now, notices: { everyMs: 50 }, schedules: { everyMs: 50 } },
    });
    cleanups.push(() => other.stop());
    const seq = chat.sim.captures.lastSeq;
    clock.set(shanghai(9, 0));
    await until(() => sentTo(chat!, 'lisi', seq).length > 0 && sentTo(chat!, 'zhangsan', seq).length > 0, 'the digests');
    await new Promise((r) => setTimeout(r, 500));
    expect(sentTo(chat, 'lisi', seq).filter((t) => t.includes('上周简报'))).to.have.length(1);
    expect(sentTo(chat, 'zhangsan', seq).filter((t) => t.includes('上周简报'))).to.have.length(1);
    clock.set(shanghai(9, 31));
    await until(() => sentTo(chat!, 'zhangsan', seq).some((t) => t.includes('等待分配')), 'the resigned reminder');
    await new Promise((r) => setTimeout(r, 500));
    expect(
      sentTo(chat, 'zhangsan', seq).filter((t) => t.includes('等待分配')),
      'one reminder from two instances',
    ).to.have.length(1);
  });
});
