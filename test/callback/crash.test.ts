import { expect } from 'chai';
import type { CapturedMessage } from '../../src/simulator/index.js';
import fetch from 'node-fetch';
import { createSimulator, type Simulator } from '../../src/simulator/index.js';
import { spawnCollecting, startCommand, type Spawned } from '../helpers/process.js';
import { tempSqliteUrl } from '../helpers/stores.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The compiled bot as a process on `storeUrl`, wired to `sim`; resolves once it answers /healthz. */
async function startBot(sim: Simulator, storeUrl: string, admins = 'zhangsan'): Promise<Spawned> {
  const { node, args } = startCommand();
  const proc = spawnCollecting(node, args, {
    env: { PATH: process.env.PATH, ...sim.botEnv(), PORT: '0', HOST: '127.0.0.1', STORE_URL: storeUrl, BOT_ADMINS: admins },
  });
  const { url } = JSON.parse(await proc.line((l) => l.includes('"event":"started"'))) as { url: string };
  sim.botUrl = url;
  expect((await fetch(`${url}/healthz`)).status).to.equal(200);
  return proc;
}

const repliesTo = (sim: Simulator, user: string, after: number) => sim.captures.messages.filter((m) => m.seq > after && m.touser.includes(user));

describe('crash safety (SIGKILL, restart on the same SQLite file)', function () {
  this.timeout(60_000);
  let sim: Simulator;
  let store: { url: string; cleanup: () => void };
  let bot: Spawned | undefined;
  beforeEach(async () => {
    sim = await createSimulator({ members: 10, customers: 60, seed: 11 });
    store = tempSqliteUrl();
  });
  afterEach(async () => {
    await bot?.stop('SIGKILL');
    bot = undefined;
    await sim.close();
    store.cleanup();
  });

  it('answers every acknowledged command after a kill -9 right after the acks: 0 lost, at most one repeat', async () => {
    bot = await startBot(sim, store.url);
    const users = [...sim.corp.members.values()]
      .filter((m) => m.status === 'active')
      .slice(0, 8)
      .map((m) => m.userid);
    const perUser = 5;
    const seq = sim.captures.lastSeq;
    // Every reply takes 400 ms to send: the acks come long before the work is done.
    sim.faults = { latencyMs: 400, paths: /^message\/send$/ };
    const statuses = await Promise.all(users.flatMap((u) => Array.from({ length: perUser }, () => sim.sendText(u, '/帮助 语言'))));
    expect(statuses.flat().every((s) => s === 200)).to.equal(true);
    await bot.stop('SIGKILL');
    const beforeRestart = users.map((u) => repliesTo(sim, u, seq).length);
    expect(beforeRestart.reduce((a, b) => a + b, 0)).to.be.lessThan(users.length * perUser); // the kill did cut work short
    sim.faults = {};
    bot = await startBot(sim, store.url);
    for (let waited = 0; waited < 20_000 && users.some((u) => repliesTo(sim, u, seq).length < perUser); waited += 100) await sleep(100);
    for (const user of users) {
      const replies = repliesTo(sim, user, seq);
      expect(replies.length, user).to.be.within(perUser, perUser + 1);
      for (const reply of replies) expect(reply.content).to.contain('/语言');
    }
  });

  it('runs a confirmed action exactly once when the process dies between the click and the execution', async () => {
    bot = await startBot(sim, store.url);
    // The bot may delete only a tag it created (WeCom's rule): it creates one first.
    const created = sim.captures.lastSeq;
    await sim.sendText('zhangsan', '/标签 新增 临时 待删');
    for (let i = 0; i < 100 && !repliesTo(sim, 'zhangsan', created).some((m) => (m.content ?? '').includes('临时')); i++) await sleep(50);
    const tagsBefore = sim.corp.tagGroups.flatMap((g) => g.tag).length;
    const seq = sim.captures.lastSeq;
    await sim.sendText('zhangsan', '/标签 删除 待删');
    let card: CapturedMessage | undefined;
    for (let i = 0; i < 100 && !card; i++) {
      card = sim.captures.messages.find((m) => m.seq > seq && m.msgtype === 'template_card');
      if (!card) await sleep(50);
    }
    expect(card, 'a confirmation card').to.not.equal(undefined);
    // Everything the bot sends now is slow: the card update after the click takes 1.5 s, and the kill comes first.
    sim.faults = { latencyMs: 1500, paths: /^message\// };
    const clickSeq = sim.captures.lastSeq;
    expect(await sim.clickCard('zhangsan', card!.card!.task_id!, 'confirm')).to.deep.equal([200]);
    await sleep(500);
    await bot.stop('SIGKILL');
    expect(sim.calls('externalcontact/del_corp_tag')).to.have.length(0);
    sim.faults = {};
    bot = await startBot(sim, store.url);
    let done: CapturedMessage | undefined;
    for (let i = 0; i < 200 && !done; i++) {
      done = repliesTo(sim, 'zhangsan', clickSeq).find((m) => (m.content ?? '').includes('已删除'));
      if (!done) await sleep(50);
    }
    expect(done?.content, 'the action ran after the restart').to.contain('已删除 1 个标签');
    expect(sim.calls('externalcontact/del_corp_tag').filter((r) => r.errcode === 0)).to.have.length(1);
    expect(sim.corp.tagGroups.flatMap((g) => g.tag).length).to.equal(tagsBefore - 1);
    expect(
      repliesTo(sim, 'zhangsan', clickSeq)
        .map((m) => m.content ?? '')
        .join('\n'),
    ).not.to.match(/已经处理过|already/);
    // A second click now is told it was handled, and runs nothing.
    const again = sim.captures.lastSeq;
    await sim.clickCard('zhangsan', card!.card!.task_id!, 'confirm');
    for (let i = 0; i < 100 && repliesTo(sim, 'zhangsan', again).length === 0; i++) await sleep(50);
    expect(repliesTo(sim, 'zhangsan', again)[0]?.content).to.match(/已经处理过/);
    expect(sim.calls('externalcontact/del_corp_tag')).to.have.length(1);
  });
});
