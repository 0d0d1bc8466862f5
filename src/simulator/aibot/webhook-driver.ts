import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { type CallbackSecrets, openEnvelope, sealEnvelope } from '../../callback/crypto.js';
import type { AibotCallback, AibotCardUpdate, AibotReplyBody, AibotTemplateCard, AibotTextCallback } from '../../wecom/types/aibot.js';
import { AIBOT_CARD_UPDATE_MS, AIBOT_STREAM_LIFETIME_MS } from '../../wecom/types/aibot.js';
import { SimClock } from '../clock.js';
import {
  type CallbackOrigin,
  type ClickPlacement,
  clickCallback,
  DEFAULT_BOT_NAME,
  enterChatCallback,
  freshId,
  refreshCallback,
  textCallback,
} from './callbacks.js';
import { AIBOT_ERR, type AibotError, AibotRefusal } from './errcodes.js';
import type { AibotResponseUrls } from './response-urls.js';
import { checkCard, checkContentSize } from './rules.js';

/** Options of `AibotWebhookDriver`. */
export interface AibotWebhookDriverOptions {
  /** The bot's callback URL, such as `http://127.0.0.1:3000/wecom/aibot`. */
  url: string;
  token: string;
  encodingAesKey: string;
  botId?: string;
  name?: string;
  clock?: SimClock;
  /** How often an unfinished stream is polled (WeCom does not say; default 300 ms). */
  refreshMs?: number;
  responseUrls?: AibotResponseUrls;
}

/** One POST and the bot's answer, decrypted (`body` undefined for an empty answer). */
export interface AibotWebhookReply<B = AibotReplyBody> {
  status: number;
  body?: B;
  ms: number;
}

/** A streamed answer as the member ends up seeing it. */
export interface AibotStreamOutcome {
  frames: string[];
  content: string;
  finished: boolean;
  card?: AibotTemplateCard;
}

/** A message delivered: the first answer, and `done()` once WeCom stops polling the stream. */
export interface AibotWebhookExchange extends AibotWebhookReply {
  msgid: string;
  first: AibotReplyBody | undefined;
  /** The stream as the member sees it now (while WeCom still polls it). */
  current(): AibotStreamOutcome;
  done(): Promise<AibotStreamOutcome>;
}

/** At most 3 user messages in flight per bot (doc 100719). */
const MAX_IN_FLIGHT = 3;

/**
 * WeCom's side of an AI bot in webhook mode (docs 100719, 101027, 101031, 101033): it POSTs encrypted callbacks to the
 * bot, checks each answer's envelope and body, and polls unfinished streams until they finish or 6 minutes pass. A
 * message beyond the 3 in flight waits for one of them to finish (WeCom's behaviour there is not documented).
 */
export class AibotWebhookDriver {
  private readonly secrets: CallbackSecrets;
  private readonly clock: SimClock;
  private readonly botId: string;
  private readonly refused: AibotError[] = [];
  private readonly cardsSeen = new Set<string>();
  private readonly queue: (() => void)[] = [];
  private inFlight = 0;
  private closed = false;

  constructor(private readonly options: AibotWebhookDriverOptions) {
    this.secrets = { token: options.token, encodingAesKey: options.encodingAesKey, receiveId: '' };
    this.clock = options.clock ?? new SimClock();
    this.botId = options.botId ?? 'aib-sim';
  }

  /** The URL check (doc 101033): ok when the answer is the bare decrypted echostr with HTTP 200. */
  async verify(): Promise<{ status: number; body: string; ms: number; ok: boolean }> {
    const plain = randomBytes(12).toString('hex');
    const sealed = sealEnvelope(this.secrets, plain, ...this.stamp());
    const url = this.urlWith({ msg_signature: sealed.signature, timestamp: sealed.timestamp, nonce: sealed.nonce, echostr: sealed.encrypt });
    const started = performance.now();
    const res = await fetch(url);
    const body = await res.text();
    const ms = performance.now() - started;
    if (ms > 1000) this.refuse(AIBOT_ERR.expired, `URL check answered after ${Math.round(ms)} ms (due within 1 s)`);
    return { status: res.status, body, ms, ok: res.status === 200 && body === plain };
  }

  /** The text callback `sendText` would POST, for `deliver`. */
  textCallback(message: { from: string; text: string; chat?: { id: string }; msgid?: string }): AibotTextCallback {
    return textCallback(this.origin(message.from, message.chat, message.msgid), message.text, this.options.name ?? DEFAULT_BOT_NAME);
  }

  /** A member's text; the exchange keeps polling an unfinished stream. */
  async sendText(message: { from: string; text: string; chat?: { id: string }; msgid?: string }): Promise<AibotWebhookExchange> {
    await this.slot();
    const callback = this.textCallback(message);
    const startedAt = this.clock.now();
    let reply: AibotWebhookReply;
    try {
      reply = await this.post<AibotReplyBody>(callback);
    } catch (error) {
      this.release();
      throw error;
    }
    const first = reply.body;
    const outcome: AibotStreamOutcome = { frames: [], content: '', finished: first === undefined || first.msgtype === 'template_card' };
    this.take(first, outcome, undefined);
    let polling = Promise.resolve();
    if (first && 'stream' in first && !outcome.finished) polling = this.poll(callback, first.stream.id, startedAt, outcome).finally(() => this.release());
    else this.release();
    const done = polling.then(() => ({ ...outcome, frames: [...outcome.frames] }));
    return { ...reply, msgid: callback.msgid, first, current: () => ({ ...outcome, frames: [...outcome.frames] }), done: () => done };
  }

  /** POSTs the same callback `times` times, one after another, as WeCom's retries do (the bot deduplicates on msgid). */
  async deliver(body: AibotCallback, times: number): Promise<AibotWebhookReply<unknown>[]> {
    const replies: AibotWebhookReply<unknown>[] = [];
    for (let i = 0; i < times; i++) replies.push(await this.post<unknown>(body));
    return replies;
  }

  /** A click on card `taskId`, which the bot must have answered with; the reply is an update (≤ 5 s) or empty. */
  async click(click: {
    from: string;
    taskId: string;
    eventKey: string;
    chat?: { id: string };
    placement?: ClickPlacement;
  }): Promise<AibotWebhookReply<AibotCardUpdate>> {
    const pushed = this.options.responseUrls
      ?.posts()
      .some((p) => p.errcode === 0 && (p.body as { template_card?: AibotTemplateCard }).template_card?.task_id === click.taskId);
    if (!this.cardsSeen.has(click.taskId) && !pushed) throw new Error(`the bot never sent a card ${click.taskId}`);
    const callback = clickCallback(this.origin(click.from, click.chat), click.taskId, click.eventKey, click.placement);
    const reply = await this.post<AibotCardUpdate>(callback);
    this.check(() => {
      if (reply.ms > AIBOT_CARD_UPDATE_MS) throw new AibotRefusal(AIBOT_ERR.expired, `card update after ${Math.round(reply.ms)} ms (due within 5 s)`);
      if (!reply.body) return;
      if (reply.body.response_type !== 'update_template_card')
        throw new AibotRefusal(AIBOT_ERR.invalid, 'a click is answered with update_template_card or nothing');
      if (checkCard(reply.body.template_card).task_id !== click.taskId)
        throw new AibotRefusal(AIBOT_ERR.invalid, `update for ${reply.body.template_card.task_id}, clicked ${click.taskId}`);
    });
    return reply;
  }

  /** The member opened the single chat; the answer is a welcome (text or card, ≤ 5 s) or empty. */
  async enterChat(member: { from: string }): Promise<AibotWebhookReply> {
    const reply = await this.post<AibotReplyBody>(enterChatCallback({ botId: this.botId, from: member.from, createTime: this.seconds() }));
    this.check(() => {
      if (reply.ms > AIBOT_CARD_UPDATE_MS) throw new AibotRefusal(AIBOT_ERR.expired, `welcome after ${Math.round(reply.ms)} ms (due within 5 s)`);
      if (reply.body && reply.body.msgtype !== 'text' && reply.body.msgtype !== 'template_card')
        throw new AibotRefusal(AIBOT_ERR.msgtype, 'a welcome is text or template_card');
      if (reply.body?.msgtype === 'template_card') this.cardsSeen.add(checkCard(reply.body.template_card).task_id);
    });
    return reply;
  }

  /** What the driver found wrong in the bot's answers. */
  errors(): AibotError[] {
    return [...this.refused];
  }

  /** Stops polling streams (a test ends while a stream is still open). */
  close(): void {
    this.closed = true;
  }

  private async poll(message: AibotTextCallback, streamId: string, startedAt: number, outcome: AibotStreamOutcome): Promise<void> {
    while (!outcome.finished && !this.closed) {
      await new Promise((resolve) => setTimeout(resolve, this.options.refreshMs ?? 300));
      if (this.clock.now() - startedAt > AIBOT_STREAM_LIFETIME_MS) {
        this.refuse(AIBOT_ERR.expired, `stream ${streamId} not finished within 6 min of message ${message.msgid}`);
        return;
      }
      const chat = message.chatid ? { id: message.chatid } : undefined;
      let reply: AibotWebhookReply;
      try {
        reply = await this.post<AibotReplyBody>(refreshCallback(this.origin(message.from.userid, chat, undefined, false), streamId));
      } catch (error) {
        if (!this.closed) this.refuse(AIBOT_ERR.invalid, `stream refresh failed: ${String(error)}`);
        return;
      }
      this.take(reply.body, outcome, streamId);
    }
  }

  /** Checks an answer to a message or a refresh and adds its frame to `outcome`. */
  private take(body: AibotReplyBody | undefined, outcome: AibotStreamOutcome, streamId: string | undefined): void {
    this.check(() => {
      if (!body) {
        if (streamId) throw new AibotRefusal(AIBOT_ERR.invalid, `empty answer to a refresh of stream ${streamId}`);
        return;
      }
      if (body.msgtype === 'template_card' && !streamId) {
        this.addCard(body.template_card, outcome);
        return;
      }
      if (body.msgtype !== 'stream' && body.msgtype !== 'stream_with_template_card')
        throw new AibotRefusal(AIBOT_ERR.msgtype, `msgtype ${body.msgtype} cannot answer a message`);
      if (!body.stream?.id) throw new AibotRefusal(AIBOT_ERR.invalid, 'stream.id missing');
      if (streamId && body.stream.id !== streamId) throw new AibotRefusal(AIBOT_ERR.invalid, `stream.id ${body.stream.id} is not ${streamId}`);
      checkContentSize(body.stream.content, 'stream.content');
      if (body.msgtype === 'stream_with_template_card' && body.template_card) this.addCard(body.template_card, outcome);
      outcome.frames.push(body.stream.content ?? '');
      outcome.content = body.stream.content ?? '';
      outcome.finished = body.stream.finish === true;
    });
  }

  private addCard(card: AibotTemplateCard, outcome: AibotStreamOutcome): void {
    if (outcome.card) throw new AibotRefusal(AIBOT_ERR.invalid, 'a message gets at most one template card');
    checkCard(card);
    if (this.cardsSeen.has(card.task_id)) throw new AibotRefusal(AIBOT_ERR.taskIdReused, `task_id ${card.task_id} used before`);
    this.cardsSeen.add(card.task_id);
    outcome.card = card;
  }

  /** POSTs `callback` sealed (doc 101033) and opens the answer, checking its signature and that it echoes our nonce. */
  private async post<B>(callback: object): Promise<AibotWebhookReply<B>> {
    const sealed = sealEnvelope(this.secrets, JSON.stringify(callback), ...this.stamp());
    const url = this.urlWith({ msg_signature: sealed.signature, timestamp: sealed.timestamp, nonce: sealed.nonce });
    const started = performance.now();
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ encrypt: sealed.encrypt }) });
    const raw = await res.text();
    const ms = performance.now() - started;
    if (!raw) return { status: res.status, ms };
    let body: B | undefined;
    this.check(() => {
      let envelope: { encrypt?: string; msgsignature?: string; timestamp?: string | number; nonce?: string | number };
      try {
        envelope = JSON.parse(raw) as typeof envelope;
      } catch {
        throw new AibotRefusal(AIBOT_ERR.invalid, `answer is not JSON: ${raw.slice(0, 80)}`);
      }
      // The answer echoes the callback's nonce (docs 101031, 101033).
      if (String(envelope.nonce) !== sealed.nonce)
        throw new AibotRefusal(AIBOT_ERR.invalid, `answer nonce ${String(envelope.nonce)} is not the callback's ${sealed.nonce}`);
      const params = { signature: String(envelope.msgsignature), timestamp: String(envelope.timestamp), nonce: String(envelope.nonce) };
      let plain: string;
      try {
        plain = openEnvelope(this.secrets, params, String(envelope.encrypt));
      } catch (error) {
        throw new AibotRefusal(AIBOT_ERR.invalid, `answer envelope: ${(error as Error).message}`);
      }
      body = JSON.parse(plain) as B;
    });
    return { status: res.status, ...(body === undefined ? {} : { body }), ms };
  }

  /** Who and where; message callbacks and clicks carry a response_url (doc 101138), stream refreshes none. */
  private origin(from: string, chat?: { id: string }, msgid?: string, withResponseUrl = true): CallbackOrigin {
    const chatId = chat?.id ?? from;
    const responseUrl = withResponseUrl ? this.options.responseUrls?.issue({ chatId, chatType: chat ? 'group' : 'single', userid: from }) : undefined;
    return { botId: this.botId, from, chat, msgid: msgid ?? freshId('msg'), responseUrl, createTime: this.seconds() };
  }

  private async slot(): Promise<void> {
    if (this.inFlight < MAX_IN_FLIGHT) {
      this.inFlight++;
      return;
    }
    await new Promise<void>((resolve) => this.queue.push(resolve));
  }

  /** Hands the slot to the next waiting message, or frees it. */
  private release(): void {
    const next = this.queue.shift();
    if (next) next();
    else this.inFlight--;
  }

  private check(rule: () => void): void {
    try {
      rule();
    } catch (error) {
      if (!(error instanceof AibotRefusal)) throw error;
      this.refuse(error.errcode, error.reason);
    }
  }

  private refuse(errcode: number, reason: string): void {
    this.refused.push({ at: this.clock.now(), botId: this.botId, errcode, reason });
  }

  /** A real-time timestamp (the bot checks it against its own clock) and a fresh nonce. */
  private stamp(): [string, string] {
    return [String(Math.floor(Date.now() / 1000)), String(randomBytes(4).readUInt32BE(0))];
  }

  private seconds(): number {
    return Math.floor(this.clock.now() / 1000);
  }

  private urlWith(query: Record<string, string>): string {
    const url = new URL(this.options.url);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    return url.toString();
  }
}
