import { expect } from 'chai';
import fetch from 'node-fetch';
import { startChat, textOf, type Chat } from './helpers/chat.js';

interface ProbeBody {
  status: string;
  reasons?: string[];
}

async function probe(url: string, path: string): Promise<{ code: number; body: ProbeBody }> {
  const res = await fetch(`${url}${path}`);
  return { code: res.status, body: (await res.json()) as ProbeBody };
}

describe('the probes: /livez, /readyz, /healthz (issues 26 and 27)', () => {
  let chat: Chat;
  afterEach(async () => {
    chat.sim.faults = {};
    await chat.close();
  });

  it('say ok on a bot at rest: /livez and /readyz 200', async () => {
    chat = await startChat({ admins: ['zhangsan'] });
    expect(await probe(chat.bot.url, '/livez')).to.deep.equal({ code: 200, body: { status: 'ok' } });
    expect(await probe(chat.bot.url, '/readyz')).to.deep.equal({ code: 200, body: { status: 'ok' } });
    expect(await probe(chat.bot.url, '/healthz'), '/healthz is /readyz').to.deep.equal({ code: 200, body: { status: 'ok' } });
  });

  it('say not ready (503, with the reason) while the inbox’s oldest message waits longer than the limit, and ready again once it drains', async function () {
    this.timeout(20_000);
    chat = await startChat({ admins: ['zhangsan'], runtime: { inboxAgeLimitMs: 500 } });
    // Replies take 2 s to go out: the member's message stays in the inbox meanwhile.
    chat.sim.faults = { latencyMs: 2000, paths: /^message\/send$/ };
    await chat.sim.sendText('lisi', '/帮助');
    await new Promise((resolve) => setTimeout(resolve, 900));
    const waiting = await probe(chat.bot.url, '/readyz');
    expect(waiting.code).to.equal(503);
    expect(waiting.body.status).to.equal('degraded');
    expect(waiting.body.reasons?.join('\n')).to.match(/inbox: the oldest message has waited \d+ s/);
    expect((await probe(chat.bot.url, '/livez')).code, 'alive all the same').to.equal(200);
    await chat.bot.worker.onIdle();
    expect((await probe(chat.bot.url, '/readyz')).code).to.equal(200);
  });

  it('say degraded, still ready, while a WeCom API hangs, naming it; the admins are told once', async function () {
    this.timeout(20_000);
    chat = await startChat({ admins: ['zhangsan'], runtime: { wecomTimeoutMs: 300, watch: { everyMs: 200 } } });
    chat.sim.faults = { latencyMs: 1000, paths: /^externalcontact\/list$/ };
    const [told] = await chat.as('wangwu').say('/客户');
    expect(textOf(told!)).to.contain('企业微信暂时没有响应');
    const ready = await probe(chat.bot.url, '/readyz');
    // Taking this instance out of the balancer would cure nothing and refuse WeCom's callbacks: still 200.
    expect(ready.code).to.equal(200);
    expect(ready.body.status).to.equal('degraded');
    expect(ready.body.reasons?.join('\n')).to.contain('externalcontact/list is not answering');
    await new Promise((resolve) => setTimeout(resolve, 600));
    const alerts = chat.sim.captures.to('zhangsan').filter((m) => textOf(m).includes('企业微信接口没有响应'));
    expect(alerts, 'the admin told once').to.have.length(1);
    expect(textOf(alerts[0]!)).to.contain('cgi-bin/externalcontact/list');
  });
});
