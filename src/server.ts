import Koa from 'koa';
import type { ClockWatch } from './callback/clock.js';
import Router from '@koa/router';
import { createCallbackRouter } from './callback/router.js';
import type { CallbackSecrets } from './callback/crypto.js';
import type { InboxWorker } from './callback/worker.js';
import type { Logger } from './log.js';
import type { Store } from './store/index.js';

/** How long /healthz waits for the store to answer before calling it down. */
export const HEALTH_PROBE_MS = 1500;

/** What the HTTP app needs. */
export interface AppDeps {
  secrets: CallbackSecrets;
  store: Store;
  worker: InboxWorker;
  log: Logger;
  /** Extra fields of the /healthz answer (mode …). */
  health?: () => Record<string, unknown>;
  /** Further routers mounted after the built-in ones (the playground in demo mode). */
  routers?: Router[];
  /** The clock of the callback's freshness check (tests of recorded vectors). */
  now?: () => number;
  /** What signed callbacks say of this machine's clock. */
  clock?: ClockWatch;
}

function probe(store: Store): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${HEALTH_PROBE_MS} ms`), HEALTH_PROBE_MS);
  });
  const answer = store.ping().then(
    () => undefined,
    (err: unknown) => (err as Error)?.message ?? String(err),
  );
  return Promise.race([answer, timeout]).finally(() => clearTimeout(timer));
}

/** The Koa app: the WeCom callback, /healthz, and any extra routers. */
export function createApp(deps: AppDeps): Koa {
  const app = new Koa();
  app.silent = true;
  app.on('error', (err: Error) => deps.log.error({ event: 'http.error', err: err.message }));

  const health = new Router();
  health.get('/healthz', async (ctx) => {
    // A store that does not answer means callbacks are being refused: say so, so a load balancer can act on it.
    const problem = await probe(deps.store);
    // A clock WeCom's signed callbacks say is off: every callback is refused as stale, so nothing is being received.
    const skew = deps.clock?.skew();
    ctx.status = problem || skew !== undefined ? 503 : 200;
    ctx.body = {
      status: problem || skew !== undefined ? 'degraded' : 'ok',
      store: deps.store.kind,
      ...(problem ? { storeError: problem } : {}),
      ...(skew !== undefined
        ? {
            clock: {
              skewSeconds: skew,
              reason: `this machine's clock is ${Math.abs(skew)} s ${skew > 0 ? 'behind' : 'ahead of'} WeCom's: callbacks are refused as stale`,
            },
          }
        : {}),
      inbox: { waiting: deps.worker.waiting, active: deps.worker.active, capacity: deps.worker.capacity },
      rssMb: Math.round(process.memoryUsage().rss / 1048576),
      ...deps.health?.(),
    };
  });

  // The callback router first: WeCom's deliveries are nearly every request, and each middleware in front of it
  // (a router that does not match, allowedMethods awaiting the rest) costs them time and garbage.
  const callback = createCallbackRouter(deps);
  for (const router of [callback, health, ...(deps.routers ?? [])]) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  return app;
}
