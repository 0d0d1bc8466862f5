import Koa from 'koa';
import Router from '@koa/router';
import { createCallbackRouter, type InboundHandler } from './callback/router.js';
import type { CallbackSecrets } from './callback/crypto.js';
import type { WorkQueue } from './callback/queue.js';
import type { Logger } from './log.js';
import type { Store } from './store/index.js';

/** What the HTTP app needs. */
export interface AppDeps {
  secrets: CallbackSecrets;
  store: Store;
  queue: WorkQueue;
  handle: InboundHandler;
  log: Logger;
  /** Extra fields of the /healthz answer (mode, queue state …). */
  health?: () => Record<string, unknown>;
  /** Further routers mounted after the built-in ones (the playground in demo mode). */
  routers?: Router[];
}

/** The Koa app: the WeCom callback, /healthz, and any extra routers. */
export function createApp(deps: AppDeps): Koa {
  const app = new Koa();
  app.silent = true;
  app.on('error', (err: Error) => deps.log.error({ event: 'http.error', err: err.message }));

  const health = new Router();
  health.get('/healthz', (ctx) => {
    ctx.body = {
      status: 'ok',
      store: deps.store.kind,
      queue: { waiting: deps.queue.waiting, active: deps.queue.active, capacity: deps.queue.capacity },
      rssMb: Math.round(process.memoryUsage().rss / 1048576),
      ...deps.health?.(),
    };
  });

  const callback = createCallbackRouter(deps);
  for (const router of [health, callback, ...(deps.routers ?? [])]) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  return app;
}
