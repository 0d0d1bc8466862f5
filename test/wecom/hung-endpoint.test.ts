import { expect } from 'chai';
import { startChat, type Chat } from '../helpers/chat.js';

describe('a hung WeCom endpoint (issue 26)', () => {
  let chat: Chat;
  afterEach(async () => {
    // Nothing of the hang outlives the test: the simulator answers at once again before both close.
    chat.sim.faults.latencyMs = 0;
    await new Promise((resolve) => setTimeout(resolve, 1600));
    await chat.close();
  });

  it('holds only a small share of the workers: another member’s /帮助 is answered while the endpoint hangs, and those waiting on it are told in words', async function () {
    this.timeout(30_000);
    chat = await startChat({ admins: ['zhangsan'], managers: ['lisi'], sim: { members: 20 }, runtime: { concurrency: 4, wecomTimeoutMs: 400 } });
    const members = [...chat.sim.corp.members.values()].filter((m) => m.status === 'active').map((m) => m.userid);
    // The customer list endpoints accept connections and answer nothing in time.
    chat.sim.faults.latencyMs = 1_500;
    chat.sim.faults.paths = /externalcontact\/(list|batch\/get_by_user)/;
    const askers = members.filter((u) => u !== 'wangwu').slice(0, 12);
    const started = Date.now();
    await Promise.all(askers.map((u) => chat.sim.sendText(u, '/客户')));
    await chat.sim.sendText('wangwu', '/帮助');
    const help = await chat.sim.captures.waitForMessage((m) => m.touser.includes('wangwu') && (m.content ?? '').includes('你可以使用的命令'), 20_000);
    const helpAfterMs = help.at - started;
    // Every member waiting on the hung endpoint gets a clear answer, not silence.
    await chat.bot.worker.onIdle();
    const told = askers.filter((u) => chat.sim.captures.to(u).some((m) => (m.content ?? '').includes('企业微信暂时没有响应')));
    expect(told.length, 'each asker told in words').to.equal(askers.length);
    // Before the bulkhead, 12 commands × 4 attempts of 0.4 s on 4 workers kept /帮助 waiting about 5 s.
    expect(helpAfterMs, 'another member answered while the endpoint hangs').to.be.below(3000);
  });

  it('frees the slots of commands waiting on it before any call has timed out: /帮助 is answered while every worker’s command still waits', async function () {
    this.timeout(40_000);
    // A long timeout: nothing has timed out yet when the other member writes, so no call is refused.
    chat = await startChat({ admins: ['zhangsan'], sim: { members: 20 }, runtime: { concurrency: 4, wecomTimeoutMs: 6_000 } });
    const members = [...chat.sim.corp.members.values()].filter((m) => m.status === 'active').map((m) => m.userid);
    chat.sim.faults.latencyMs = 8_000;
    chat.sim.faults.paths = /externalcontact\/(list|batch\/get_by_user)/;
    const askers = members.filter((u) => u !== 'wangwu').slice(0, 10);
    await Promise.all(askers.map((u) => chat.sim.sendText(u, '/客户')));
    const started = Date.now();
    await chat.sim.sendText('wangwu', '/帮助');
    const help = await chat.sim.captures.waitForMessage((m) => m.touser.includes('wangwu') && (m.content ?? '').includes('你可以使用的命令'), 30_000);
    // Before, the 4 workers held 4 askers for 6 s each, twice over, before /帮助 had its turn.
    expect(help.at - started, 'another member answered').to.be.below(3000);
    chat.sim.faults.latencyMs = 0;
    await chat.bot.worker.onIdle();
  });
});
