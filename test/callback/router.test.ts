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

  const settle = () => bot.queue.onIdle();

  it('answers URL verification with the decrypted echostr of the official vector', async () => {
    const { msg_signature, timestamp, nonce, echostr, plaintext } = OFFICIAL.get;
    const res = await fetch(callbackUrl(bot.url, { msg_signature, timestamp, nonce, echostr }));
    expect(res.status).to.equal(200);
    expect(await res.text()).to.equal(plaintext);
  });

  it('accepts the official POST vector: 200, empty body, then the text "hello" from mycreate', async () => {
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
    const get = await fetch(callbackUrl(bot.url, { ...OFFICIAL.get, msg_signature: 'f'.repeat(40) }));
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

  it('refuses a body over 1 MiB with 413', async () => {
    const sealed = sealEnvelope(OFFICIAL_SECRETS, textMessageXml(OFFICIAL.corpId, 'x', 'y'.repeat(1100 * 1024), newMsgId()));
    const res = await postEnvelope(bot.url, sealed, OFFICIAL.corpId);
    expect(res.status).to.equal(413);
    await settle();
    expect(bot.handled).to.have.length(0);
  });

  it('refuses malformed XML with 400, in the envelope and inside it', async () => {
    const q = { msg_signature: 'a'.repeat(40), timestamp: '1', nonce: '2' };
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
    bot = await startRecording({ handlerDelayMs: 100, queueCapacity: 1, queueConcurrency: 1 });
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

  it('reports health with the store kind', async () => {
    const res = await fetch(`${bot.url}/healthz`);
    expect(res.status).to.equal(200);
    expect(await res.json()).to.deep.include({ status: 'ok', store: 'memory', mode: 'production' });
  });
});
