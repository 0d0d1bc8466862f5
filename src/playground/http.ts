import type { Context } from 'koa';

const MAX_JSON_BYTES = 64 * 1024;

/** Whether the request came from this machine (the playground speaks as anyone: loopback only). */
export function loopback(ctx: Context): boolean {
  const address = ctx.req.socket.remoteAddress ?? '';
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

/** The request's body, a JSON object of at most 64 KiB; 400 or 413 otherwise. */
export async function readJson(ctx: Context): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_JSON_BYTES) ctx.throw(413);
    chunks.push(chunk);
  }
  try {
    const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // answered below
  }
  return ctx.throw(400, 'body must be a JSON object');
}

/** A required string field of `body`, at most `max` characters; 400 otherwise. */
export function text(body: Record<string, unknown>, name: string, ctx: Context, max = 4000): string {
  const value = body[name];
  if (typeof value !== 'string' || value === '' || value.length > max) ctx.throw(400, `${name} is required`);
  return value as string;
}
