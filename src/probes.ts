import Router from '@koa/router';
import type { Context } from 'koa';
import type { ClockWatch } from './callback/clock.js';
import type { Store } from './store/index.js';
import type { PathTrouble } from './wecom/index.js';

/** How long the probes wait for the store to answer before calling it down. */
export const HEALTH_PROBE_MS = 1500;

/** The inbox's oldest entry may wait this long before the instance is called not ready (default of {@link ProbeDeps}). */
export const INBOX_AGE_LIMIT_MS = 90_000;

/** What the probes look at. */
export interface ProbeDeps {
  store: Store;
  /** What signed callbacks say of this machine's clock. */
  clock?: ClockWatch;
  /** WeCom API paths that hang or are blocked now. */
  wecom?: () => PathTrouble[];
  /** Faults told to the admins within the hour (kind → when), which need a person even if the alert never arrived. */
  faults?: () => Record<string, string>;
  /** True once the process is stopping. */
  stopping?: () => boolean;
  /** The oldest inbox entry may be this old (ms); default {@link INBOX_AGE_LIMIT_MS}. */
  inboxAgeLimitMs?: number;
}

/** Why the instance is not ready, or what is wrong around it: one line each, for an operator. */
interface Assessment {
  /** 503: this instance should get no traffic (its store, its inbox, its clock, a stop under way). */
  notReady: string[];
  /** 200 all the same: WeCom or its setup is failing, which no other instance would do better, and callbacks are still taken. */
  degraded: string[];
}

function probeStore(store: Store): Promise<string | undefined> {
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

async function assess(deps: ProbeDeps): Promise<Assessment> {
  const notReady: string[] = [];
  const degraded: string[] = [];
  if (deps.stopping?.()) notReady.push('shutting down');
  const storeError = await probeStore(deps.store);
  if (storeError) {
    // A store that does not answer means callbacks are being refused.
    notReady.push(`store (${deps.store.kind}): ${storeError}`);
  } else {
    const oldest = await deps.store.inbox.oldest().catch(() => undefined);
    const waitedMs = oldest === undefined ? 0 : Date.now() - oldest;
    if (waitedMs > (deps.inboxAgeLimitMs ?? INBOX_AGE_LIMIT_MS)) notReady.push(`inbox: the oldest message has waited ${Math.round(waitedMs / 1000)} s`);
  }
  // A clock WeCom's signed callbacks say is off: every callback is refused as stale, so nothing is being received.
  const skew = deps.clock?.skew();
  if (skew !== undefined) {
    notReady.push(`clock: this machine's clock is ${Math.abs(skew)} s ${skew > 0 ? 'behind' : 'ahead of'} WeCom's: callbacks are refused as stale`);
  }
  for (const trouble of deps.wecom?.() ?? []) {
    degraded.push(
      trouble.problem === 'hanging'
        ? `wecom: ${trouble.path} is not answering (commands that need it are told to try later; others are answered)`
        : `wecom: ${trouble.path} is blocked after its per-minute limit (45009) until ${new Date(trouble.at).toISOString()}; commands that need it wait without holding a worker`,
    );
  }
  for (const [kind, at] of Object.entries(deps.faults?.() ?? {})) degraded.push(`fault: ${kind} (told to the admins at ${at}; see the log)`);
  return { notReady, degraded };
}

/**
 * The probes, on the public port, saying no more than a verdict and its reasons (the figures are on the metrics port):
 * `/livez` (the process serves: never the store, so a Redis blip restarts nothing), `/readyz` ("degraded" and 503 when
 * this instance should get no traffic: its store, an inbox that does not drain, a skewed clock, a stop under way;
 * "degraded" with 200 when WeCom or its setup fails), and `/healthz`, the same as `/readyz`.
 */
export function probeRouter(deps: ProbeDeps): Router {
  const router = new Router();
  router.get('/livez', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  const ready = async (ctx: Context) => {
    const { notReady, degraded } = await assess(deps);
    const reasons = [...notReady, ...degraded];
    ctx.status = notReady.length > 0 ? 503 : 200;
    ctx.body = { status: reasons.length > 0 ? 'degraded' : 'ok', ...(reasons.length > 0 ? { reasons } : {}) };
  };
  router.get('/readyz', ready);
  router.get('/healthz', ready);
  return router;
}
