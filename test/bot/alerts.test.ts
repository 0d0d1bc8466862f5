import { Writable } from 'node:stream';
import { expect } from 'chai';
import fetch from 'node-fetch';
import { createLogger } from '../../src/log.js';
import { action, defineCommand, type CommandDefinition, type JobControl, type JobRecord } from '../../src/bot/command.js';
import { ALERT_WINDOW_MS } from '../../src/bot/alerts.js';
import { createStore } from '../../src/store/index.js';
import { createSqliteStore } from '../../src/store/sqlite.js';
import type { CapturedMessage } from '../../src/simulator/index.js';
import { startChat, textOf, type Chat } from '../helpers/chat.js';
import { tempSqliteUrl } from '../helpers/stores.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What the bot sent `userid` after message `seq`. */
function sentTo(chat: Chat, userid: string, seq = 0): CapturedMessage[] {
  return chat.sim.captures.messages.filter((m) => m.seq > seq && m.touser.includes(userid));
}

/** Waits until `userid` got a message matching `pattern`. */
async function alertFor(chat: Chat, userid: string, pattern: RegExp, seq = 0, ms = 5000): Promise<string> {
  const end = Date.now() + ms;
  for (;;) {
    const found = sentTo(chat, userid, seq)
      .map(textOf)
      .find((text) => pattern.test(text));
    if (found) return found;
    if (Date.now() > end) throw new Error(`no alert for ${userid} matching ${pattern}; got:\n${sentTo(chat, userid, seq).map(textOf).join('\n')}`);
    await sleep(20);
  }
}

describe('admins hear about trouble: one WeCom message per kind of fault per hour', () => {
  let chat: Chat | undefined;
  afterEach(async () => {
    await chat?.close();
    chat = undefined;
  });

  it('an untrusted IP (60020): every admin is told once, in their language, with the IP and WeCom’s whole errmsg', async () => {
    const lines: string[] = [];
    const log = createLogger(
      'info',
      new Writable({
        write: (chunk, _enc, done) => {
          lines.push(String(chunk));
          done();
        },
      }),
    );
    chat = await startChat({ admins: ['zhangsan'], managers: ['lisi'], log });
    await chat.as('zhangsan').say('/角色 添加 zhaoliu 管理员');
    await chat.as('zhaoliu').say('/lang en');
    const seq = chat.sim.captures.lastSeq;
    // The 客户联系 secret's IP list misses this server; the app's own secret (which sends messages) is fine.
    chat.sim.corp.app.trustedIp.contact = false;
    await chat.shouldReply('lisi', '/客户', '企业微信返回错误 60020');
    const zh = await alertFor(chat, 'zhangsan', /机器人提醒：企业微信不接受这台服务器的 IP/, seq);
    expect(zh).to.contain('企业微信看到的 IP 是 127.0.0.1').and.contain('企业可信IP 加入 127.0.0.1').and.contain('WECOM_CONTACT_SECRET');
    expect(zh).to.match(/企业微信原文：not allow to access from your ip, hint: ［sim-60020］, from ip: 127\.0\.0\.1, more info at/);
    expect(zh).to.contain('同类提醒每 60 分钟最多发一条');
    const en = await alertFor(chat, 'zhaoliu', /Bot alert: WeCom does not accept this server's IP/, seq);
    expect(en).to.contain('WeCom saw the IP 127.0.0.1').and.contain('WeCom said: not allow to access from your ip');
    // The same fault again, and again: no second alert within the hour.
    await chat.as('wangwu').say('/客户');
    await chat.as('lisi').say('/客户');
    await sleep(100);
    expect(sentTo(chat, 'zhangsan', seq).filter((m) => textOf(m).includes('机器人提醒'))).to.have.length(1);
    expect(sentTo(chat, 'zhaoliu', seq).filter((m) => textOf(m).includes('Bot alert'))).to.have.length(1);
    expect(ALERT_WINDOW_MS).to.equal(3600_000);
    // The log keeps WeCom's whole errmsg, one line per event.
    const fault = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.event === 'wecom.fault');
    expect(fault).to.deep.include({ errcode: 60020, variable: 'WECOM_CONTACT_SECRET' });
    expect(fault!.errmsg).to.match(/from ip: 127\.0\.0\.1, more info at/);
    expect(lines.filter((l) => l.includes('"event":"alert.sent"'))).to.have.length(1);
    expect(lines.filter((l) => l.includes('"event":"alert.suppressed"')).length).to.be.at.least(2);
  });

  it('tells again once the hour is over (here shortened), and tells each kind on its own', async () => {
    chat = await startChat({ admins: ['zhangsan'], managers: ['lisi'], bot: { alertWindowMs: 300 } });
    chat.sim.corp.app.trustedIp.contact = false;
    await chat.as('lisi').say('/客户');
    await alertFor(chat, 'zhangsan', /企业微信不接受这台服务器的 IP/);
    await sleep(350);
    const seq = chat.sim.captures.lastSeq;
    await chat.as('lisi').say('/客户');
    await alertFor(chat, 'zhangsan', /企业微信不接受这台服务器的 IP/, seq);
    // Another kind: the app not allowed to call customer contact (48002).
    chat.sim.corp.app.trustedIp.contact = true;
    chat.sim.corp.app.systemSecretRefused = true;
    const before = chat.sim.captures.lastSeq;
    await chat.as('lisi').say('/客户');
    const forbidden = await alertFor(chat, 'zhangsan', /机器人提醒：应用没有调用客户联系接口的权限/, before);
    expect(forbidden).to.contain('errcode 48002').and.contain('可调用接口的应用');
  });

  it('when the fault blocks the messages too (the app’s own secret from an untrusted IP), says so in the log and on /healthz', async () => {
    const lines: string[] = [];
    const log = createLogger(
      'info',
      new Writable({
        write: (chunk, _enc, done) => {
          lines.push(String(chunk));
          done();
        },
      }),
    );
    chat = await startChat({ admins: ['zhangsan'], managers: ['lisi'], log });
    chat.sim.corp.app.trustedIp.agent = false;
    await chat.sim.sendText('lisi', '/客户');
    await chat.bot.worker.onIdle();
    await sleep(50);
    const events = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events.find((e) => e.event === 'alert.undeliverable' && e.admins === 0)).to.deep.include({ kind: 'wecom.ip.agent', errcode: 60020 });
    expect(events.some((e) => e.event === 'alert.sent')).to.equal(false);
    const health = (await (await fetch(`${chat.bot.url}/healthz`)).json()) as { status: string; reasons?: string[] };
    expect(health.status).to.equal('degraded');
    expect((health.reasons ?? []).join('\n')).to.contain('fault: wecom.ip.agent');
  });

  it('a secret reset in the console (40001 after a refresh) is told, naming the variable', async () => {
    chat = await startChat({ admins: ['zhangsan'], managers: ['lisi'] });
    await chat.as('lisi').say('/客户');
    chat.sim.rotateSecret('contact');
    const seq = chat.sim.captures.lastSeq;
    await chat.as('lisi').say('/客户');
    const alert = await alertFor(chat, 'zhangsan', /机器人提醒：企业微信拒绝了机器人的 Secret/, seq);
    expect(alert).to.contain('WECOM_CONTACT_SECRET 被拒绝（errcode 40001）').and.contain('npm run check');
  });

  it('a poison inbox entry (it stopped the process three times) is set aside and told', async () => {
    const { url, cleanup } = tempSqliteUrl();
    try {
      chat = await startChat({ admins: ['zhangsan'], storeUrl: url });
      await chat.bot.stop();
      // What three crashes while running one entry leave: the entry leased, taken three times.
      const store = await createStore(url);
      const payload = {
        kind: 'text',
        toUserName: chat.sim.corpId,
        fromUserName: 'wangwu',
        createTime: 1,
        agentId: chat.sim.agentId,
        msgId: '991',
        content: '/帮助',
      };
      await store.inbox.enqueue({ key: 'msg:991', lane: 'user:wangwu', urgent: false, payload: JSON.stringify(payload) }, 100);
      await store.close();
      const raw = createSqliteStore(url.slice('sqlite://'.length));
      raw.db.prepare("UPDATE inbox SET state = 1, attempts = 3 WHERE key = 'msg:991'").run();
      await raw.close();
      const seq = chat.sim.captures.lastSeq;
      await chat.restart();
      const alert = await alertFor(chat, 'zhangsan', /机器人提醒：一条消息反复让处理中断，已被搁置/, seq);
      expect(alert).to.contain('msg:991').and.contain('处理了 4 次');
      expect(sentTo(chat, 'wangwu', seq), 'the poison entry itself is not run').to.have.length(0);
    } finally {
      await chat?.close();
      chat = undefined;
      cleanup();
    }
  });

  it('an inbox that does not drain, and a job that stopped moving, are told', async () => {
    let release!: () => void;
    const stuck = new Promise<void>((resolve) => {
      release = resolve;
    });
    const hang: CommandDefinition = defineCommand({
      id: 'hang',
      names: { 'zh-Hans': '卡住', 'zh-Hant': '卡住', en: 'hang' },
      actions: [
        action({
          role: 'staff',
          run: async (ctx) => {
            await ctx.services.jobs.start('hang-job', ctx.user, ctx.locale, {});
            await stuck;
            return undefined;
          },
        }),
      ],
      jobs: {
        'hang-job': async (_job: JobRecord<{ step?: number }>, control: JobControl<{ step?: number }>) => {
          await control.save({ step: 1 });
          await stuck;
        },
      },
    });
    chat = await startChat({
      admins: ['zhangsan'],
      extraCommands: [hang],
      runtime: { concurrency: 1, watch: { everyMs: 50, stalledMs: 300, jobIdleMs: 300 } },
    });
    try {
      const seq = chat.sim.captures.lastSeq;
      // One delivery runs (and never ends); the next waits behind it.
      await chat.sim.sendText('wangwu', '/卡住');
      await chat.sim.sendText('lisi', '/帮助');
      const stalled = await alertFor(chat, 'zhangsan', /机器人提醒：消息在积压，没有被处理/, seq, 5000);
      expect(stalled).to.match(/积压了 2 条消息，\d+ 分钟内没有一条处理完/);
      const job = await alertFor(chat, 'zhangsan', /机器人提醒：一个长任务停住了/, seq, 5000);
      expect(job).to.contain('wangwu 发起的长任务（hang-job）');
    } finally {
      release();
    }
  });

  it('at start, a failing setup check is logged and told to the admins who can be reached', async () => {
    chat = await startChat({ admins: ['zhangsan', 'ghost'], runtime: { checks: true } });
    const alert = await alertFor(chat, 'zhangsan', /机器人提醒：启动时的配置检查有一项没有通过/);
    expect(alert).to.contain('✗ 管理员和主管：ghost 不是企业成员');
  });
});
