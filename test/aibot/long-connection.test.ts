import { expect } from 'chai';
import { Writable } from 'node:stream';
import { WSClient } from '@wecom/aibot-node-sdk';
import { createLogger } from '../../src/log.js';
import { startAibotChat, TEST_BOT, type AibotChat } from '../helpers/aibot.js';

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

describe('the 智能机器人 in a group chat (long connection)', () => {
  let chat: AibotChat;
  afterEach(async () => {
    await chat?.close();
  });
  const GROUP = 'wr-sales-team';

  it('@bot /统计 上周: the figures as a table in the group, in the asker’s language', async () => {
    chat = await startAibotChat({ admins: ['zhangsan'], managers: ['lisi'] });
    const stream = await chat.ask('lisi', '/统计 上周', GROUP);
    expect(stream.chatType).to.equal('group');
    expect(stream.content).to.contain('的客户联系数据');
    expect(stream.content).to.match(/\| 时间 \| 聊天数 \| 消息数 \| 回复率 \| 平均首次回复 \| 新增客户 \|/);
    expect(stream.content).to.match(/\| --- \|/);
    // A language is each member's own: after /language English, lisi's answer in the same group is in English.
    await chat.ask('lisi', '/language English', GROUP);
    const english = await chat.ask('lisi', '/统计 上周', GROUP);
    expect(english.content).to.match(/\| Period \| /);
    const other = await chat.ask('wangwu', '/统计 上周', GROUP);
    expect(other.content).to.contain('的客户联系数据');
  });

  it('@bot /客户: no customer in the group; the list arrives privately, as a list', async () => {
    chat = await startAibotChat({ admins: ['zhangsan'], managers: ['lisi'] });
    const names = chat.sim.corp.customersOf('lisi').map((c) => chat.sim.corp.customer(c.external_userid).name);
    expect(names.length).to.be.greaterThan(0);
    const seq = chat.sim.captures.lastSeq;
    const stream = await chat.ask('lisi', '/客户', GROUP);
    expect(stream.content).to.contain('我私下发给你');
    for (const name of names) expect(stream.content).not.to.contain(name);
    // lisi never wrote to the bot alone: the app carries it.
    const privately = chat.sim.captures.messages.filter((m) => m.seq > seq && m.touser.includes('lisi')).map((m) => m.content ?? '');
    expect(privately.join('\n')).to.contain(names[0]!);
    // Once lisi has a single chat with the bot, it goes there instead, as a list.
    await chat.ask('lisi', '/帮助');
    const second = await chat.ask('lisi', '/客户', GROUP);
    expect(second.content).to.contain('我私下发给你');
    const push = await chat.ws.waitForPush((p) => p.chatId === 'lisi');
    expect(push.content)
      .to.contain(names[0]!)
      .and.match(/^1\. \*\*/m);
  });
});

describe('the 智能机器人’s confirmation cards and jobs (long connection)', () => {
  let chat: AibotChat;
  afterEach(async () => {
    await chat?.close();
  });
  const GROUP = 'wr-admins';

  it('a card in a group: someone else’s click is refused in their copy only; the proposer’s runs once, its progress in the same message', async () => {
    chat = await startAibotChat({ admins: ['zhangsan', 'wangwu'], managers: ['lisi'] });
    chat.sim.corp.addMember({ userid: 'bigsales', name: '大客户经理', department: [1], status: 'active' });
    chat.sim.corp.addCustomersTo('bigsales', 450);
    const sent = await chat.ws.sendText({ from: 'zhangsan', text: '/转接 全部 --from bigsales --to lisi', chat: { id: GROUP } });
    const proposed = await chat.ws.waitForStream((s) => s.msgid === sent!.msgid && s.card !== undefined);
    expect(proposed.finished, 'the message waits for the decision').to.equal(false);
    const card = proposed.card!;
    expect(card.main_title.title).to.contain('转接全部 450 位客户');
    expect(card.button_list?.map((b) => b.text)).to.include('确认执行');

    // wangwu, an admin too, clicks zhangsan's card: told in their own copy; nothing runs, zhangsan's copy is unchanged.
    await chat.ws.click({ from: 'wangwu', taskId: card.task_id, eventKey: 'confirm' });
    const refused = await chat.ws.waitForCardUpdate((u) => u.taskId === card.task_id);
    expect(refused.userids).to.deep.equal(['wangwu']);
    expect(refused.card.sub_title_text).to.contain('张三');
    expect(chat.ws.cardAsSeenBy(card.task_id, 'zhangsan')?.button_list).to.have.length(2);
    expect(chat.sim.calls('externalcontact/transfer_customer')).to.have.length(0);

    chat.sim.faults = { latencyMs: 150, paths: /transfer_customer/ };
    await chat.ws.click({ from: 'zhangsan', taskId: card.task_id, eventKey: 'confirm' });
    const decided = await chat.ws.waitForCardUpdate((u) => u.taskId === card.task_id && u.userids === undefined);
    expect(decided.card.sub_title_text).to.contain('已确认');
    const done = await chat.ws.waitForStream((s) => s.msgid === sent!.msgid && s.finished, 20_000);
    await chat.bot.bot.jobsIdle();
    expect(done.content).to.contain('开始转接 450 位客户（5 批）').and.contain('成功 450 位，失败 0 位');
    expect(
      done.frames.some((f) => f.includes('转接进度')),
      'progress was shown in the message',
    ).to.equal(true);
    expect(done.content, 'the progress line gave way to the summary').not.to.contain('转接进度');
    expect(chat.sim.calls('externalcontact/transfer_customer')).to.have.length(5);
    // A second click after the decision runs nothing again.
    expect(chat.ws.errors()).to.deep.equal([]);
  });
});

describe('the 智能机器人’s six minutes', () => {
  let chat: AibotChat;
  afterEach(async () => {
    await chat?.close();
  });

  it('a job that outlives its stream: the message ends with "I’ll tell you", and the summary comes by the app', async () => {
    // The stream's life is cut to 1.5 s here (WeCom's is six minutes).
    chat = await startAibotChat({ admins: ['zhangsan'], managers: ['lisi'], safeMs: 1500 });
    chat.sim.corp.addMember({ userid: 'bigsales', name: '大客户经理', department: [1], status: 'active' });
    chat.sim.corp.addCustomersTo('bigsales', 450);
    // Five batches, two at a time, 800 ms each: the job needs 2.4 s at least, the stream has 1.5 s.
    chat.sim.faults = { latencyMs: 800, paths: /transfer_customer/ };
    const proposed = await chat.ws.sendText({ from: 'zhangsan', text: '/转接 全部 --from bigsales --to lisi' });
    const shown = await chat.ws.waitForStream((s) => s.msgid === proposed!.msgid && s.card !== undefined);
    const seq = chat.sim.captures.lastSeq;
    await chat.ws.click({ from: 'zhangsan', taskId: shown.card!.task_id, eventKey: 'confirm' });
    const cut = await chat.ws.waitForStream((s) => s.msgid === proposed!.msgid && s.finished, 10_000);
    expect(cut.content).to.contain('开始转接 450 位客户').and.contain('仍在进行中，完成后我会另外告诉你');
    await chat.bot.bot.jobsIdle();
    const later = chat.sim.captures.messages.filter((m) => m.seq > seq && m.touser.includes('zhangsan')).map((m) => m.content ?? '');
    expect(later.join('\n')).to.contain('成功 450 位，失败 0 位');
    expect(chat.ws.errors()).to.deep.equal([]);
  });
});

describe('the 智能机器人 on a real corp’s first day', () => {
  let chat: AibotChat | undefined;
  afterEach(async () => {
    await chat?.close();
    chat = undefined;
  });

  it('a Secret WeCom refuses: the admins are told by the app which variables to correct', async () => {
    chat = await startAibotChat({ admins: ['zhangsan'], env: { AIBOT_SECRET: 'not-the-secret' }, connect: false });
    const alert = await chat.sim.captures.waitForMessage((m) => m.touser.includes('zhangsan') && (m.content ?? '').includes('智能机器人连不上'), 10_000);
    expect(alert.content).to.contain('AIBOT_SECRET').and.contain('aib-ops').and.contain('853000');
    expect(chat.ws.connections()).to.equal(0);
  });

  it('a question card answered by a click, its key read where the SDK’s types put it', async () => {
    chat = await startAibotChat({ admins: ['zhangsan'], managers: ['lisi'] });
    const asked = await chat.ws.sendText({ from: 'zhangsan', text: '/转接' });
    const question = await chat.ws.waitForStream((s) => s.msgid === asked!.msgid && s.card !== undefined);
    const button = question.card!.button_list![0]!;
    await chat.ws.click({ from: 'zhangsan', taskId: question.card!.task_id, eventKey: button.key, placement: 'sdk' });
    const picked = await chat.ws.waitForCardUpdate((u) => u.taskId === question.card!.task_id);
    expect(picked.card.sub_title_text).to.contain(button.text);
    // The next question follows in a card of its own (a message carries one card), and its click is answered too.
    const next = await chat.ws.waitForPush((p) => p.chatId === 'zhangsan' && p.card !== undefined);
    expect(next.card!.task_id).not.to.equal(question.card!.task_id);
    const second = next.card!.button_list![0]!;
    await chat.ws.click({ from: 'zhangsan', taskId: next.card!.task_id, eventKey: second.key });
    const answered = await chat.ws.waitForCardUpdate((u) => u.taskId === next.card!.task_id);
    expect(answered.card.sub_title_text).to.contain(second.text);
    expect(chat.ws.errors()).to.deep.equal([]);
  });

  it('a question answered by typing ends the message that asked it', async () => {
    chat = await startAibotChat({ admins: ['zhangsan'], managers: ['lisi'] });
    const asked = await chat.ws.sendText({ from: 'zhangsan', text: '/转接' });
    const question = await chat.ws.waitForStream((s) => s.msgid === asked!.msgid && s.card !== undefined);
    expect(question.finished).to.equal(false);
    await chat.ask('zhangsan', '/帮助');
    const ended = await chat.ws.waitForStream((s) => s.msgid === asked!.msgid && s.finished);
    expect(ended.card?.task_id).to.equal(question.card?.task_id);
  });

  it('half a configuration is refused at start, naming the variable', async () => {
    const { loadConfig } = await import('../../src/config.js');
    const base = { WECOM_CORP_ID: 'ww1', WECOM_AGENT_ID: '1', WECOM_AGENT_SECRET: 's', WECOM_TOKEN: 't', WECOM_ENCODING_AES_KEY: 'a'.repeat(43) };
    expect(() => loadConfig({ ...base, AIBOT_SECRET: 'x' })).to.throw(/AIBOT_ID/);
    expect(() => loadConfig({ ...base, AIBOT_ID: 'aib' })).to.throw(/AIBOT_SECRET/);
    expect(() => loadConfig({ ...base, AIBOT_ENCODING_AES_KEY: 'a'.repeat(43) })).to.throw(/AIBOT_TOKEN/);
    expect(() => loadConfig({ ...base, AIBOT_ID: 'aib', AIBOT_SECRET: 'x', AIBOT_WS_URL: 'http://x' })).to.throw(/AIBOT_WS_URL/);
    expect(loadConfig({ ...base, AIBOT_ID: 'aib', AIBOT_SECRET: 'x' }).aibot.ws).to.deep.equal({ botId: 'aib', secret: 'x' });
  });
});

describe('the 智能机器人 beside another process on the same Bot ID, and beside the webhook', () => {
  let chat: AibotChat | undefined;
  let intruder: WSClient | undefined;
  afterEach(async () => {
    intruder?.disconnect();
    intruder = undefined;
    await chat?.close();
    chat = undefined;
  });

  it('kicked by a second connection (disconnected_event): says so in the log and does not fight back', async () => {
    const lines: string[] = [];
    const log = createLogger('info', new Writable({ write: (chunk, _enc, done) => done(void lines.push(String(chunk))) }));
    chat = await startAibotChat({ admins: ['zhangsan'], log });
    const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
    intruder = new WSClient({ botId: TEST_BOT.botId, secret: TEST_BOT.secret, wsUrl: chat.wsUrl, heartbeatInterval: 200, logger: silent });
    intruder.connect();
    for (let i = 0; i < 100 && chat.ws.kicks.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(chat.ws.kicks).to.have.length(1);
    // A second and more later: the bot has not reconnected (which would kick the other back).
    await new Promise((r) => setTimeout(r, 1500));
    expect(chat.ws.kicks).to.have.length(1);
    expect(chat.ws.connections()).to.equal(1);
    const kicked = lines.find((l) => l.includes('"event":"aibot.kicked"'));
    expect(kicked).to.contain('AIBOT_ID');
  });

  it('both transports configured: a message over either is answered on its own', async () => {
    chat = await startAibotChat({ transports: ['ws', 'webhook'], admins: ['zhangsan'] });
    const overWs = await chat.ask('wangwu', '/帮助');
    expect(overWs.content).to.contain('/客户');
    const overWebhook = await (await chat.webhook!.sendText({ from: 'wangwu', text: '/help' })).done();
    expect(overWebhook.content).to.contain('/customers');
    expect(chat.ws.streams((s) => s.asker === 'wangwu')).to.have.length(1);
  });
});
