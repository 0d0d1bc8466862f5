import Router from '@koa/router';
import type { Context } from 'koa';
import type { Logger } from '../log.js';
import type { Store } from '../store/index.js';
import { CallbackRejection, openEnvelope, type CallbackSecrets } from './crypto.js';
import { DEDUP_TTL_MS, dedupKey } from './dedup.js';
import { InboundFormatError, toInbound, type Inbound } from './inbound.js';
import type { WorkQueue } from './queue.js';
import { leaf, parseWeComXml } from './xml.js';

/** The path WeCom calls, for both URL verification (GET) and messages (POST). */
export const CALLBACK_PATH = '/wecom/callback';

/** The largest body accepted; WeCom's envelopes are a few KiB. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** What runs an inbound message or event after the callback was answered. */
export type InboundHandler = (inbound: Inbound) => Promise<void>;

/** Dependencies of {@link createCallbackRouter}. */
export interface CallbackRouterOptions {
  secrets: CallbackSecrets;
  store: Store;
  queue: WorkQueue;
  handle: InboundHandler;
  log: Logger;
}

function queryParams(ctx: Context, names: readonly string[]): Record<string, string> {
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

async function readBody(ctx: Context): Promise<string> {
  const declared = Number(ctx.get('content-length') || '0');
  if (declared > MAX_BODY_BYTES) {
    throw new CallbackRejection(413, 'body too large');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      throw new CallbackRejection(413, 'body too large');
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Which jobs must not overtake each other: one member's commands run in order. */
function orderingKey(inbound: Inbound): string {
  // Customer-contact events get their own lane: a welcome message must not wait behind the member's own commands.
  if (inbound.kind === 'external_contact') return `contact:${inbound.userId ?? ''}`;
  if (inbound.kind === 'external_chat' || inbound.kind === 'external_tag') return `sys:${inbound.kind}`;
  return `user:${inbound.fromUserName}`;
}

function isUrgent(inbound: Inbound): boolean {
  return inbound.kind === 'external_contact' && inbound.welcomeCode !== undefined;
}

/**
 * The WeCom callback endpoint. GET answers URL verification with the decrypted echostr; POST verifies, decrypts,
 * parses, dedups and queues the inbound, then answers 200 with an empty body before any handler runs.
 */
export function createCallbackRouter(options: CallbackRouterOptions): Router {
  const { secrets, store, queue, handle, log } = options;
  const router = new Router();

  const refuse = (ctx: Context, err: unknown): void => {
    if (err instanceof CallbackRejection) {
      ctx.status = err.status;
      ctx.body = '';
      log.warn({ event: 'callback.rejected', method: ctx.method, status: err.status, reason: err.reason });
      return;
    }
    throw err;
  };

  router.get(CALLBACK_PATH, (ctx) => {
    try {
      const q = queryParams(ctx, ['msg_signature', 'timestamp', 'nonce', 'echostr']);
      const plain = openEnvelope(
        secrets,
        { signature: q.msg_signature as string, timestamp: q.timestamp as string, nonce: q.nonce as string },
        q.echostr as string,
      );
      ctx.type = 'text/plain';
      ctx.body = plain;
      log.info({ event: 'callback.verified' });
    } catch (err) {
      refuse(ctx, err);
    }
  });

  router.post(CALLBACK_PATH, async (ctx) => {
    try {
      const q = queryParams(ctx, ['msg_signature', 'timestamp', 'nonce']);
      const body = await readBody(ctx);
      const outer = await parseWeComXml(body).catch(() => {
        throw new CallbackRejection(400, 'malformed envelope XML');
      });
      const cipherText = leaf(outer, 'Encrypt');
      if (!cipherText) {
        throw new CallbackRejection(400, 'envelope has no Encrypt');
      }
      const plain = openEnvelope(
        secrets,
        { signature: q.msg_signature as string, timestamp: q.timestamp as string, nonce: q.nonce as string },
        cipherText,
      );
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
      if (queue.full) {
        throw new CallbackRejection(503, 'queue full');
      }
      const key = dedupKey(record);
      if (!(await store.claim(`dedup:${key}`, DEDUP_TTL_MS))) {
        ctx.status = 200;
        ctx.body = '';
        log.info({ event: 'callback.duplicate', key });
        return;
      }
      const accepted = queue.push(() => handle(inbound), { key: orderingKey(inbound), urgent: isUrgent(inbound) });
      if (!accepted) {
        // Filled up while the claim was being recorded: forget the claim so WeCom's retry is handled.
        await store.release(`dedup:${key}`);
        throw new CallbackRejection(503, 'queue full');
      }
      ctx.status = 200;
      ctx.body = '';
      log.debug({ event: 'callback.accepted', kind: inbound.kind, key });
    } catch (err) {
      refuse(ctx, err);
    }
  });

  return router;
}
