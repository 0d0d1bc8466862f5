import { expect } from 'chai';
import { createSimulator, type Simulator } from '../../src/simulator/index.js';
import { AibotWsServer } from '../../src/simulator/aibot/index.js';
import { TEST_BOT } from '../helpers/aibot.js';
import { spawnCollecting, startCommand, type Spawned } from '../helpers/process.js';
import { redisPrefix, redisUrl } from '../helpers/stores.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the 智能机器人’s one long connection across instances (kill -9 of its holder)', function () {
  this.timeout(90_000);
  const url = redisUrl();
  let sim: Simulator;
  let ws: AibotWsServer;
  const bots: Spawned[] = [];
  const { prefix, wipe } = redisPrefix();

  before(function () {
    if (!url) this.skip();
  });
  afterEach(async () => {
    for (const bot of bots.splice(0)) await bot.stop('SIGKILL');
    await ws?.stop();
    await sim?.close();
    if (url) await wipe(url);
  });

  async function startBot(wsUrl: string): Promise<Spawned> {
    const { node, args } = startCommand();
    const proc = spawnCollecting(node, args, {
      env: {
        PATH: process.env.PATH,
        ...sim.botEnv(),
        PORT: '0',
        HOST: '127.0.0.1',
        STORE_URL: url!,
        STORE_PREFIX: prefix,
        BOT_ADMINS: 'zhangsan',
        AIBOT_ID: TEST_BOT.botId,
        AIBOT_SECRET: TEST_BOT.secret,
        AIBOT_WS_URL: wsUrl,
      },
    });
    await proc.line((l) => l.includes('"event":"started"'));
    bots.push(proc);
    return proc;
  }

  it('one instance holds it; after a kill -9 another takes over within ~15 s, and the message in flight is answered', async () => {
    sim = await createSimulator({ members: 10, customers: 60, seed: 11 });
    ws = new AibotWsServer({ bots: [TEST_BOT] });
    const wsUrl = await ws.start();
    const first = await startBot(wsUrl);
    await ws.waitForConnection(15_000);
    const second = await startBot(wsUrl);
    await sleep(3000);
    expect(ws.connections(), 'exactly one connection for two instances').to.equal(1);
    expect(first.output()).to.contain('"event":"aibot.lease_taken"');
    expect(second.output()).not.to.contain('"event":"aibot.lease_taken"');
    const answered = await ws.sendText({ from: 'wangwu', text: '/帮助' });
    await ws.waitForStream((s) => s.msgid === answered!.msgid && s.finished, 10_000);

    // A slow command is under way when its instance dies: it has said "处理中…" and nothing more.
    sim.faults = { latencyMs: 2500, paths: /externalcontact\/(list|batch)/ };
    const inFlight = await ws.sendText({ from: 'wangwu', text: '/客户' });
    await ws.waitForStream((s) => s.msgid === inFlight!.msgid && s.frames.length > 0, 10_000);
    await first.stop('SIGKILL');
    const killedAt = Date.now();
    for (; ws.connections() === 0 && Date.now() - killedAt < 30_000; ) await sleep(100);
    const tookOver = Date.now() - killedAt;
    expect(ws.connections(), 'the other instance connected').to.equal(1);
    expect(tookOver, `took over in ${tookOver} ms`).to.be.below(16_000);
    await second.line((l) => l.includes('"event":"aibot.lease_taken"'), 1000);
    sim.faults = {};

    // The answer in flight arrives (its entry in the inbox is run again by the survivor), and new messages are answered.
    const names = sim.corp.customersOf('wangwu').map((c) => sim.corp.customer(c.external_userid).name);
    const deadline = Date.now() + 30_000;
    const reached = () =>
      [
        ...ws.streams((s) => s.msgid === inFlight!.msgid).map((s) => s.content),
        ...ws.pushes().map((p) => p.content ?? ''),
        ...sim.captures.to('wangwu').map((m) => m.content ?? ''),
      ].some((text) => text.includes(names[0]!));
    while (!reached() && Date.now() < deadline) await sleep(200);
    expect(reached(), 'the customer list reached wangwu').to.equal(true);
    const after = await ws.sendText({ from: 'lisi', text: '/帮助' });
    const stream = await ws.waitForStream((s) => s.msgid === after!.msgid && s.finished, 10_000);
    expect(stream.content).to.contain('/客户');
  });
});
