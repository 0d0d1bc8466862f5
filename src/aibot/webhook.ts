import { createHash } from 'node:crypto';
import Router from '@koa/router';
import type { Context } from 'koa';
import { CallbackRejection, openEnvelope, sealEnvelope, type CallbackSecrets } from '../callback/crypto.js';
import type { AibotCardClick, AibotTextMessage } from '../callback/inbound.js';
import { answerUrlCheck, checkFresh, queryParams, readBody, rejections } from '../callback/router.js';
import type { AibotChannels } from '../channel/aibot/channel.js';
import { type AibotLink, AibotUnreachable, type StreamFrame } from '../channel/aibot/link.js';
import { streamIdOf } from '../channel/aibot/stream.js';
import type { Logger } from '../log.js';
import { defineNamespace, type Store } from '../store/index.js';
import type { AibotCallback, AibotCardUpdate, AibotOrigin, AibotPush, AibotReplyBody, AibotTemplateCard } from '../wecom/types/aibot.js';
import { toAibotInbound } from './inbound.js';
import { postToResponseUrl } from './response-url.js';

/** The path WeCom calls the 智能机器人's webhook at (URL verification and callbacks). */
export const AIBOT_PATH = '/wecom/aibot';

/** A stream as the webhook answers WeCom's refresh callbacks with it, on whichever instance they arrive. */
interface StoredStream {
  content: string;
  finish: boolean;
  card?: AibotTemplateCard;
}

const STREAMS = defineNamespace<StoredStream>('aibot-streams');
/** WeCom stops asking six minutes after the message; the record outlives that. */
const STREAM_TTL_MS = 10 * 60_000;
/** A response_url is good for one POST (doc 101138): claimed before it is used. */
const RESPONSE_URL_TTL_MS = 3600_000;

/**
 * The webhook as the 智能机器人's transport: a stream is kept in the store and read back by WeCom's refresh callbacks
 * (any instance answers them); a card update waits for the click's own answer; a push is the message's response_url.
 */
export class WebhookLink implements AibotLink {
  readonly via = 'webhook' as const;
  private readonly streams;
  /** Clicks whose HTTP answer waits here for their card update, by the click's msgid. */
  private readonly waiting = new Map<string, (update: AibotCardUpdate) => void>();

  constructor(private readonly store: Store) {
    this.streams = store.namespace(STREAMS);
  }

  ready(): boolean {
    return true;
  }

  async streamFrame(_origin: AibotOrigin, _messageId: string, frame: StreamFrame): Promise<void> {
    const card = frame.card ?? (await this.streams.get(frame.streamId))?.card;
    await this.streams.set(frame.streamId, { content: frame.content, finish: frame.finish, ...(card ? { card } : {}) }, STREAM_TTL_MS);
  }

  /** Shows `placeholder` in stream `streamId` unless the stream has begun already. */
  async begin(streamId: string, placeholder: string): Promise<void> {
    if (!(await this.streams.get(streamId))) await this.streams.set(streamId, { content: placeholder, finish: false }, STREAM_TTL_MS);
  }

  /** The stream `streamId` as it stands; its card marked as shown when this answer carries it. */
  async answer(streamId: string): Promise<AibotReplyBody> {
    const stream = await this.streams.get(streamId);
    if (!stream) return { msgtype: 'stream', stream: { id: streamId, finish: false, content: '' } };
    const body = { id: streamId, finish: stream.finish, content: stream.content };
    // A message carries its card once (doc 101031): the first answer that has it claims it, on any instance.
    if (stream.card && (await this.store.claim(`aibot-card-shown:${streamId}`, STREAM_TTL_MS))) {
      return { msgtype: 'stream_with_template_card', stream: body, template_card: stream.card };
    }
    return { msgtype: 'stream', stream: body };
  }

  /** Waits up to `ms` for the card update of click `clickId` (undefined when none came). */
  awaitUpdate(clickId: string, ms: number): Promise<AibotCardUpdate | undefined> {
    // WeCom's retry of a click whose first delivery still waits: the first one gets the update.
    if (this.waiting.has(clickId)) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(clickId);
        resolve(undefined);
      }, ms);
      this.waiting.set(clickId, (update) => {
        clearTimeout(timer);
        this.waiting.delete(clickId);
        resolve(update);
      });
    });
  }

  async updateCard(_origin: AibotOrigin, clickId: string, update: AibotCardUpdate): Promise<void> {
    const answer = this.waiting.get(clickId);
    // The click's answer has gone (another instance took it, or its five seconds passed): WeCom takes no other.
    if (!answer) throw new AibotUnreachable('the click was answered already');
    answer(update);
  }

  async push(_chatId: string, body: AibotPush, origin?: AibotOrigin): Promise<void> {
    const url = origin?.responseUrl;
    if (!url) throw new AibotUnreachable('no response_url');
    const key = `aibot-response-url:${createHash('sha1').update(url).digest('hex')}`;
    if (!(await this.store.claim(key, RESPONSE_URL_TTL_MS))) throw new AibotUnreachable('the response_url was used');
    await postToResponseUrl(url, body);
  }
}

/** Dependencies of {@link createAibotWebhookRouter}. */
export interface AibotWebhookOptions {
  /** AIBOT_TOKEN and AIBOT_ENCODING_AES_KEY; the receiveid of a 智能机器人 is empty (doc 101033). */
  secrets: CallbackSecrets;
  link: WebhookLink;
  channels: AibotChannels;
  /** Records a message or a click in the inbox: false when it was recorded before (a retry). */
  takeIn(inbound: AibotTextMessage | AibotCardClick): Promise<'accepted' | 'duplicate'>;
  corpId: string;
  log: Logger;
  now?: () => number;
  /** The welcome a member sees when they open the single chat (enter_chat), in their language. */
  welcome?(userid: string): Promise<string>;
  /** How long a click's answer waits for its card update (WeCom takes one within 5 s). */
  clickWaitMs?: number;
}

/**
 * `GET/POST /wecom/aibot`: URL verification answered with the bare echostr; a message recorded in the inbox (its
 * msgid deduplicates WeCom's retries) and answered at once with the first frame of its stream, then each refresh
 * with the stream so far until it is finished; a click answered with its card update when it comes in time. Every
 * answer is encrypted and signed with the callback's nonce.
 */
export function createAibotWebhookRouter(options: AibotWebhookOptions): Router {
  const { secrets, link, channels, log } = options;
  const now = options.now ?? Date.now;
  const router = new Router();

  const refuse = rejections(log, 'aibot.webhook');

  const seal = (ctx: Context, nonce: string, body: unknown): void => {
    const sealed = sealEnvelope(secrets, JSON.stringify(body), String(Math.floor(now() / 1000)), nonce);
    ctx.type = 'application/json';
    ctx.body = { encrypt: sealed.encrypt, msgsignature: sealed.signature, timestamp: Number(sealed.timestamp), nonce: sealed.nonce };
  };

  router.get(AIBOT_PATH, (ctx) => {
    try {
      answerUrlCheck(ctx, secrets, now());
      log.info({ event: 'aibot.webhook_verified' });
    } catch (err) {
      refuse(ctx, err);
    }
  });

  router.post(AIBOT_PATH, async (ctx) => {
    try {
      const q = queryParams(ctx, ['msg_signature', 'timestamp', 'nonce']);
      checkFresh(q.timestamp!, now());
      let cipher: unknown;
      try {
        cipher = (JSON.parse(await readBody(ctx)) as { encrypt?: unknown }).encrypt;
      } catch (err) {
        if (err instanceof CallbackRejection) throw err;
        throw new CallbackRejection(400, 'body is not JSON');
      }
      if (typeof cipher !== 'string' || cipher === '') throw new CallbackRejection(400, 'no encrypt field');
      const plain = openEnvelope(secrets, { signature: q.msg_signature!, timestamp: q.timestamp!, nonce: q.nonce! }, cipher);
      let body: AibotCallback;
      try {
        body = JSON.parse(plain) as AibotCallback;
      } catch {
        throw new CallbackRejection(400, 'message is not JSON');
      }
      if (body.msgtype === 'stream') return seal(ctx, q.nonce!, await link.answer(body.stream.id));
      if (body.msgtype === 'event' && body.event.eventtype === 'enter_chat' && options.welcome && body.from?.userid) {
        return seal(ctx, q.nonce!, { msgtype: 'text', text: { content: await options.welcome(body.from.userid) } });
      }
      const inbound = toAibotInbound(body, { via: 'webhook', corpId: options.corpId, now: Math.floor(now() / 1000) });
      if (!inbound) {
        log.info({ event: 'aibot.ignored', msgtype: body.msgtype, msgid: body.msgid });
        ctx.status = 200;
        ctx.body = '';
        return;
      }
      if (inbound.kind === 'aibot_click') {
        const update = link.awaitUpdate(inbound.msgId, options.clickWaitMs ?? 4000);
        const outcome = await options.takeIn(inbound);
        const answer = outcome === 'accepted' ? await update : undefined;
        if (!answer) {
          ctx.status = 200;
          ctx.body = '';
          return;
        }
        return seal(ctx, q.nonce!, answer);
      }
      const streamId = streamIdOf(inbound.msgId);
      // "处理中…" is written before the message is queued, so the turn (on any instance) can only write after it.
      await link.begin(streamId, await channels.note(inbound.fromUserName, 'common.processing'));
      if ((await options.takeIn(inbound)) === 'duplicate') log.info({ event: 'aibot.duplicate', msgid: inbound.msgId });
      seal(ctx, q.nonce!, await link.answer(streamId));
    } catch (err) {
      refuse(ctx, err);
    }
  });
  return router;
}
