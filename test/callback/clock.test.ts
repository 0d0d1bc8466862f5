import { expect } from 'chai';
import fetch from 'node-fetch';
import { ClockWatch } from '../../src/callback/clock.js';
import { sealEnvelope } from '../../src/callback/crypto.js';
import { postEnvelope, textMessageXml } from '../helpers/callbacks.js';
import { startChat, type Chat } from '../helpers/chat.js';
import { startRecording, type RecordingRuntime } from '../helpers/runtime.js';
import { OFFICIAL_SECRETS, OFFICIAL } from '../helpers/vectors.js';

describe('a skewed clock (issue 26)', () => {
  let chat: Chat | undefined;
  let bot: RecordingRuntime | undefined;
  afterEach(async () => {
    await chat?.close();
    await bot?.stop();
    chat = undefined;
    bot = undefined;
  });

  it('is seen from WeCom’s signed callbacks refused as stale: /healthz says degraded with the skew, and the admins are told once', async () => {
    // This machine's clock runs 6 minutes ahead of WeCom's.
    chat = await startChat({ admins: ['zhangsan'], runtime: { now: () => Date.now() + 6 * 60_000 } });
    const healthy = (await (await fetch(`${chat.bot.url}/healthz`)).json()) as { status: string };
    expect(healthy.status).to.equal('ok');
    for (let i = 0; i < 3; i++) expect(await chat.sim.sendText('lisi', `/帮助 ${i}`)).to.deep.equal([403]);
    const res = await fetch(`${chat.bot.url}/healthz`);
    expect(res.status).to.equal(503);
    const body = (await res.json()) as { status: string; reasons: string[] };
    expect(body.status).to.equal('degraded');
    expect(body.reasons.join('\n')).to.match(/clock: this machine's clock is 3[56]\d s ahead of WeCom's: callbacks are refused as stale/);
    await chat.sim.sendText('lisi', '/帮助 again');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const told = chat.sim.captures.to('zhangsan').filter((m) => (m.content ?? '').includes('时钟不准'));
    expect(told, 'told once').to.have.length(1);
    expect(told[0]!.content).to.match(/相差约 3[56]\d 秒/);
  });

  it('is not fooled by unsigned stale requests: a forger cannot make the bot look unhealthy', async () => {
    bot = await startRecording();
    const stale = String(Math.floor(Date.now() / 1000) - 6 * 60);
    const forged = { ...sealEnvelope({ ...OFFICIAL_SECRETS, token: 'not-the-token' }, textMessageXml(OFFICIAL.corpId, 'lisi', '/帮助', '1'), stale) };
    for (let i = 0; i < 5; i++) expect((await postEnvelope(bot.url, forged, OFFICIAL.corpId)).status).to.equal(403);
    const body = (await (await fetch(`${bot.url}/healthz`)).json()) as { status: string };
    expect(body.status).to.equal('ok');
  });

  it('counts the last minute only: skewed while most signed callbacks are stale, told once per spell, fine again after', () => {
    let now = 1_800_000_000_000;
    const told: number[] = [];
    const watch = new ClockWatch(
      () => now,
      (skew) => told.push(skew),
    );
    for (let i = 0; i < 1000; i++) watch.accepted();
    for (let i = 0; i < 3; i++) watch.stale(-360_000);
    expect(watch.skew(), 'three stale among a thousand fresh').to.equal(undefined);
    now += 61_000; // the fresh ones leave the window
    for (let i = 0; i < 3; i++) watch.stale(-360_000 - i * 1000);
    expect(watch.skew()).to.equal(-361);
    watch.accepted();
    expect(told, 'told once').to.deep.equal([-361]);
    for (let i = 0; i < 10; i++) watch.accepted();
    expect(watch.skew(), 'most are fresh again').to.equal(undefined);
    now += 61_000;
    for (let i = 0; i < 5; i++) watch.stale(420_000);
    expect(told, 'a new spell is told again').to.deep.equal([-361, 420]);
  });
});
