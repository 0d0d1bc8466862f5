/**
 * A server the benchmark measures, in its own process (the load generator runs in another):
 *   bot       the bot's callback endpoint (real SQLite store), handler doing nothing
 *   slow      the bot with a handler taking 20 ms (backpressure)
 *   real      the whole bot answering through the simulator the parent runs (e2e)
 *   bare      a bare Koa route answering 200
 *   floor     a Koa route that only verifies the signature and decrypts
 * Runs the compiled bot (npm run build first). Prints one JSON line {url} when listening; answers IPC {type:'stats'} with RSS and handled count.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Koa from 'koa';
import Router from '@koa/router';

// The measured process runs what `npm start` runs: the compiled dist/, under plain node (this file's own types are
// stripped by node itself), so no TypeScript loader sits in its memory or its start-up. The types come from src/.
const dist = new URL('../dist/src/', import.meta.url).href;
const { openEnvelope } = (await import(`${dist}callback/crypto.js`)) as typeof import('../src/callback/crypto.js');
const { loadConfig } = (await import(`${dist}config.js`)) as typeof import('../src/config.js');
const { silentLogger } = (await import(`${dist}log.js`)) as typeof import('../src/log.js');
const { startRuntime } = (await import(`${dist}runtime.js`)) as typeof import('../src/runtime.js');

const kind = process.argv[2] ?? 'bot';
const env = process.env;
let handled = 0;

async function listenKoa(app: Koa): Promise<string> {
  const server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function start(): Promise<string> {
  if (kind === 'bare') {
    const app = new Koa();
    const router = new Router();
    router.post('/wecom/callback', (ctx) => {
      ctx.status = 200;
      ctx.body = '';
    });
    app.use(router.routes());
    return listenKoa(app);
  }
  if (kind === 'floor') {
    const secrets = { token: env.WECOM_TOKEN!, encodingAesKey: env.WECOM_ENCODING_AES_KEY!, receiveId: env.WECOM_CORP_ID! };
    const app = new Koa();
    const router = new Router();
    router.post('/wecom/callback', async (ctx) => {
      const chunks: Buffer[] = [];
      for await (const c of ctx.req as AsyncIterable<Buffer>) chunks.push(c);
      const body = Buffer.concat(chunks).toString('utf8');
      const cipher = /<Encrypt>(?:<!\[CDATA\[)?([^<\]]*)(?:\]\]>)?<\/Encrypt>/.exec(body)?.[1] ?? '';
      const q = new URLSearchParams(ctx.querystring);
      openEnvelope(secrets, { signature: q.get('msg_signature')!, timestamp: q.get('timestamp')!, nonce: q.get('nonce')! }, cipher);
      ctx.status = 200;
      ctx.body = '';
    });
    app.use(router.routes());
    return listenKoa(app);
  }
  const dir = mkdtempSync(join(tmpdir(), 'wco-bench-'));
  const config = loadConfig({ ...env, PORT: '0', HOST: '127.0.0.1', STORE_URL: env.STORE_URL ?? `sqlite://${join(dir, 'bench.sqlite')}` });
  const runtime = await startRuntime(config, {
    log: silentLogger,
    wecom: config.wecom!,
    inboxCapacity: kind === 'slow' ? 1000 : 100_000,
    concurrency: 8,
    ...(kind === 'real'
      ? {}
      : {
          handle: async () => {
            if (kind === 'slow') await new Promise((r) => setTimeout(r, 20));
            handled += 1;
          },
        }),
  });
  return runtime.url;
}

/** The process's own memory (bytes): RSS less the pages mapped from files, the Node binary above all (shared, reclaimable). */
function anonymousRss(): number | undefined {
  try {
    const kb = /RssAnon:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined; // not Linux
  }
}

process.on('message', (msg: { type: string }) => {
  if (msg.type === 'gc') (globalThis as { gc?: () => void }).gc?.();
  if (msg.type === 'stats') process.send?.({ type: 'stats', rss: process.memoryUsage().rss, anonRss: anonymousRss(), handled, memory: process.memoryUsage() });
});

start().then((url) => process.stdout.write(`${JSON.stringify({ url })}\n`));
