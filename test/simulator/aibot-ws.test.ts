import { type WSClientEventMap, type WsFrame, WSClient } from '@wecom/aibot-node-sdk';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { AibotResponseUrls } from '../../src/simulator/aibot/response-urls.js';
import { AibotWsServer } from '../../src/simulator/aibot/ws-server.js';
import { SimClock } from '../../src/simulator/clock.js';
import type { AibotFrame, AibotTemplateCard } from '../../src/wecom/types/aibot.js';

const BOT = { botId: 'aib-test', secret: 's3cret' };
const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

function card(taskId: string, title = 'Hand over 3 customers?'): AibotTemplateCard {
  return {
    card_type: 'button_interaction',
    task_id: taskId,
    main_title: { title },
    button_list: [
      { text: 'Confirm', style: 1, key: 'confirm' },
      { text: 'Cancel', style: 2, key: 'cancel' },
    ],
  };
}

/** The ack frame a refused SDK call rejects with (the SDK rejects with the raw frame, not an Error). */
async function refusal(call: Promise<unknown>): Promise<AibotFrame> {
  try {
    await call;
  } catch (frame) {
    return frame as AibotFrame;
  }
  throw new Error('the call was accepted');
}

/** The next `event` of `client` (its first argument). */
function next<K extends keyof WSClientEventMap>(client: WSClient, event: K): Promise<Parameters<WSClientEventMap[K]>[0]> {
  return new Promise((resolve) => client.once(event, ((value: Parameters<WSClientEventMap[K]>[0]) => resolve(value)) as never));
}

describe('AI bot long-connection simulator, with the real SDK', () => {
  let clock: SimClock;
  let server: AibotWsServer;
  let url: string;
  let clients: WSClient[];

  beforeEach(async () => {
    clock = new SimClock();
    server = new AibotWsServer({ bots: [BOT], clock });
    url = await server.start();
    clients = [];
  });

  afterEach(async () => {
    for (const client of clients) client.disconnect();
    await server.stop();
  });

  function client(secret = BOT.secret): WSClient {
    const c = new WSClient({ botId: BOT.botId, secret, wsUrl: url, heartbeatInterval: 200, reconnectInterval: 10, maxAuthFailureAttempts: 1, logger: silent });
    c.on('error', () => undefined);
    clients.push(c);
    return c;
  }

  async function connected(): Promise<WSClient> {
    const c = client();
    const authenticated = next(c, 'authenticated');
    c.connect();
    await authenticated;
    return c;
  }

  /** The bot answers `text` in single chat `from` with card `taskId`. */
  async function cardSent(c: WSClient, taskId: string, from = 'zhangsan', chat?: { id: string }): Promise<void> {
    const message = next(c, 'message.text');
    await server.sendText({ from, text: '/转接', chat });
    await c.replyTemplateCard(await message, card(taskId));
  }

  it('authenticates a known bot and refuses a wrong secret with 853000', async () => {
    await connected();
    expect(server.connections(BOT.botId)).to.equal(1);
    const bad = client('wrong');
    const failed = next(bad, 'error');
    bad.connect();
    expect((await failed).message).to.contain('853000');
    expect(server.errors().map((e) => e.errcode)).to.deep.equal([853000]);
    expect(server.connections()).to.equal(1);
  });

  it('acks pings, and without acks the SDK reconnects', async () => {
    const c = await connected();
    await new Promise((resolve) => setTimeout(resolve, 450));
    const acks = server.transcript.filter((t) => t.dir === 'out' && (t.frame as AibotFrame).headers.req_id.startsWith('ping'));
    expect(acks.length).to.be.greaterThan(0);
    expect((acks[0]!.frame as AibotFrame).errcode).to.equal(0);
    const again = next(c, 'authenticated');
    server.setPingAcks(false);
    await again;
    expect(server.connections()).to.equal(1);
  });

  it('reconnects after the connections are dropped', async () => {
    const c = await connected();
    const again = next(c, 'authenticated');
    server.dropConnections();
    await again;
    expect(server.connections(BOT.botId)).to.equal(1);
  });

  it('takes a stream in a single chat, frame by frame, and refuses a frame after finish (846608)', async () => {
    const c = await connected();
    c.on('message.text', async (frame: WsFrame) => {
      await c.replyStream(frame, 'st-1', 'Looking');
      await c.replyStream(frame, 'st-1', 'Looking up 3 customers');
      await c.replyStream(frame, 'st-1', 'Found 3 customers.', true);
      const late = await refusal(c.replyStream(frame, 'st-1', 'Found 3 customers. And…', true));
      expect(late.errcode).to.equal(846608);
    });
    const { msgid } = await server.sendText({ from: 'zhangsan', text: '/客户 王' });
    const stream = await server.waitForStream((s) => s.msgid === msgid && s.finished);
    expect(stream).to.include({ chatId: 'zhangsan', chatType: 'single', asker: 'zhangsan', streamId: 'st-1', content: 'Found 3 customers.' });
    expect(stream.frames).to.deep.equal(['Looking', 'Looking up 3 customers', 'Found 3 customers.']);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.errors().map((e) => e.errcode)).to.deep.equal([846608]);
  });

  it('refuses a stream over 20,480 bytes and one past 6 minutes', async () => {
    const c = await connected();
    const message = next(c, 'message.text');
    await server.sendText({ from: 'zhangsan', text: 'hi' });
    const frame = await message;
    expect((await refusal(c.replyStream(frame, 's', '字'.repeat(6827)))).errcode).to.equal(45002);
    await c.replyStream(frame, 's', 'thinking');
    clock.advance(6 * 60_000 + 1);
    expect((await refusal(c.replyStream(frame, 's', 'done', true))).errcode).to.equal(846608);
  });

  it('refuses a stream on a click req_id (846605)', async () => {
    const c = await connected();
    await cardSent(c, 'task-1');
    const clicked = next(c, 'event.template_card_event');
    await server.click({ from: 'zhangsan', taskId: 'task-1', eventKey: 'confirm' });
    const click = await clicked;
    expect((await refusal(c.replyStream(click, 's-x', 'no'))).errcode).to.equal(846605);
  });

  it('delivers a group text with the @name prefix, and no text without a mention', async () => {
    const c = await connected();
    const texts: WsFrame[] = [];
    c.on('message.text', (frame: WsFrame) => texts.push(frame));
    expect(await server.sendText({ from: 'lisi', text: 'hello', chat: { id: 'wr-ops' }, mention: false })).to.equal(undefined);
    const { msgid } = await server.sendText({ from: 'lisi', text: '/客户 王', chat: { id: 'wr-ops' } });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(texts).to.have.length(1);
    const body = texts[0]!.body as { msgid: string; chatid: string; chattype: string; aibotid: string; response_url: string; text: { content: string } };
    expect(body).to.include({ msgid, chatid: 'wr-ops', chattype: 'group', aibotid: BOT.botId });
    expect(body.text.content).to.equal('@客户助手 /客户 王');
    expect(body.response_url).to.match(/^http:\/\/127\.0\.0\.1:\d+\/cgi-bin\/aibot\/response\?response_code=/);
  });

  for (const placement of ['docs', 'sdk'] as const) {
    it(`takes a card update within 5 s of a click (${placement} placement), and refuses one after 6 s`, async () => {
      const c = await connected();
      await cardSent(c, `task-${placement}`, 'lisi', { id: 'wr-ops' });
      let clicked = next(c, 'event.template_card_event');
      await server.click({ from: 'wangwu', taskId: `task-${placement}`, eventKey: 'confirm', placement });
      let click = await clicked;
      const event = (click.body as { event: { event_key?: string; template_card_event?: { event_key: string; task_id: string } } }).event;
      expect(placement === 'docs' ? event.template_card_event : event).to.include({ event_key: 'confirm', task_id: `task-${placement}` });
      await c.updateTemplateCard(click, card(`task-${placement}`, 'Only the proposer confirms'), ['wangwu']);
      const update = await server.waitForCardUpdate((u) => u.taskId === `task-${placement}`);
      expect(update.userids).to.deep.equal(['wangwu']);
      expect(server.cardAsSeenBy(`task-${placement}`, 'wangwu')?.main_title.title).to.equal('Only the proposer confirms');
      expect(server.cardAsSeenBy(`task-${placement}`, 'lisi')?.main_title.title).to.equal('Hand over 3 customers?');

      clicked = next(c, 'event.template_card_event');
      await server.click({ from: 'lisi', taskId: `task-${placement}`, eventKey: 'confirm', placement });
      click = await clicked;
      clock.advance(6000);
      expect((await refusal(c.updateTemplateCard(click, card(`task-${placement}`, 'Done')))).errcode).to.equal(846608);
    });
  }

  it('refuses a click on a card the bot never sent, and a task_id used twice', async () => {
    const c = await connected();
    let failure: unknown;
    await server.click({ from: 'zhangsan', taskId: 'nope', eventKey: 'confirm' }).catch((error: unknown) => (failure = error));
    expect(String(failure)).to.contain('never sent');
    await cardSent(c, 'task-once');
    const message = next(c, 'message.text');
    await server.sendText({ from: 'zhangsan', text: 'again' });
    expect((await refusal(c.replyTemplateCard(await message, card('task-once')))).errcode).to.equal(846610);
  });

  it('kicks the first connection when a second one subscribes the same bot', async () => {
    const first = await connected();
    const kicked = next(first, 'event.disconnected_event');
    const reconnects: number[] = [];
    first.on('reconnecting', (n: number) => reconnects.push(n));
    await connected();
    await kicked;
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(server.kicks).to.have.length(1);
    expect(server.connections(BOT.botId)).to.equal(1);
    expect(reconnects).to.deep.equal([]);
  });

  it('refuses a push to a chat that never messaged the bot, and takes one to a chat that did', async () => {
    const c = await connected();
    const markdown = { msgtype: 'markdown' as const, markdown: { content: '**3** customers handed over' } };
    expect((await refusal(c.sendMessage('zhaoliu', markdown))).errcode).to.equal(846611);
    const message = next(c, 'message.text');
    await server.sendText({ from: 'zhaoliu', text: 'hi' });
    await message;
    await c.sendMessage('zhaoliu', markdown);
    const push = await server.waitForPush((p) => p.chatId === 'zhaoliu');
    expect(push).to.include({ msgtype: 'markdown', content: '**3** customers handed over' });
    expect((await refusal(c.sendMessage('zhaoliu', { msgtype: 'text', text: { content: 'x' } } as never))).errcode).to.equal(40008);
  });

  it('refuses the 31st message of a minute in one conversation', async () => {
    const c = await connected();
    const message = next(c, 'message.text');
    await server.sendText({ from: 'zhaoliu', text: 'hi' });
    await c.replyStream(await message, 's-1', 'hello', true);
    for (let i = 0; i < 29; i++) await c.sendMessage('zhaoliu', { msgtype: 'markdown', markdown: { content: `#${i}` } });
    expect((await refusal(c.sendMessage('zhaoliu', { msgtype: 'markdown', markdown: { content: '#31' } }))).errcode).to.equal(45009);
    clock.advance(60_001);
    await c.sendMessage('zhaoliu', { msgtype: 'markdown', markdown: { content: 'a minute later' } });
    expect(server.pushes()).to.have.length(30);
  });

  it('answers enter_chat with one welcome within 5 s', async () => {
    const c = await connected();
    const entered = next(c, 'event.enter_chat');
    await server.enterChat({ from: 'zhangsan' });
    const event = await entered;
    await c.replyWelcome(event, { msgtype: 'text', text: { content: '你好' } });
    expect(server.welcomes()[0]).to.include({ chatId: 'zhangsan', content: '你好' });
    expect((await refusal(c.replyWelcome(event, { msgtype: 'text', text: { content: 'again' } }))).errcode).to.equal(846608);
  });

  it('refuses a callback for a bot with no connection', async () => {
    let failure: unknown;
    await server.sendText({ from: 'zhangsan', text: 'hi' }).catch((error: unknown) => (failure = error));
    expect(String(failure)).to.contain('no authenticated connection');
  });

  it('serves the response_url of a message once', async () => {
    const c = await connected();
    const message = next(c, 'message.text');
    await server.sendText({ from: 'zhangsan', text: 'hi' });
    const responseUrl = ((await message).body as { response_url: string }).response_url;
    const post = async () =>
      (await (await fetch(responseUrl, { method: 'POST', body: JSON.stringify({ msgtype: 'markdown', markdown: { content: 'ok' } }) })).json()) as {
        errcode: number;
      };
    expect((await post()).errcode).to.equal(0);
    expect((await post()).errcode).to.equal(60140);
    expect(server.responseUrls.posts()[0]?.chat).to.deep.equal({ chatId: 'zhangsan', chatType: 'single', userid: 'zhangsan' });
  });

  it('shares an existing HTTP server under a path', async () => {
    const http = createServer((_req, res) => res.end('other routes'));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const shared = new AibotWsServer({ bots: [BOT], responseUrls: new AibotResponseUrls({ host: 'sim.test' }) });
    shared.attach(http, '/aibot');
    try {
      const c = new WSClient({ ...BOT, wsUrl: `ws://127.0.0.1:${(http.address() as AddressInfo).port}/aibot`, heartbeatInterval: 200, logger: silent });
      clients.push(c);
      const authenticated = next(c, 'authenticated');
      c.connect();
      await authenticated;
      expect(shared.connections()).to.equal(1);
      const message = next(c, 'message.text');
      await shared.sendText({ from: 'zhangsan', text: 'hi' });
      expect(((await message).body as { response_url: string }).response_url).to.match(/^http:\/\/sim\.test\/cgi-bin\/aibot\/response\?/);
    } finally {
      for (const client of clients.splice(0)) client.disconnect();
      await shared.stop();
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    }
  });
});
