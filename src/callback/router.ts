import Router from '@koa/router';
import type { Context } from 'koa';
import type { ClockWatch } from './clock.js';
import type { Logger } from '../log.js';
import type { EnqueueOutcome } from '../store/index.js';
import { CallbackRejection, openEnvelope, type CallbackSecrets } from './crypto.js';
import { DEDUP_TTL_MS, dedupKey } from './dedup.js';
import { MAX_ENVELOPE_BYTES, readEncryptField } from './envelope.js';
import { InboundFormatError, toInbound, type Inbound } from './inbound.js';
import type { InboxWorker } from './worker.js';
import { parseWeComXml } from './xml.js';

/** The path WeCom calls, for both URL verification (GET) and messages (POST). */
export const CALLBACK_PATH = '/wecom/callback';

/**
 * How far a callback's timestamp may be from now. Older ones are replays (a captured request sent again once its
 * dedup record is gone); the dedup record lives longer than this window, so a replay is either a duplicate or stale.
 */
export const FRESHNESS_MS = 5 * 60 * 1000;

// The dedup record must outlive the freshness window on both sides, or a replay could slip between them.
if (DEDUP_TTL_MS <= 2 * FRESHNESS_MS) throw new Error('DEDUP_TTL_MS must exceed twice FRESHNESS_MS');

/** Dependencies of {@link createCallbackRouter}. */
export interface CallbackRouterOptions {
  secrets: CallbackSecrets;
  worker: InboxWorker;
  log: Logger;
  /** Milliseconds since the epoch (tests of recorded vectors set the time they were made). */
  now?: () => number;
  /** Told of each signed callback, fresh or stale: how the bot learns its clock is off. */
  clock?: ClockWatch;
  /** Told how each POSTed callback ended (the metrics count them). */
  onOutcome?: (outcome: CallbackOutcome) => void;
}

/** How a POSTed callback ended: recorded, a retry of one recorded, or refused (why, in a few words). */
export type CallbackOutcome = 'accepted' | 'duplicate' | 'stale' | 'forged' | 'malformed' | 'too_large' | 'store_unavailable' | 'inbox_full';

/** The outcome a refusal stands for. */
function outcomeOf(err: CallbackRejection): CallbackOutcome {
  if (err.status === 503) return err.reason === 'inbox full' ? 'inbox_full' : 'store_unavailable';
  if (err.status === 413) return 'too_large';
  if (err.status === 403) return err.reason.startsWith('timestamp') ? 'stale' : 'forged';
  return 'malformed';
}

/**
 * The named query parameters as WeCom sent them.
 * @throws CallbackRejection 400 when one is missing or empty.
 */
export function queryParams(ctx: Context, names: readonly string[]): Record<string, string> {
  // URLSearchParams keeps a literal '+' only when WeCom sent %2B, as it does; Koa's ctx.query would turn '+' into ' '.
  const params = new URLSearchParams(ctx.querystring);
  const out: Record<string, string> = {};
  for (const name of names) {
    const value = params.get(name);
    if (value === null || value === '') {
      throw new CallbackRejection(400, `missing query parameter ${name}`);
    }
    out[name] = value;
  }
  return out;
}

/** Whether a timestamp lies within the freshness window of `now`. */
function fresh(timestamp: string, now: number): boolean {
  const seconds = /^\d{1,12}$/.test(timestamp) ? Number(timestamp) : NaN;
  return Math.abs(seconds * 1000 - now) <= FRESHNESS_MS;
}

/** @throws CallbackRejection 403 when `timestamp` lies outside the freshness window of `now`. */
export function checkFresh(timestamp: string, now: number): void {
  if (!fresh(timestamp, now)) {
    throw new CallbackRejection(403, 'timestamp outside the freshness window');
  }
}

/**
 * The request body as text, refused past MAX_ENVELOPE_BYTES. Read from the stream's events (no async iterator: this
 * runs for every callback, and the iterator's machinery was a visible share of a callback's cost).
 */
export function readBody(ctx: Context): Promise<string> {
  const declared = Number(ctx.get('content-length') || '0');
  if (declared > MAX_ENVELOPE_BYTES) return Promise.reject(new CallbackRejection(413, 'body too large'));
  const req = ctx.req;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_ENVELOPE_BYTES) {
        req.off('data', onData);
        req.resume(); // drain the rest unread
        reject(new CallbackRejection(413, 'body too large'));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
  });
}

/** Which entries must not overtake each other: one member's commands run in order. */
function laneOf(inbound: Inbound): string {
  // Customer-contact events get their own lane: a welcome message must not wait behind the member's own commands.
  if (inbound.kind === 'external_contact') return `contact:${inbound.userId ?? ''}`;
  if (inbound.kind === 'external_chat' || inbound.kind === 'external_tag') return `sys:${inbound.kind}`;
  return `user:${inbound.fromUserName}`;
}

function isUrgent(inbound: Inbound): boolean {
  return inbound.kind === 'external_contact' && inbound.welcomeCode !== undefined;
}

/** True when the body's Encrypt field carries WeCom's signature for these query parameters. */
function signedByWeCom(secrets: CallbackSecrets, q: Record<string, string>, body: string): boolean {
  try {
    openEnvelope(secrets, { signature: q.msg_signature!, timestamp: q.timestamp!, nonce: q.nonce! }, readEncryptField(body));
    return true;
  } catch {
    return false;
  }
}

/**
 * How a callback endpoint refuses: the HTTP status of the rejection with an empty body, and a log line — at most 20 a
 * second, then one line a second saying how many more were refused (a flood of forged callbacks must not become a
 * flood of log lines). Anything but a rejection is thrown on.
 * @param events the first word of the log events (`callback.rejected`, `callback.rejected_suppressed`).
 */
export function rejections(log: Logger, events: string): (ctx: Context, err: unknown) => void {
  let windowStart = 0;
  let inWindow = 0;
  let suppressed = 0;
  const logRejection = (fields: Record<string, unknown>): void => {
    const at = Date.now();
    if (at - windowStart >= 1000) {
      if (suppressed > 0) log.warn({ event: `${events}.rejected_suppressed`, count: suppressed });
      windowStart = at;
      inWindow = 0;
      suppressed = 0;
    }
    if (++inWindow <= 20) log.warn({ event: `${events}.rejected`, ...fields });
    else suppressed += 1;
  };
  return (ctx, err) => {
    if (!(err instanceof CallbackRejection)) throw err;
    ctx.status = err.status;
    ctx.body = '';
    logRejection({ method: ctx.method, status: err.status, reason: err.reason });
  };
}

/**
 * Answers WeCom's URL verification (GET with msg_signature, timestamp, nonce, echostr): the decrypted echostr, bare.
 * @throws CallbackRejection when a parameter is missing, stale or forged.
 */
export function answerUrlCheck(ctx: Context, secrets: CallbackSecrets, now: number): void {
  const q = queryParams(ctx, ['msg_signature', 'timestamp', 'nonce', 'echostr']);
  checkFresh(q.timestamp!, now);
  ctx.type = 'text/plain';
  ctx.body = openEnvelope(secrets, { signature: q.msg_signature!, timestamp: q.timestamp!, nonce: q.nonce! }, q.echostr!);
}

/**
 * The WeCom callback endpoint. GET answers URL verification with the decrypted echostr; POST checks freshness,
 * reads only the Encrypt field, verifies and decrypts, parses the verified message, and records it in the durable
 * inbox (dedup and queue in one write) before answering 200 with an empty body; handlers run afterwards.
 */
export function createCallbackRouter(options: CallbackRouterOptions): Router {
  const { secrets, worker, log } = options;
  const now = options.now ?? Date.now;
  const router = new Router();

  const refuse = rejections(log, 'callback');

  router.get(CALLBACK_PATH, (ctx) => {
    try {
      answerUrlCheck(ctx, secrets, now());
      log.info({ event: 'callback.verified' });
    } catch (err) {
      refuse(ctx, err);
    }
  });

  router.post(CALLBACK_PATH, async (ctx) => {
    try {
      const q = queryParams(ctx, ['msg_signature', 'timestamp', 'nonce']);
      const at = now();
      if (!fresh(q.timestamp!, at)) {
        // A stale callback that WeCom signed says this clock is off: counted, then refused like any stale one.
        const skewMs = Number(q.timestamp) * 1000 - at;
        if (options.clock && Number.isFinite(skewMs) && signedByWeCom(secrets, q, await readBody(ctx).catch(() => ''))) options.clock.stale(skewMs);
        checkFresh(q.timestamp!, at);
      }
      const cipherText = readEncryptField(await readBody(ctx));
      const plain = openEnvelope(secrets, { signature: q.msg_signature!, timestamp: q.timestamp!, nonce: q.nonce! }, cipherText);
      options.clock?.accepted();
      const record = await parseWeComXml(plain).catch(() => {
        throw new CallbackRejection(400, 'malformed message XML');
      });
      let inbound: Inbound;
      try {
        inbound = toInbound(record);
      } catch (err) {
        if (err instanceof InboundFormatError) throw new CallbackRejection(400, err.message);
        throw err;
      }
      const key = dedupKey(record);
      let outcome: EnqueueOutcome;
      try {
        outcome = await worker.submit({ key, lane: laneOf(inbound), urgent: isUrgent(inbound), inbound });
      } catch (err) {
        // The store is down or slow: nothing was recorded, and WeCom retries a 503.
        log.error({ event: 'callback.store_failed', err: (err as Error).message });
        throw new CallbackRejection(503, 'store unavailable');
      }
      if (outcome === 'full') throw new CallbackRejection(503, 'inbox full');
      ctx.status = 200;
      ctx.body = '';
      if (outcome === 'duplicate') log.info({ event: 'callback.duplicate', key });
      else log.debug({ event: 'callback.accepted', kind: inbound.kind, key });
      options.onOutcome?.(outcome);
    } catch (err) {
      if (err instanceof CallbackRejection) options.onOutcome?.(outcomeOf(err));
      refuse(ctx, err);
    }
  });

  return router;
}
