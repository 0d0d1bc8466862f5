import Router from '@koa/router';
import type { ClockWatch } from './callback/clock.js';
import type { InboxWorker } from './callback/worker.js';
import type { Store } from './store/index.js';
import type { PathTrouble } from './wecom/index.js';

/** How long the probes wait for the store to answer before calling it down. */
export const HEALTH_PROBE_MS = 1500;

/** The inbox's oldest entry may wait this long before the instance is called not ready (default of {@link ProbeDeps}). */
export const INBOX_AGE_LIMIT_MS = 90_000;

/** What the probes look at. */
export interface ProbeDeps {
  store: Store;
  worker: InboxWorker;
  /** What signed callbacks say of this machine's clock. */
  clock?: ClockWatch;
  /** WeCom API paths that hang or are blocked now. */
  wecom?: () => PathTrouble[];
  /** True once the process is stopping. */
  stopping?: () => boolean;
  /** The oldest inbox entry may be this old (ms); default {@link INBOX_AGE_LIMIT_MS}. */
  inboxAgeLimitMs?: number;
  /** Extra fields of the /healthz answer (mode, faults told to the admins …). */
  health?: () => Record<string, unknown>;
}

/** Why the instance is not ready, or what is wrong around it: one line each, for an operator. */
interface Assessment {
  /** 503: this instance should get no traffic (its store, its inbox, its clock, a stop under way). */
  notReady: string[];
  /** 200 all the same: WeCom is failing, which no other instance would do better, and callbacks are still taken. */
  degraded: string[];
  fields: Record<string, unknown>;
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
  const fields: Record<string, unknown> = {};
  if (deps.stopping?.()) notReady.push('shutting down');
  const storeError = await probeStore(deps.store);
  if (storeError) {
    // A store that does not answer means callbacks are being refused.
    notReady.push(`store: ${storeError}`);
    fields.storeError = storeError;
  } else {
    const oldest = await deps.store.inbox.oldest().catch(() => undefined);
    const waitedMs = oldest === undefined ? 0 : Date.now() - oldest;
    fields.inbox = {
      waiting: deps.worker.waiting,
      active: deps.worker.active,
      capacity: deps.worker.capacity,
      oldestSeconds: Math.max(0, Math.round(waitedMs / 1000)),
    };
    if (waitedMs > (deps.inboxAgeLimitMs ?? INBOX_AGE_LIMIT_MS)) notReady.push(`inbox: the oldest message has waited ${Math.round(waitedMs / 1000)} s`);
  }
  // A clock WeCom's signed callbacks say is off: every callback is refused as stale, so nothing is being received.
  const skew = deps.clock?.skew();
  if (skew !== undefined) {
    const reason = `this machine's clock is ${Math.abs(skew)} s ${skew > 0 ? 'behind' : 'ahead of'} WeCom's: callbacks are refused as stale`;
    notReady.push(`clock: ${reason}`);
    fields.clock = { skewSeconds: skew, reason };
  }
  const troubles = deps.wecom?.() ?? [];
  for (const trouble of troubles) {
    degraded.push(
      trouble.problem === 'hanging'
        ? `wecom: ${trouble.path} is not answering (commands that need it are told to try later; others are answered)`
        : `wecom: ${trouble.path} is blocked after its per-minute limit (45009) until ${new Date(trouble.at).toISOString()}; commands that need it wait without holding a worker`,
    );
  }
  if (troubles.length > 0) fields.wecom = troubles.map((t) => ({ path: t.path, problem: t.problem, at: new Date(t.at).toISOString() }));
  return { notReady, degraded, fields };
}

/**
 * The probes: `/livez` (the process serves), `/readyz` ("degraded" and 503, with the reasons, when this instance should
 * get no traffic: its store, an inbox that does not drain, a skewed clock, a stop under way; "degraded" with 200 when
 * WeCom itself fails), and `/healthz`, the same verdict with the figures.
 */
export function probeRouter(deps: ProbeDeps): Router {
  const router = new Router();
  router.get('/livez', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  const verdict = (a: Assessment) => (a.notReady.length + a.degraded.length > 0 ? 'degraded' : 'ok');
  router.get('/readyz', async (ctx) => {
    const a = await assess(deps);
    ctx.status = a.notReady.length > 0 ? 503 : 200;
    ctx.body = { status: verdict(a), ...(a.notReady.length + a.degraded.length > 0 ? { reasons: [...a.notReady, ...a.degraded] } : {}) };
  });
  router.get('/healthz', async (ctx) => {
    const a = await assess(deps);
    ctx.status = a.notReady.length > 0 ? 503 : 200;
    ctx.body = {
      status: verdict(a),
      ...(a.notReady.length + a.degraded.length > 0 ? { reasons: [...a.notReady, ...a.degraded] } : {}),
      store: deps.store.kind,
      ...a.fields,
      rssMb: Math.round(process.memoryUsage().rss / 1048576),
      ...deps.health?.(),
    };
  });
  return router;
}
