import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { AibotCallback, AibotCardUpdate, AibotFrame, AibotMixedCallback, AibotPush, AibotReplyBody } from '../../wecom/types/aibot.js';
import { AIBOT_CMD } from '../../wecom/types/aibot.js';
import { SimClock } from '../clock.js';
import {
  type CallbackOrigin,
  type ClickPlacement,
  clickCallback,
  DEFAULT_BOT_NAME,
  disconnectedCallback,
  enterChatCallback,
  freshId,
  mixedCallback,
  textCallback,
  voiceCallback,
} from './callbacks.js';
import { AIBOT_ERR, type AibotError, AibotRefusal } from './errcodes.js';
import { AibotLedger, type AibotCardUpdateView, type AibotPushView, type AibotStreamView, type CallbackRecord } from './ledger.js';
import { AibotResponseUrls, RESPONSE_URL_PATH } from './response-urls.js';

/** A bot the simulated WeCom knows: its BotID, long-connection Secret and display name (for `@名字 `). */
export interface AibotCredentials {
  botId: string;
  secret: string;
  name?: string;
}

/** Options of `AibotWsServer`. */
export interface AibotWsServerOptions {
  bots: AibotCredentials[];
  clock?: SimClock;
  host?: string;
  port?: number;
  /** Where message callbacks' and clicks' response_urls point; by default the server's own (served by `start()`). */
  responseUrls?: AibotResponseUrls;
}

/** A frame that crossed a socket. */
export interface AibotTranscriptEntry {
  at: number;
  dir: 'in' | 'out';
  botId?: string;
  frame: unknown;
}

/** A callback delivered: its req_id (what the bot answers on) and msgid. */
export interface AibotInjected {
  reqId: string;
  msgid: string;
}

/** A text from a member: a single chat without `chat`, else the group `chat.id` (an @-mention unless `mention: false`). */
export interface AibotTextInjection {
  botId?: string;
  from: string;
  text: string;
  chat?: { id: string };
  mention?: boolean;
}

const TRANSCRIPT_SIZE = 2000;

/**
 * WeCom's long-connection endpoint for AI bots (doc 101463), for the official SDK to connect to: authentication,
 * heartbeat, one connection per bot, callbacks a test injects, and the rules every reply is held to (see AibotLedger).
 */
export class AibotWsServer {
  readonly clock: SimClock;
  readonly responseUrls: AibotResponseUrls;
  /** Sockets replaced by a newer subscribe of the same bot. */
  readonly kicks: { botId: string; at: number }[] = [];
  /** The last 2,000 frames in and out. */
  readonly transcript: AibotTranscriptEntry[] = [];
  private readonly bots: Map<string, AibotCredentials>;
  private readonly ledger: AibotLedger;
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly botOf = new Map<WebSocket, string>();
  private readonly current = new Map<string, WebSocket>();
  private readonly refused: AibotError[] = [];
  private readonly detachers: (() => void)[] = [];
  private ownServer?: Server;
  private pingAcks = true;

  constructor(private readonly options: AibotWsServerOptions) {
    this.clock = options.clock ?? new SimClock();
    this.responseUrls = options.responseUrls ?? new AibotResponseUrls({ clock: this.clock });
    this.bots = new Map(options.bots.map((b) => [b.botId, b]));
    this.ledger = new AibotLedger(this.clock);
    this.wss.on('connection', (ws: WebSocket) => this.onConnection(ws));
  }

  /** Listens on a server of its own (127.0.0.1 and a free port by default), which also serves the response_urls. */
  async start(): Promise<string> {
    const server = createServer((req, res) => {
      if (new URL(req.url ?? '/', 'http://x').pathname === RESPONSE_URL_PATH) void this.responseUrls.handle(req, res);
      else res.writeHead(404).end();
    });
    this.ownServer = server;
    this.attach(server);
    const host = this.options.host ?? '127.0.0.1';
    await new Promise<void>((resolve) => server.listen(this.options.port ?? 0, host, resolve));
    const { port } = server.address() as AddressInfo;
    if (!this.options.responseUrls) this.responseUrls.host = `${host}:${port}`;
    return `ws://${host}:${port}`;
  }

  /** Takes WebSocket upgrades to `path` (every path when omitted) on an existing HTTP server. */
  attach(server: Server, path?: string): void {
    const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (path !== undefined && new URL(req.url ?? '/', 'http://x').pathname !== path) return;
      this.wss.handleUpgrade(req, socket, head, (ws) => this.wss.emit('connection', ws, req));
    };
    server.on('upgrade', onUpgrade);
    this.detachers.push(() => server.off('upgrade', onUpgrade));
    const address = server.address();
    if (!this.options.responseUrls && address && typeof address === 'object') this.responseUrls.host = `127.0.0.1:${address.port}`;
  }

  /** Closes every socket and the server `start()` opened. */
  async stop(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    for (const detach of this.detachers.splice(0)) detach();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    const server = this.ownServer;
    this.ownServer = undefined;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  /** Whether pings are acked; without acks the SDK drops the link after two pings and reconnects. */
  setPingAcks(on: boolean): void {
    this.pingAcks = on;
  }

  /** Closes every socket abruptly (no close frame), as a network failure would. */
  dropConnections(): void {
    for (const ws of this.wss.clients) ws.terminate();
  }

  /** Open authenticated sockets (of `botId`, or all). */
  connections(botId?: string): number {
    return [...this.botOf].filter(([ws, bot]) => ws.readyState === WebSocket.OPEN && (botId === undefined || bot === botId)).length;
  }

  /** Resolves once `botId` (or any bot) has an authenticated socket. */
  async waitForConnection(timeoutMs = 5000, botId?: string): Promise<void> {
    await this.ledger.waiters.waitFor(() => (this.connections(botId) > 0 ? true : undefined), timeoutMs, 'an authenticated connection');
  }

  /** A member's text; in a group without a mention nothing reaches the bot (doc 100719) and this resolves undefined. */
  sendText(injection: AibotTextInjection & { mention: false; chat: { id: string } }): Promise<undefined>;
  sendText(injection: AibotTextInjection & { mention?: true }): Promise<AibotInjected>;
  sendText(injection: AibotTextInjection): Promise<AibotInjected | undefined>;
  async sendText(injection: AibotTextInjection): Promise<AibotInjected | undefined> {
    if (injection.chat && injection.mention === false) return undefined;
    return this.inject(injection, 'message', (origin, name) => textCallback(origin, injection.text, name));
  }

  /** A member's text-and-images message. */
  sendMixed(injection: { botId?: string; from: string; items: AibotMixedCallback['mixed']['msg_item']; chat?: { id: string } }): Promise<AibotInjected> {
    return this.inject(injection, 'message', (origin, name) => mixedCallback(origin, injection.items, name));
  }

  /** A member's voice message (single chats only, doc 100719), as its transcript. */
  sendVoice(injection: { botId?: string; from: string; transcript: string }): Promise<AibotInjected> {
    return this.inject({ ...injection, chat: undefined }, 'message', (origin) => voiceCallback(origin, injection.transcript));
  }

  /** The member opened the single chat (doc 101027). */
  enterChat(injection: { botId?: string; from: string }): Promise<AibotInjected> {
    return this.inject({ ...injection, chat: undefined }, 'enter_chat', (origin) => enterChatCallback(origin));
  }

  /**
   * A click on a button of card `taskId`, which this bot must have sent where the member can see it (`chat` defaults
   * to the card's chat). `placement` 'docs' nests the key under `event.template_card_event` (doc 101027), 'sdk' puts it on `event`.
   */
  async click(injection: {
    botId?: string;
    from: string;
    taskId: string;
    eventKey: string;
    chat?: { id: string };
    placement?: ClickPlacement;
  }): Promise<AibotInjected> {
    const botId = this.botIdOf(injection.botId);
    const card = this.ledger.cardChat(botId, injection.taskId);
    if (!card) throw new Error(`bot ${botId} never sent a card ${injection.taskId}`);
    const chat = injection.chat ?? (card.chatType === 'group' ? { id: card.chatId } : undefined);
    const where = chat ? { chatType: 'group', chatId: chat.id } : { chatType: 'single', chatId: injection.from };
    if (where.chatType !== card.chatType || where.chatId !== card.chatId) {
      throw new Error(`card ${injection.taskId} is in ${card.chatType} chat ${card.chatId}, out of ${injection.from}'s sight here`);
    }
    return this.inject(
      { ...injection, botId, chat },
      'click',
      (origin) => clickCallback(origin, injection.taskId, injection.eventKey, injection.placement),
      injection.taskId,
    );
  }

  /** The streamed replies so far (matching `filter`). */
  streams(filter?: (view: AibotStreamView) => boolean): AibotStreamView[] {
    return this.ledger.streams(filter);
  }

  /** Resolves with the first stream matching `predicate`, re-checked on every frame. */
  waitForStream(predicate: (view: AibotStreamView) => boolean, timeoutMs = 5000): Promise<AibotStreamView> {
    return this.ledger.waiters.waitFor(() => this.ledger.streams(predicate)[0], timeoutMs, 'a stream');
  }

  /** The `aibot_send_msg` pushes accepted so far. */
  pushes(): AibotPushView[] {
    return this.ledger.pushes();
  }

  /** Resolves with the first push matching `predicate`. */
  waitForPush(predicate: (push: AibotPushView) => boolean, timeoutMs = 5000): Promise<AibotPushView> {
    return this.ledger.waiters.waitFor(() => this.ledger.pushes().find(predicate), timeoutMs, 'a push');
  }

  /** The welcomes (`aibot_respond_welcome_msg`) accepted so far. */
  welcomes(): AibotPushView[] {
    return this.ledger.welcomes();
  }

  /** The version of card `taskId` that `userid` sees now. */
  cardAsSeenBy(taskId: string, userid: string): ReturnType<AibotLedger['cardAsSeenBy']> {
    return this.ledger.cardAsSeenBy(taskId, userid);
  }

  /** Resolves with the first accepted card update matching `predicate`. */
  waitForCardUpdate(predicate: (update: AibotCardUpdateView) => boolean, timeoutMs = 5000): Promise<AibotCardUpdateView> {
    return this.ledger.waiters.waitFor(() => this.ledger.updates().find(predicate), timeoutMs, 'a card update');
  }

  /** The frames refused so far, with errcode and reason. */
  errors(): AibotError[] {
    return [...this.refused];
  }

  private botIdOf(botId: string | undefined): string {
    const id = botId ?? this.options.bots[0]?.botId;
    if (!id || !this.bots.has(id)) throw new Error(`unknown bot ${String(botId)}`);
    return id;
  }

  private async inject(
    injection: { botId?: string; from: string; chat?: { id: string } },
    kind: CallbackRecord['kind'],
    build: (origin: CallbackOrigin, name: string) => AibotCallback,
    taskId?: string,
  ): Promise<AibotInjected> {
    const botId = this.botIdOf(injection.botId);
    const ws = this.current.get(botId);
    if (!ws || ws.readyState !== WebSocket.OPEN) throw new Error(`bot ${botId} has no authenticated connection: the callback would be lost (doc 101463)`);
    const chatType = injection.chat ? 'group' : 'single';
    const chatId = injection.chat?.id ?? injection.from;
    const responseUrl = kind === 'enter_chat' ? undefined : this.responseUrls.issue({ chatId, chatType, userid: injection.from });
    const origin: CallbackOrigin = { botId, from: injection.from, chat: injection.chat, responseUrl, createTime: Math.floor(this.clock.now() / 1000) };
    const body = build(origin, this.bots.get(botId)?.name ?? DEFAULT_BOT_NAME);
    const reqId = freshId(kind === 'message' ? 'aibot_msg_callback' : 'aibot_event_callback');
    const at = this.clock.now();
    this.ledger.recordCallback(reqId, {
      kind,
      botId,
      msgid: body.msgid,
      chatId,
      chatType,
      userid: injection.from,
      at,
      connection: ws,
      ...(taskId ? { taskId } : {}),
    });
    const cmd = kind === 'message' ? AIBOT_CMD.msgCallback : AIBOT_CMD.eventCallback;
    await this.send(ws, { cmd, headers: { req_id: reqId }, body });
    return { reqId, msgid: body.msgid };
  }

  private onConnection(ws: WebSocket): void {
    ws.on('message', (data) => this.onFrame(ws, String(data)));
    ws.on('error', () => undefined);
    ws.on('close', () => {
      const botId = this.botOf.get(ws);
      this.botOf.delete(ws);
      if (botId !== undefined && this.current.get(botId) === ws) this.current.delete(botId);
    });
  }

  private onFrame(ws: WebSocket, raw: string): void {
    const botId = this.botOf.get(ws);
    let frame: AibotFrame;
    try {
      frame = JSON.parse(raw) as AibotFrame;
    } catch {
      frame = { headers: { req_id: '' }, body: raw };
    }
    this.record({ at: this.clock.now(), dir: 'in', ...(botId ? { botId } : {}), frame });
    const reqId = typeof frame.headers?.req_id === 'string' ? frame.headers.req_id : '';
    if (frame.cmd === AIBOT_CMD.subscribe) {
      this.subscribe(ws, reqId, frame.body as { bot_id?: string; secret?: string } | undefined);
      return;
    }
    // Before authentication WeCom takes nothing but the subscribe (doc 101463): the socket is closed.
    if (botId === undefined) {
      ws.close(1008, 'aibot_subscribe first');
      return;
    }
    try {
      // A reply answers on the connection its callback came on: one that replaced it (after a restart, or on another
      // instance) cannot (doc 101463 leaves it open; the stricter reading).
      const answers = frame.cmd === AIBOT_CMD.respond || frame.cmd === AIBOT_CMD.respondWelcome || frame.cmd === AIBOT_CMD.respondUpdate;
      const origin = this.ledger.connectionOf(reqId);
      if (answers && origin && origin !== ws) throw new AibotRefusal(AIBOT_ERR.wrongReqId, `req_id ${reqId} came on another connection`);
      switch (frame.cmd) {
        case AIBOT_CMD.ping:
          if (!this.pingAcks) return;
          break;
        case AIBOT_CMD.respond:
          this.ledger.respond(botId, reqId, frame.body as AibotReplyBody);
          break;
        case AIBOT_CMD.respondWelcome:
          this.ledger.welcome(botId, reqId, frame.body as AibotReplyBody);
          break;
        case AIBOT_CMD.respondUpdate:
          this.ledger.update(botId, reqId, frame.body as AibotCardUpdate);
          break;
        case AIBOT_CMD.send:
          this.ledger.send(botId, frame.body as AibotPush & { chatid?: string; chat_type?: number });
          break;
        default:
          throw new AibotRefusal(AIBOT_ERR.unsupported, `cmd ${String(frame.cmd)} not supported by the simulator`);
      }
      this.ack(ws, { headers: { req_id: reqId }, errcode: 0, errmsg: 'ok' });
    } catch (error) {
      if (!(error instanceof AibotRefusal)) throw error;
      this.refuse(ws, { botId, cmd: frame.cmd, reqId }, error);
    }
  }

  private subscribe(ws: WebSocket, reqId: string, body: { bot_id?: string; secret?: string } | undefined): void {
    const bot = this.bots.get(body?.bot_id ?? '');
    if (!bot || bot.secret !== body?.secret) {
      this.refuse(ws, { cmd: AIBOT_CMD.subscribe, reqId }, new AibotRefusal(AIBOT_ERR.badCredentials, `invalid bot_id or secret (${String(body?.bot_id)})`));
      ws.close(1008, 'invalid bot_id or secret');
      return;
    }
    const old = this.current.get(bot.botId);
    if (old && old !== ws) {
      // One connection per bot (doc 101463): the old socket hears why before it is closed.
      const notice: AibotFrame = {
        cmd: AIBOT_CMD.eventCallback,
        headers: { req_id: freshId('aibot_event_callback') },
        body: disconnectedCallback(bot.botId, Math.floor(this.clock.now() / 1000)),
      };
      void this.send(old, notice)
        .catch(() => undefined)
        .then(() => old.close(1000, 'replaced by a new connection'));
      this.botOf.delete(old);
      this.kicks.push({ botId: bot.botId, at: this.clock.now() });
    }
    this.current.set(bot.botId, ws);
    this.botOf.set(ws, bot.botId);
    this.ack(ws, { headers: { req_id: reqId }, errcode: 0, errmsg: 'ok' });
    this.ledger.waiters.notify();
  }

  private refuse(ws: WebSocket, about: { botId?: string; cmd?: string; reqId: string }, refusal: AibotRefusal): void {
    this.refused.push({ at: this.clock.now(), ...about, errcode: refusal.errcode, reason: refusal.reason });
    this.ack(ws, { headers: { req_id: about.reqId }, errcode: refusal.errcode, errmsg: refusal.reason });
  }

  /** Sends an ack; a socket closed meanwhile only loses it, as a real one would. */
  private ack(ws: WebSocket, frame: AibotFrame): void {
    this.send(ws, frame).catch(() => undefined);
  }

  private send(ws: WebSocket, frame: AibotFrame): Promise<void> {
    const botId = this.botOf.get(ws);
    this.record({ at: this.clock.now(), dir: 'out', ...(botId ? { botId } : {}), frame });
    return new Promise((resolve, reject) => {
      if (ws.readyState !== WebSocket.OPEN) return reject(new Error('socket closed'));
      ws.send(JSON.stringify(frame), (error) => (error ? reject(error) : resolve()));
    });
  }

  private record(entry: AibotTranscriptEntry): void {
    this.transcript.push(entry);
    if (this.transcript.length > TRANSCRIPT_SIZE) this.transcript.splice(0, this.transcript.length - TRANSCRIPT_SIZE);
  }
}
