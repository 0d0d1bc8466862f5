import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { WSClient, type WsFrame } from '@wecom/aibot-node-sdk';
import type { AibotCardClick, AibotTextMessage } from '../callback/inbound.js';
import { type AibotLink, AibotUnreachable, type StreamFrame } from '../channel/aibot/link.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/index.js';
import type { AibotCallback, AibotCardUpdate, AibotOrigin, AibotPush } from '../wecom/types/aibot.js';
import { AibotRefused } from './errors.js';
import { toAibotInbound } from './inbound.js';

/** Options of {@link AibotConnection}. */
export interface AibotConnectionOptions {
  botId: string;
  secret: string;
  /** WeCom's address unless set (AIBOT_WS_URL): the simulator's in the demo and the tests. */
  wsUrl?: string;
  /** The CorpID the bot's inbound is addressed to. */
  corpId: string;
  store: Pick<Store, 'claimFor' | 'renewFor' | 'release'>;
  log: Logger;
  /** Takes a message or a click in (records it in the inbox, opens its stream). */
  onInbound(inbound: AibotTextMessage | AibotCardClick): Promise<void>;
  /** The lease on the bot's one connection (default 10 s): another instance takes over within about this long. */
  leaseMs?: number;
  /** The welcome a member sees when they open the single chat (enter_chat, first time that day), in their language. */
  welcome?(userid: string): Promise<string>;
  /** Told when WeCom refuses the Bot ID or Secret (an operator must correct them; retrying cannot). */
  onRefused?(errmsg: string): void;
  /** The SDK's heartbeat and first reconnect delay (tests shorten them). */
  heartbeatMs?: number;
  reconnectMs?: number;
}

/** The SDK's log lines, as the bot's structured ones (never the secret: the SDK does not log it). */
function sdkLogger(log: Logger) {
  const line = (level: 'debug' | 'info' | 'warn' | 'error') => (message: string) => log[level]({ event: 'aibot.sdk', message });
  return { debug: line('debug'), info: line('debug'), warn: line('info'), error: line('warn') };
}

/** An ack that refused a frame (the SDK rejects with the raw frame), as an Error. */
function refusal(err: unknown): Error {
  if (err instanceof Error) return err;
  const frame = err as Partial<WsFrame>;
  return new AibotRefused(Number(frame.errcode ?? -1), String(frame.errmsg ?? 'refused'));
}

/** Waits for WeCom's ack of a frame; a refusal (the SDK rejects with the raw frame) as an Error. */
async function acked(sent: Promise<unknown>): Promise<void> {
  try {
    await sent;
  } catch (err) {
    throw refusal(err);
  }
}

/**
 * The 智能机器人's long connection (doc 101463), opened with the official SDK: exactly one per bot across every
 * instance, held under a lease in the store (another instance takes over within about `leaseMs` when the holder dies).
 * WeCom replacing it for another connection (`disconnected_event`) is logged and not fought: two deployments on one
 * BotID are an operator's mistake, and reconnecting would only kick the other back.
 */
export class AibotConnection implements AibotLink {
  readonly via = 'ws' as const;
  private readonly holder = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  private readonly leaseMs: number;
  private client: WSClient | undefined;
  private timer: NodeJS.Timeout | undefined;
  private holding = false;
  private kicked = false;
  private stopped = false;
  private looking: Promise<void> | undefined;

  constructor(private readonly options: AibotConnectionOptions) {
    this.leaseMs = options.leaseMs ?? 10_000;
  }

  private get leaseKey(): string {
    return `aibot-ws:${this.options.botId}`;
  }

  /** Whether this instance holds the connection and it is up. */
  ready(): boolean {
    return this.client?.isConnected ?? false;
  }

  /** Starts looking for the lease (at once, then four times a lease). */
  start(): void {
    this.look();
    this.timer = setInterval(() => this.look(), Math.max(50, Math.floor(this.leaseMs / 4)));
    this.timer.unref();
  }

  private look(): void {
    this.looking ??= this.tick().finally(() => {
      this.looking = undefined;
    });
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    const { store, log, botId } = this.options;
    try {
      if (this.holding) {
        if (await store.renewFor(this.leaseKey, this.holder, this.leaseMs)) return;
        log.warn({ event: 'aibot.lease_lost', bot: botId });
        this.holding = false;
        this.kicked = false;
        this.disconnect();
        return;
      }
      if ((await store.claimFor(this.leaseKey, this.holder, this.leaseMs)) !== this.holder) return;
      if (this.stopped) return void (await store.release(this.leaseKey));
      this.holding = true;
      log.info({ event: 'aibot.lease_taken', bot: botId });
      if (!this.kicked) this.connect();
    } catch (err) {
      log.warn({ event: 'aibot.lease_failed', bot: botId, err: (err as Error).message });
    }
  }

  private connect(): void {
    const { botId, secret, wsUrl, log } = this.options;
    const client = new WSClient({
      botId,
      secret,
      ...(wsUrl ? { wsUrl } : {}),
      heartbeatInterval: this.options.heartbeatMs ?? 30_000,
      reconnectInterval: this.options.reconnectMs ?? 1000,
      maxReconnectAttempts: -1,
      logger: sdkLogger(log),
    });
    client.on('authenticated', () => log.info({ event: 'aibot.connected', bot: botId }));
    client.on('disconnected', (reason) => log.info({ event: 'aibot.disconnected', bot: botId, reason }));
    client.on('error', (err) => {
      // The SDK says a refused subscribe in words only (and tries again with a backoff, five times).
      if (/^Authentication failed/.test(err.message)) {
        log.error({ event: 'aibot.auth_failed', bot: botId, err: err.message });
        this.options.onRefused?.(err.message.replace(/^Authentication failed:\s*/, ''));
      } else log.warn({ event: 'aibot.error', bot: botId, err: err.message });
    });
    client.on('event.disconnected_event', () => {
      this.kicked = true;
      log.error({
        event: 'aibot.kicked',
        bot: botId,
        message: 'WeCom gave this bot’s long connection to another process; not reconnecting (is a second deployment using this AIBOT_ID?)',
      });
    });
    client.on('message', (frame) => this.receive(frame as WsFrame<AibotCallback>));
    client.on('event.template_card_event', (frame) => this.receive(frame as unknown as WsFrame<AibotCallback>));
    client.on('event.enter_chat', (frame) => void this.greet(client, frame as unknown as WsFrame<AibotCallback>));
    this.client = client;
    client.connect();
  }

  private receive(frame: WsFrame<AibotCallback>): void {
    const { corpId, log, onInbound } = this.options;
    if (!frame.body) return;
    const inbound = toAibotInbound(frame.body, { via: 'ws', reqId: frame.headers.req_id, corpId, now: Math.floor(Date.now() / 1000) });
    if (!inbound) {
      log.info({ event: 'aibot.ignored', msgtype: frame.body.msgtype, msgid: frame.body.msgid });
      return;
    }
    void onInbound(inbound).catch((err: unknown) => log.error({ event: 'aibot.intake_failed', msgid: inbound.msgId, err: (err as Error).message }));
  }

  /** Answers enter_chat with the welcome (within 5 s of it, doc 101027); nothing is queued for it. */
  private async greet(client: WSClient, frame: WsFrame<AibotCallback>): Promise<void> {
    const { welcome, log } = this.options;
    const userid = frame.body?.from?.userid;
    if (!welcome || !userid) return;
    try {
      await client.replyWelcome(frame, { msgtype: 'text', text: { content: await welcome(userid) } });
    } catch (err) {
      log.info({ event: 'aibot.welcome_failed', user: userid, err: refusal(err).message });
    }
  }

  private disconnect(): void {
    const client = this.client;
    this.client = undefined;
    if (client) {
      client.removeAllListeners();
      client.disconnect();
    }
  }

  /** Closes the connection and lets the lease go (another instance takes over at once). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.looking;
    this.disconnect();
    // Shortened to a millisecond only while it is still ours: another instance's lease is never deleted.
    if (this.holding) await this.options.store.renewFor(this.leaseKey, this.holder, 1).catch(() => false);
    this.holding = false;
  }

  private live(): WSClient {
    const client = this.client;
    if (!client?.isConnected) throw new AibotUnreachable('the long connection is not held here');
    return client;
  }

  private static request(origin: AibotOrigin) {
    if (!origin.reqId) throw new AibotUnreachable('the message came without a request id');
    return { headers: { req_id: origin.reqId } };
  }

  async streamFrame(origin: AibotOrigin, _messageId: string, frame: StreamFrame): Promise<void> {
    const client = this.live();
    const request = AibotConnection.request(origin);
    await acked(
      frame.card
        ? client.replyStreamWithCard(request, frame.streamId, frame.content, frame.finish, { templateCard: frame.card })
        : client.replyStream(request, frame.streamId, frame.content, frame.finish),
    );
  }

  async updateCard(origin: AibotOrigin, _clickId: string, update: AibotCardUpdate): Promise<void> {
    const client = this.live();
    await acked(client.updateTemplateCard(AibotConnection.request(origin), update.template_card, update.userids));
  }

  async push(chatId: string, body: AibotPush): Promise<void> {
    const client = this.live();
    await acked(client.sendMessage(chatId, body));
  }
}
