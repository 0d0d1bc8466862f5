import { expect } from 'chai';
import fetch from 'node-fetch';
import { sealEnvelope } from '../../src/callback/crypto.js';
import { buildWeComXml } from '../../src/callback/xml.js';
import { callbackUrl, newMsgId, postCallback, postEnvelope, textMessageXml } from '../helpers/callbacks.js';
import { startRecording, type RecordingRuntime } from '../helpers/runtime.js';
import { OFFICIAL, OFFICIAL_SECRETS } from '../helpers/vectors.js';

describe('callback endpoint', () => {
  let bot: RecordingRuntime;
  beforeEach(async () => {
    bot = await startRecording();
  });
  afterEach(async () => {
    await bot.stop();
  });

  const settle = () => bot.worker.onIdle();

  /** A bot whose clock stands at the time the official vector was made (September 2014). */
  const atVectorTime = async () => {
    await bot.stop();
    bot = await startRecording({ now: () => Number(OFFICIAL.post.timestamp) * 1000 });
  };

  it('answers URL verification with the decrypted echostr of the official vector', async () => {
    await atVectorTime();
    const { msg_signature, timestamp, nonce, echostr, plaintext } = OFFICIAL.get;
    const res = await fetch(callbackUrl(bot.url, { msg_signature, timestamp, nonce, echostr }));
    expect(res.status).to.equal(200);
    expect(await res.text()).to.equal(plaintext);
  });

  it('accepts the official POST vector: 200, empty body, then the text "hello" from mycreate', async () => {
    await atVectorTime();
    const { msg_signature, timestamp, nonce, encrypt } = OFFICIAL.post;
    const res = await postEnvelope(bot.url, { signature: msg_signature, timestamp, nonce, encrypt }, OFFICIAL.corpId, '218');
    expect(res.status).to.equal(200);
    expect(await res.text()).to.equal('');
    await settle();
    expect(bot.handled).to.have.length(1);
    expect(bot.handled[0]).to.include({ kind: 'text', fromUserName: 'mycreate', content: 'hello', msgId: '4561255354251345929', agentId: 218 });
  });

  it('answers before the handler runs', async () => {
    await bot.stop();
    bot = await startRecording({ handlerDelayMs: 300 });
    const started = Date.now();
    const res = await postCallback(bot.url, OFFICIAL_SECRETS, textMessageXml(OFFICIAL.corpId, 'zhangsan', 'hi', newMsgId()));
    expect(res.status).to.equal(200);
    expect(Date.now() - started).to.be.lessThan(300);
    expect(bot.handled).to.have.length(0);
    await settle();
    expect(bot.handled).to.have.length(1);
  });

  it('refuses a forged signature with 403 and runs nothing', async () => {
    const sealed = sealEnvelope(OFFICIAL_SECRETS, textMessageXml(OFFICIAL.corpId, 'zhangsan', 'hi', newMsgId()));
    const res = await postEnvelope(bot.url, { ...sealed, signature: sealed.signature.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')) }, OFFICIAL.corpId);
    expect(res.status).to.equal(403);
    const get = await fetch(callbackUrl(bot.url, { ...OFFICIAL.get, timestamp: sealed.timestamp, msg_signature: 'f'.repeat(40) }));
    expect(get.status).to.equal(403);
    await settle();
    expect(bot.handled).to.have.length(0);
  });

  it('refuses a message for another receiveid with 403', async () => {
    const res = await postCallback(bot.url, { ...OFFICIAL_SECRETS, receiveId: 'wwANOTHERCORP' }, textMessageXml('wwANOTHERCORP', 'x', 'hi', newMsgId()));
    expect(res.status).to.equal(403);
    await settle();
    expect(bot.handled).to.have.length(0);
  });

  it('refuses a body over 64 KiB with 413 (WeCom envelopes are a few KiB)', async () => {
    const sealed = sealEnvelope(OFFICIAL_SECRETS, textMessageXml(OFFICIAL.corpId, 'x', 'y'.repeat(48 * 1024), newMsgId()));
    const res = await postEnvelope(bot.url, sealed, OFFICIAL.corpId);
    expect(res.status).to.equal(413);
    const big = sealEnvelope(OFFICIAL_SECRETS, textMessageXml(OFFICIAL.corpId, 'x', 'y'.repeat(1100 * 1024), newMsgId()));
    expect((await postEnvelope(bot.url, big, OFFICIAL.corpId)).status).to.equal(413);
    const fits = sealEnvelope(OFFICIAL_SECRETS, textMessageXml(OFFICIAL.corpId, 'x', '长'.repeat(682), newMsgId()));
    expect((await postEnvelope(bot.url, fits, OFFICIAL.corpId)).status).to.equal(200);
    await settle();
    expect(bot.handled).to.have.length(1);
  });

  it('refuses malformed XML with 400, in the envelope and inside it', async () => {
    const q = { msg_signature: 'a'.repeat(40), timestamp: String(Math.floor(Date.now() / 1000)), nonce: '2' };
    const outer = await fetch(callbackUrl(bot.url, q), { method: 'POST', body: '<xml><Encrypt>abc' });
    expect(outer.status).to.equal(400);
    const noEncrypt = await fetch(callbackUrl(bot.url, q), { method: 'POST', body: '<xml><ToUserName>x</ToUserName></xml>' });
    expect(noEncrypt.status).to.equal(400);
    const inner = await postCallback(bot.url, OFFICIAL_SECRETS, '<xml><MsgType>text</MsgType><Content>hi');
    expect(inner.status).to.equal(400);
    const incomplete = await postCallback(bot.url, OFFICIAL_SECRETS, buildWeComXml({ MsgType: 'text', Content: 'hi' }));
    expect(incomplete.status).to.equal(400);
    await settle();
    expect(bot.handled).to.have.length(0);
  });

  it('refuses missing query parameters with 400', async () => {
    const { msg_signature, timestamp, nonce } = OFFICIAL.get;
    expect((await fetch(callbackUrl(bot.url, { msg_signature, timestamp, nonce }))).status).to.equal(400);
    const sealed = sealEnvelope(OFFICIAL_SECRETS, textMessageXml(OFFICIAL.corpId, 'x', 'hi', newMsgId()));
    const body = buildWeComXml({ ToUserName: OFFICIAL.corpId, Encrypt: sealed.encrypt });
    const res = await fetch(callbackUrl(bot.url, { timestamp: sealed.timestamp, nonce: sealed.nonce }), { method: 'POST', body });
    expect(res.status).to.equal(400);
    await settle();
    expect(bot.handled).to.have.length(0);
  });

  it('handles three deliveries of one MsgId exactly once', async () => {
    const sealed = sealEnvelope(OFFICIAL_SECRETS, textMessageXml(OFFICIAL.corpId, 'zhangsan', '/客户', newMsgId()));
    const statuses = await Promise.all([1, 2, 3].map(() => postEnvelope(bot.url, sealed, OFFICIAL.corpId).then((r) => r.status)));
    expect(statuses).to.deep.equal([200, 200, 200]);
    await settle();
    expect(bot.handled).to.have.length(1);
  });

  it('answers 503 when the queue is full, without recording the delivery, so the retry is handled', async () => {
    await bot.stop();
    // Two entries at most (one running, one waiting): the third is refused and nothing of it is recorded.
    bot = await startRecording({ handlerDelayMs: 100, inboxCapacity: 2, concurrency: 1 });
    const first = await postCallback(bot.url, OFFICIAL_SECRETS, textMessageXml(OFFICIAL.corpId, 'a', '1', newMsgId()));
    const second = await postCallback(bot.url, OFFICIAL_SECRETS, textMessageXml(OFFICIAL.corpId, 'b', '2', newMsgId()));
    const thirdSealed = sealEnvelope(OFFICIAL_SECRETS, textMessageXml(OFFICIAL.corpId, 'c', '3', newMsgId()));
    const third = await postEnvelope(bot.url, thirdSealed, OFFICIAL.corpId);
    expect([first.status, second.status, third.status]).to.deep.equal([200, 200, 503]);
    await settle();
    const retry = await postEnvelope(bot.url, thirdSealed, OFFICIAL.corpId);
    expect(retry.status).to.equal(200);
    await settle();
    expect(bot.handled.map((m) => (m.kind === 'text' ? m.content : ''))).to.deep.equal(['1', '2', '3']);
  });

  it('reports health as a verdict only (the figures are on the metrics port)', async () => {
    const res = await fetch(`${bot.url}/healthz`);
    expect(res.status).to.equal(200);
    expect(await res.json()).to.deep.equal({ status: 'ok' });
  });

  it('reads nothing but Encrypt before the signature: 570 hostile unsigned bytes cost no time, /healthz stays quick', async () => {
    const now = String(Math.floor(Date.now() / 1000));
    const q = { msg_signature: 'a'.repeat(40), timestamp: now, nonce: '2' };
    const hostile = `<xml>${'<a><![CDATA[x]]></a>'.repeat(28)}</xm>`;
    const nested = `<xml>${'<a>'.repeat(6000)}${'</a>'.repeat(6000)}<Encrypt>${'QUJD'.repeat(1000)}</Encrypt></xml>`;
    const started = performance.now();
    const [one, two, health] = await Promise.all([
      fetch(callbackUrl(bot.url, q), { method: 'POST', body: hostile }),
      fetch(callbackUrl(bot.url, q), { method: 'POST', body: nested }),
      fetch(`${bot.url}/healthz`),
    ]);
    expect(performance.now() - started).to.be.lessThan(500);
    expect(one.status).to.equal(400); // no Encrypt field at all
    expect(two.status).to.equal(403); // an Encrypt field, but the signature is not ours
    expect(health.status).to.equal(200);
    await settle();
    expect(bot.handled).to.have.length(0);
  });

  it('refuses a callback whose timestamp is more than 5 minutes from now with 403, so a late replay is stale', async () => {
    const xml = textMessageXml(OFFICIAL.corpId, 'zhangsan', '/客户', newMsgId());
    const at = (secondsAgo: number) => sealEnvelope(OFFICIAL_SECRETS, xml, String(Math.floor(Date.now() / 1000) - secondsAgo));
    expect((await postEnvelope(bot.url, sealEnvelope(OFFICIAL_SECRETS, xml, '978307200'), OFFICIAL.corpId)).status).to.equal(403); // 2001
    expect((await postEnvelope(bot.url, at(6 * 60), OFFICIAL.corpId)).status).to.equal(403);
    expect((await postEnvelope(bot.url, at(-6 * 60), OFFICIAL.corpId)).status).to.equal(403);
    expect((await postEnvelope(bot.url, { ...at(0), timestamp: 'soon' }, OFFICIAL.corpId)).status).to.equal(403);
    await settle();
    expect(bot.handled).to.have.length(0);
    const fresh = at(4 * 60);
    expect((await postEnvelope(bot.url, fresh, OFFICIAL.corpId)).status).to.equal(200);
    await settle();
    expect(bot.handled).to.have.length(1);
  });

  it('answers /healthz 503 "degraded" while the store does not answer, and ok again after', async () => {
    const ping = bot.store.ping.bind(bot.store);
    bot.store.ping = () => Promise.reject(new Error('connection refused'));
    const down = await fetch(`${bot.url}/healthz`);
    expect(down.status).to.equal(503);
    expect(await down.json()).to.deep.equal({ status: 'degraded', reasons: ['store (memory): connection refused'] });
    bot.store.ping = ping;
    expect((await fetch(`${bot.url}/healthz`)).status).to.equal(200);
  });
});
