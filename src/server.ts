import Koa from 'koa';
import type { ClockWatch } from './callback/clock.js';
import type Router from '@koa/router';
import { createCallbackRouter, type CallbackOutcome } from './callback/router.js';
import type { CallbackSecrets } from './callback/crypto.js';
import type { InboxWorker } from './callback/worker.js';
import type { Logger } from './log.js';
import type { Store } from './store/index.js';
import { probeRouter } from './probes.js';
import type { PathTrouble } from './wecom/index.js';

/** What the HTTP app needs. */
export interface AppDeps {
  secrets: CallbackSecrets;
  store: Store;
  worker: InboxWorker;
  log: Logger;
  /** Faults told to the admins within the hour (the probes name them). */
  faults?: () => Record<string, string>;
  /** WeCom API paths that hang or are blocked now (the probes report them). */
  wecom?: () => PathTrouble[];
  /** True once the process is stopping (the probes say not ready). */
  stopping?: () => boolean;
  /** The oldest inbox entry may be this old before the probes say not ready (default 90 s). */
  inboxAgeLimitMs?: number;
  /** Further routers mounted after the built-in ones (the playground in demo mode). */
  routers?: Router[];
  /** The clock of the callback's freshness check (tests of recorded vectors). */
  now?: () => number;
  /** What signed callbacks say of this machine's clock. */
  clock?: ClockWatch;
  /** Told how each POSTed callback ended (the metrics). */
  onOutcome?: (outcome: CallbackOutcome) => void;
}

/** The Koa app: the WeCom callback, the probes (/livez, /readyz, /healthz), and any extra routers. */
export function createApp(deps: AppDeps): Koa {
  const app = new Koa();
  app.silent = true;
  app.on('error', (err: Error) => deps.log.error({ event: 'http.error', err: err.message }));

  const health = probeRouter(deps);

  // The callback router first: WeCom's deliveries are nearly every request, and each middleware in front of it
  // (a router that does not match, allowedMethods awaiting the rest) costs them time and garbage.
  const callback = createCallbackRouter(deps);
  for (const router of [callback, health, ...(deps.routers ?? [])]) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  return app;
}
