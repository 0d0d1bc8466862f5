import { expect } from 'chai';
import { startChat, textOf, type Chat } from '../helpers/chat.js';

const WAITING = '企业微信要求稍等';

describe('a WeCom API blocked after its per-minute limit (issue 26: 45009 without holding a worker)', () => {
  let chat: Chat;
  afterEach(() => chat.close());

  it('puts the blocked commands off until the block ends: another member’s /帮助 is answered at once, each asker is told once and then answered', async function () {
    this.timeout(30_000);
    // externalcontact/list takes 2 calls, then WeCom blocks it for 3 s (a minute in WeCom, shortened on both sides).
    chat = await startChat({
      admins: ['zhangsan'],
      sim: { members: 20, minuteLimits: { 'externalcontact/list': 2 }, rateWindowMs: 3000 },
      runtime: { concurrency: 2, wecomFrequencyWindowMs: 3000 },
    });
    const members = [...chat.sim.corp.members.values()].filter((m) => m.status === 'active').map((m) => m.userid);
    const askers = members.filter((u) => u !== 'wangwu').slice(0, 6);
    const started = Date.now();
    await Promise.all(askers.map((u) => chat.sim.sendText(u, '/客户')));
    await chat.sim.sendText('wangwu', '/帮助');
    const help = await chat.sim.captures.waitForMessage((m) => m.touser.includes('wangwu') && (m.content ?? '').includes('你可以使用的命令'), 20_000);
    // Before: both workers slept out the block holding their askers' entries, and /帮助 waited behind them (≥ 3 s).
    expect(help.at - started, 'another member answered during the block').to.be.below(1500);

    await chat.bot.worker.onIdle();
    for (const u of askers) {
      const said = chat.sim.captures.to(u).map(textOf);
      expect(said.filter((s) => s.includes(WAITING)).length, `${u} told of the wait at most once`).to.be.at.most(1);
      expect(
        said.some((s) => s.includes('的客户：')),
        `${u} answered after the block: ${said.join(' | ')}`,
      ).to.equal(true);
      expect(
        said.some((s) => s.includes('45009')),
        `${u} got no errcode`,
      ).to.equal(false);
    }
    // Nothing is sent inside a block (a call there only extends it): each 45009 opens a new one, a block apart.
    const refusedAt = chat.sim
      .calls('externalcontact/list')
      .filter((c) => c.errcode === 45009)
      .map((c) => c.at);
    expect(refusedAt.length, 'some calls met the limit').to.be.above(0);
    // Calls already under way when the first refusal came back are met by the same block (a burst); after it, none.
    for (let i = 1; i < refusedAt.length; i++) {
      const gap = refusedAt[i]! - refusedAt[i - 1]!;
      expect(gap < 200 || gap >= 2900, `a refusal ${gap} ms after the one before, inside its block`).to.equal(true);
    }
  });

  it('after waiting out two blocks, the third answers the member with the limit in words', async function () {
    this.timeout(30_000);
    chat = await startChat({
      admins: ['zhangsan'],
      sim: { members: 10, minuteLimits: { 'externalcontact/list': 0 }, rateWindowMs: 400 },
      runtime: { wecomFrequencyWindowMs: 400 },
    });
    const replies = await chat.as('wangwu').say('/客户');
    const said = replies.map(textOf);
    expect(
      said.filter((s) => s.includes(WAITING)),
      'told once of the wait',
    ).to.have.length(1);
    expect(said.at(-1), 'then the refusal in words, with its errcode').to.contain('45009');
    // Three runs, one call each: the two deferrals and the last run that gives up.
    expect(chat.sim.calls('externalcontact/list').map((c) => c.errcode)).to.deep.equal([45009, 45009, 45009]);
  });
});
