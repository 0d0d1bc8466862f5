import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { openEnvelope, sealEnvelope } from '../../src/callback/crypto.js';
import { AibotResponseUrls } from '../../src/simulator/aibot/response-urls.js';
import { AibotWebhookDriver } from '../../src/simulator/aibot/webhook-driver.js';
import { SimClock } from '../../src/simulator/clock.js';
import type { AibotCallback, AibotTemplateCard } from '../../src/wecom/types/aibot.js';

const SECRETS = { token: 'tok', encodingAesKey: randomBytes(32).toString('base64').slice(0, 43), receiveId: '' };

type Answer = (callback: AibotCallback) => object | undefined;

/** A bot in webhook mode in a few lines: opens each callback, answers what `answer` says, sealed with the callback's nonce. */
async function tinyBot(answer: Answer, options: { nonce?: string } = {}): Promise<{ server: Server; url: string; seen: AibotCallback[] }> {
  const seen: AibotCallback[] = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const q = (name: string) => url.searchParams.get(name) ?? '';
    const params = { signature: q('msg_signature'), timestamp: q('timestamp'), nonce: q('nonce') };
    if (req.method === 'GET') return res.end(openEnvelope(SECRETS, params, q('echostr')));
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const callback = JSON.parse(openEnvelope(SECRETS, params, JSON.parse(Buffer.concat(chunks).toString()).encrypt)) as AibotCallback;
    seen.push(callback);
    const reply = answer(callback);
    if (!reply) return res.end();
    const sealed = sealEnvelope(SECRETS, JSON.stringify(reply), params.timestamp, options.nonce ?? params.nonce);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ encrypt: sealed.encrypt, msgsignature: sealed.signature, timestamp: Number(sealed.timestamp), nonce: sealed.nonce }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/wecom/aibot`, seen };
}

/** Answers a text with a stream of three frames, one per poll. */
function streamingBot(): Answer {
  const polls = new Map<string, number>();
  return (callback) => {
    if (callback.msgtype === 'text') return { msgtype: 'stream', stream: { id: `s-${callback.msgid}`, finish: false, content: 'Looking' } };
    if (callback.msgtype !== 'stream') return undefined;
    const n = (polls.get(callback.stream.id) ?? 0) + 1;
    polls.set(callback.stream.id, n);
    return { msgtype: 'stream', stream: { id: callback.stream.id, finish: n >= 2, content: n >= 2 ? 'Found 3 customers.' : 'Looking up' } };
  };
}

const card = (taskId: string): AibotTemplateCard => ({
  card_type: 'button_interaction',
  task_id: taskId,
  main_title: { title: 'Hand over?' },
  button_list: [{ text: 'Confirm', key: 'confirm' }],
});

describe('AI bot webhook driver', () => {
  let bot: Awaited<ReturnType<typeof tinyBot>>;
  let driver: AibotWebhookDriver;
  let clock: SimClock;
  const urls: AibotResponseUrls[] = [];

  function drive(answer: Answer, options: { nonce?: string } = {}): Promise<void> {
    clock = new SimClock();
    return tinyBot(answer, options).then((b) => {
      bot = b;
      driver = new AibotWebhookDriver({ url: b.url, token: SECRETS.token, encodingAesKey: SECRETS.encodingAesKey, clock, refreshMs: 20 });
    });
  }

  afterEach(async () => {
    driver?.close();
    bot?.server.closeAllConnections();
    await new Promise((resolve) => bot?.server.close(resolve));
    for (const u of urls.splice(0)) await u.stop();
  });

  it('passes the URL check with the bare echostr, and notices a quoted one', async () => {
    await drive(() => undefined);
    expect((await driver.verify()).ok).to.equal(true);
    bot.server.removeAllListeners('request');
    bot.server.on('request', (_req, res) => res.end('"nope"'));
    expect((await driver.verify()).ok).to.equal(false);
  });

  it('polls an unfinished stream until it finishes', async () => {
    await drive(streamingBot());
    const exchange = await driver.sendText({ from: 'zhangsan', text: '/客户 王' });
    expect(exchange.first).to.deep.include({ msgtype: 'stream' });
    const outcome = await exchange.done();
    expect(outcome).to.deep.equal({ frames: ['Looking', 'Looking up', 'Found 3 customers.'], content: 'Found 3 customers.', finished: true });
    const refresh = bot.seen[1]!;
    expect(refresh).to.deep.include({ msgtype: 'stream', chattype: 'single', stream: { id: `s-${exchange.msgid}` } });
    expect(refresh.msgid).not.to.equal(exchange.msgid);
    expect(driver.errors()).to.deep.equal([]);
  });

  it('gives up on a stream 6 minutes after the message', async () => {
    await drive((callback) => ({ msgtype: 'stream', stream: { id: 's-1', finish: false, content: callback.msgtype } }));
    const exchange = await driver.sendText({ from: 'zhangsan', text: 'slow' });
    clock.advance(6 * 60_000 + 1);
    expect((await exchange.done()).finished).to.equal(false);
    expect(driver.errors().map((e) => e.errcode)).to.deep.equal([846608]);
  });

  it('records an answer that does not echo the callback nonce', async () => {
    await drive(() => ({ msgtype: 'stream', stream: { id: 's', finish: true, content: 'hi' } }), { nonce: '42' });
    const exchange = await driver.sendText({ from: 'zhangsan', text: 'hi' });
    expect(exchange.first).to.equal(undefined);
    expect(driver.errors()[0]?.reason).to.contain('nonce');
  });

  it('delivers the same callback again, as WeCom retries', async () => {
    const answered = new Set<string>();
    await drive((callback) => {
      if (answered.has(callback.msgid)) return undefined;
      answered.add(callback.msgid);
      return { msgtype: 'stream', stream: { id: 's', finish: true, content: 'once' } };
    });
    const replies = await driver.deliver(driver.textCallback({ from: 'lisi', text: 'hi', chat: { id: 'wr-ops' } }), 3);
    expect(replies.map((r) => r.body === undefined)).to.deep.equal([false, true, true]);
    expect(new Set(bot.seen.map((c) => c.msgid)).size).to.equal(1);
    expect((bot.seen[0] as { text: { content: string } }).text.content).to.equal('@客户助手 hi');
  });

  it('clicks a card the bot sent and takes the update', async () => {
    await drive((callback) => {
      if (callback.msgtype === 'text') return { msgtype: 'template_card', template_card: card('t-1') };
      if (callback.msgtype === 'event') return { response_type: 'update_template_card', template_card: { ...card('t-1'), card_type: 'text_notice' } };
      return undefined;
    });
    await driver.sendText({ from: 'zhangsan', text: '/转接' });
    const update = await driver.click({ from: 'zhangsan', taskId: 't-1', eventKey: 'confirm' });
    expect(update.body?.template_card.card_type).to.equal('text_notice');
    expect(driver.errors()).to.deep.equal([]);
    let failure: unknown;
    await driver.click({ from: 'zhangsan', taskId: 'other', eventKey: 'confirm' }).catch((error: unknown) => (failure = error));
    expect(String(failure)).to.contain('never sent');
  });

  it('keeps at most 3 messages in flight', async () => {
    let finishing = false;
    await drive((callback) => ({
      msgtype: 'stream',
      stream: { id: callback.msgtype === 'stream' ? callback.stream.id : `s-${callback.msgid}`, finish: finishing, content: 'x' },
    }));
    const exchanges = await Promise.all([1, 2, 3].map((i) => driver.sendText({ from: 'zhangsan', text: `#${i}` })));
    let fourthSent = false;
    const fourth = driver.sendText({ from: 'zhangsan', text: '#4' }).then((e) => {
      fourthSent = true;
      return e;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fourthSent).to.equal(false);
    finishing = true;
    await Promise.all(exchanges.map((e) => e.done()));
    expect((await (await fourth).done()).finished).to.equal(true);
    expect(driver.errors()).to.deep.equal([]);
  });

  it('takes one POST per response_url within the hour: markdown, or a card in a single chat only', async () => {
    const urlClock = new SimClock();
    const responseUrls = new AibotResponseUrls({ clock: urlClock });
    urls.push(responseUrls);
    await responseUrls.listen();
    const post = async (url: string, body: object) => (await (await fetch(url, { method: 'POST', body: JSON.stringify(body) })).json()) as { errcode: number };
    const single = responseUrls.issue({ chatId: 'zhangsan', chatType: 'single', userid: 'zhangsan' });
    expect((await post(single, { msgtype: 'markdown', markdown: { content: '**done**' } })).errcode).to.equal(0);
    expect((await post(single, { msgtype: 'markdown', markdown: { content: 'again' } })).errcode).to.equal(60140);
    const group = responseUrls.issue({ chatId: 'wr-ops', chatType: 'group', userid: 'lisi' });
    expect((await post(group, { msgtype: 'template_card', template_card: card('t-9') })).errcode).to.equal(40008);
    const late = responseUrls.issue({ chatId: 'zhangsan', chatType: 'single', userid: 'zhangsan' });
    urlClock.advance(3_600_001);
    expect((await post(late, { msgtype: 'markdown', markdown: { content: 'late' } })).errcode).to.equal(60140);
    expect(responseUrls.posts().map((p) => p.errcode)).to.deep.equal([0, 60140, 40008, 60140]);
  });
});
