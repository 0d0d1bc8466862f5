import { createServer, type Server } from 'node:http';
import type Router from '@koa/router';
import { DEDUP_TTL_MS } from './callback/dedup.js';
import { InboxWorker, PoisonEntryError, type DeliveryHandler } from './callback/worker.js';
import { displayStoreUrl, type Config, type WeComConfig } from './config.js';
import { createBot, loadCommands, wecomFaultAlert, type Bot, type BotDeps, type CommandDefinition } from './bot/index.js';
import { t } from './i18n/index.js';
import { runSetupChecks } from './ops/checks.js';
import { checkLine } from './ops/output.js';
import { watchFaults, type WatchOptions } from './watchdog.js';
import type { Logger } from './log.js';
import { ClockWatch } from './callback/clock.js';
import type { CallbackOutcome } from './callback/router.js';
import { BotMetrics, serveMetrics } from './ops/metrics.js';
import { listen } from './ops/listen.js';
import { createApp } from './server.js';
import { createStore, prepareStore, releaseStore, type PreparedStore, type Store } from './store/index.js';
import { createWeComClient, tokenCacheKey, type CallReport, type WeComClient } from './wecom/index.js';
import type { AibotConnection } from './aibot/connection.js';
import { takeInAibot } from './aibot/intake.js';
import { createAibotWebhookRouter, WebhookLink } from './aibot/webhook.js';
import type { AibotLink } from './channel/aibot/link.js';

/** Options of {@link startRuntime} beyond the config. */
export interface RuntimeOptions {
  log: Logger;
  /** The WeCom side; required (in demo mode the simulator supplies it). */
  wecom: WeComConfig;
  /** Replace the bot's handler (tests of the callback layer). */
  handle?: DeliveryHandler;
  /** Use this store instead of opening `config.storeUrl`. */
  store?: Store;
  /** Deliveries waiting or running at most before callbacks are answered 503 (default 1000). */
  inboxCapacity?: number;
  /** Deliveries handled at once (default 8). */
  concurrency?: number;
  /** How long a worker's lease on an entry lasts (default 15 s); a dead worker's entries run again after it. */
  leaseMs?: number;
  /** The clock of the callback's freshness check (tests of recorded vectors). */
  now?: () => number;
  routers?: Router[];
  /** How long one WeCom request may take (default 10 s; tests of a hanging endpoint shorten it). */
  wecomTimeoutMs?: number;
  /** How long WeCom blocks an API after 45009 (default 60 s, WeCom's; tests shorten it). */
  wecomFrequencyWindowMs?: number;
  onCall?: (report: CallReport) => void;
  /** Commands besides those in `commands/` (tests declare their own). */
  extraCommands?: CommandDefinition[];
  /** The locales folders of those commands. */
  extraLocaleDirs?: readonly string[];
  /** Bot tuning: pacing, the "处理中…" delay, the proposal TTL, the alert window. */
  bot?: Pick<BotDeps, 'pacing' | 'progressAfterMs' | 'proposalTtlMs' | 'alertWindowMs' | 'clock' | 'notices' | 'schedules' | 'quietHours'>;
  /** Run the setup checks of `npm run check` once started: each logged, a failing one told to the admins. */
  checks?: boolean;
  /** How the watchdog looks for an inbox that does not drain, jobs that stopped and WeCom APIs that hang. */
  watch?: WatchOptions;
  /** The oldest inbox entry may be this old before /readyz says not ready (default 90 s). */
  inboxAgeLimitMs?: number;
  /** The 智能机器人's timing (tests shorten it): its lease, the SDK's heartbeat and reconnect, a stream's life, a click's wait. */
  aibot?: { leaseMs?: number; heartbeatMs?: number; reconnectMs?: number; safeMs?: number; clickWaitMs?: number };
}

/** A running bot: its URL and what it is made of. */
export interface Runtime {
  url: string;
  bot: Bot;
  server: Server;
  store: Store;
  /** What readying the store found: its migrations, and whether it was new, this corp's, or adopted. */
  prepared: PreparedStore;
  client: WeComClient;
  worker: InboxWorker;
  /** Where Prometheus reads the metrics (METRICS_PORT), when they are on. */
  metricsUrl?: string;
  /** Stops accepting, finishes what runs (bounded), closes the client and the store. */
  stop(drainMs?: number): Promise<void>;
}

/**
 * Assembles and starts the bot from a config: store → WeCom client → bot → queue → HTTP server.
 */
export async function startRuntime(config: Config, options: RuntimeOptions): Promise<Runtime> {
  const { log, wecom } = options;
  const store = options.store ?? (await createStore(config.storeUrl, { prefix: config.storePrefix }));
  let prepared: PreparedStore;
  try {
    prepared = await prepareStore(store, {
      corp: config.mode === 'demo' ? 'demo' : wecom.corpId,
      wecomCorpId: wecom.corpId,
      tokenKeys: [...new Set([wecom.agentSecret, wecom.contactSecret])].map((secret) => tokenCacheKey(wecom.corpId, secret)),
      url: displayStoreUrl(config.storeUrl),
      exclusive: store.kind === 'sqlite',
    });
  } catch (err) {
    if (!options.store) await store.close();
    throw err;
  }
  const { migrated } = prepared;
  if (migrated.from !== migrated.to) log.info({ event: 'store.migrated', from: migrated.from, to: migrated.to });
  if (prepared.binding !== 'same') {
    log[prepared.binding === 'adopted' ? 'warn' : 'info']({
      event: `store.${prepared.binding}`,
      corp: config.mode === 'demo' ? 'demo' : wecom.corpId,
      ...(prepared.evidence ? { evidence: prepared.evidence } : {}),
    });
  }
  // WeCom faults no retry cures go to the admins once the bot exists to tell them.
  let bot: Bot | undefined;
  const metrics = config.metrics
    ? new BotMetrics({
        inboxDepth: () => store.inbox.backlog(),
        inboxOldest: () => store.inbox.oldest(),
        jobsRunning: () => bot?.runningJobs() ?? [],
      })
    : undefined;
  const onCall = (report: CallReport) => {
    metrics?.call(report);
    options.onCall?.(report);
  };
  const client = createWeComClient({
    corpId: wecom.corpId,
    agentId: wecom.agentId,
    agentSecret: wecom.agentSecret,
    contactSecret: wecom.contactSecret,
    apiBase: wecom.apiBase,
    store,
    log,
    onCall,
    ...(options.wecomTimeoutMs !== undefined ? { timeoutMs: options.wecomTimeoutMs } : {}),
    ...(options.wecomFrequencyWindowMs !== undefined ? { frequencyWindowMs: options.wecomFrequencyWindowMs } : {}),
    onFault: (fault) => {
      const variable = fault.secret === 'agent' || wecom.agentSecret === wecom.contactSecret ? 'WECOM_AGENT_SECRET' : 'WECOM_CONTACT_SECRET';
      const alert = wecomFaultAlert(fault, variable);
      log.error({ event: 'wecom.fault', ...alert.detail });
      if (bot) void bot.alerts.report(alert.kind, alert.text, alert.detail).catch(() => undefined);
    },
  });
  const commands = [...(await loadCommands()), ...(options.extraCommands ?? [])];
  // The 智能机器人's transports, made before the bot (its channels answer through them) and started after the inbox.
  const aibotTiming = options.aibot ?? {};
  const links: Partial<Record<'ws' | 'webhook', AibotLink>> = {};
  // What a member who opens the 智能机器人's single chat is told, over either transport.
  const welcome = (userid: string) => started.aibot!.plain(userid, 'common.aibotWelcome');
  let connection: AibotConnection | undefined;
  if (config.aibot.ws) {
    const ws = config.aibot.ws;
    // The official SDK (with axios and ws) is loaded only by a bot that has a long connection: others keep its memory.
    const { AibotConnection } = await import('./aibot/connection.js');
    connection = new AibotConnection({
      botId: ws.botId,
      secret: ws.secret,
      ...(ws.wsUrl ? { wsUrl: ws.wsUrl } : {}),
      corpId: wecom.corpId,
      store,
      log,
      onInbound: async (inbound) => {
        // The stream is open before the message is queued (the turn answers on it), and "处理中…" leaves once it is
        // recorded: what the member sees has a durable record behind it.
        const stream =
          inbound.kind === 'aibot_text'
            ? await started.aibot?.open({
                origin: inbound.aibot,
                messageId: inbound.msgId,
                asker: inbound.fromUserName,
                startedAt: inbound.createTime * 1000,
                shown: false,
              })
            : undefined;
        try {
          await takeInAibot(worker, inbound);
        } catch (err) {
          // Nothing retries a frame: the member is told now that the bot is too busy, in the message they see.
          await stream?.finish(await started.aibot!.note(inbound.fromUserName, 'common.tooBusy')).catch(() => undefined);
          throw err;
        }
        await stream?.begin();
      },
      welcome,
      onRefused: (errmsg) => {
        void started.alerts
          .report(
            'aibot.refused',
            (locale) => ({ title: t(locale, 'alerts.aibot.title'), lines: [t(locale, 'alerts.aibot.text', { bot: ws.botId, errmsg })] }),
            { bot: ws.botId, errmsg },
          )
          .catch(() => undefined);
      },
      ...(aibotTiming.leaseMs !== undefined ? { leaseMs: aibotTiming.leaseMs } : {}),
      ...(aibotTiming.heartbeatMs !== undefined ? { heartbeatMs: aibotTiming.heartbeatMs } : {}),
      ...(aibotTiming.reconnectMs !== undefined ? { reconnectMs: aibotTiming.reconnectMs } : {}),
    });
    links.ws = connection;
  }
  const webhookLink = config.aibot.webhook ? new WebhookLink(store) : undefined;
  if (webhookLink) links.webhook = webhookLink;
  bot = createBot({
    client,
    store,
    localeDirs: options.extraLocaleDirs ?? [],
    log,
    locale: config.locale,
    timeZone: config.timeZone,
    quietHours: config.quietHours,
    schedules: { times: config.schedules },
    corpId: wecom.corpId,
    admins: config.admins,
    managers: config.managers,
    managersFromLeaders: config.managersFromLeaders,
    ...(config.llm ? { llm: config.llm } : {}),
    ...(links.ws || links.webhook ? { aibot: { links, ...(aibotTiming.safeMs !== undefined ? { safeMs: aibotTiming.safeMs } : {}) } } : {}),
    commands,
    ...options.bot,
    ...(metrics ? { observe: metrics.bot } : {}),
  });
  if (config.mode === 'production' && config.admins.length === 0) {
    log.warn({ event: 'roles.no_admin', message: 'BOT_ADMINS is empty: nobody can run admin commands or give roles; npm run check fails until one is set' });
  }
  const started: Bot = bot;
  const durable = store.kind !== 'memory';
  const worker = new InboxWorker({
    inbox: store.inbox,
    handle:
      options.handle ??
      (async (inbound, delivery) => {
        // WeCom addresses every callback to its corp: work of another corp (a store restored or copied from one) never runs.
        if (inbound.toUserName && inbound.toUserName !== wecom.corpId) {
          log.error({ event: 'inbox.other_corp', key: delivery.key, corp: inbound.toUserName });
          return;
        }
        await started.handle(inbound, delivery);
      }),
    capacity: options.inboxCapacity ?? 1000,
    concurrency: options.concurrency ?? 8,
    dedupTtlMs: DEDUP_TTL_MS,
    durable,
    soleUser: store.kind !== 'redis',
    ...(options.leaseMs !== undefined ? { leaseMs: options.leaseMs } : {}),
    onError: (err, entry) => {
      if (err instanceof PoisonEntryError) {
        log.error({ event: 'inbox.poison', key: entry.key, attempts: entry.attempts });
        void started.alerts
          .report(
            'inbox.poison',
            (locale) => ({ title: t(locale, 'alerts.poison.title'), lines: [t(locale, 'alerts.poison.text', { key: entry.key, attempts: entry.attempts })] }),
            { key: entry.key, attempts: entry.attempts },
          )
          .catch(() => undefined);
      } else log.error({ event: 'job.failed', key: entry.key, err: (err as Error)?.message ?? String(err) });
    },
    onDeferred: (entry, deferral) =>
      log.info({ event: 'inbox.deferred', key: entry.key, until: new Date(deferral.until).toISOString(), reason: deferral.reason }),
    onStoreError: (err) => log.error({ event: 'inbox.store_failed', err: (err as Error)?.message ?? String(err) }),
  });
  // A clock off by minutes refuses every callback as stale while looking healthy: said in /healthz, told to the admins.
  const clock = new ClockWatch(options.now ?? Date.now, (skewSeconds) => {
    log.error({ event: 'clock.skewed', skewSeconds });
    void started.alerts
      .report(
        'clock.skew',
        (locale) => ({ title: t(locale, 'alerts.clock.title'), lines: [t(locale, 'alerts.clock.text', { seconds: Math.abs(skewSeconds) })] }),
        {
          skewSeconds,
        },
      )
      .catch(() => undefined);
  });
  let stopping: Promise<void> | undefined;
  const app = createApp({
    clock,
    secrets: { token: wecom.token, encodingAesKey: wecom.encodingAesKey, receiveId: wecom.corpId },
    store,
    worker,
    log,
    // Faults told to the admins within the hour, so an operator who cannot get messages sees them too.
    faults: () => started.alerts.faults(),
    wecom: () => client.http.troubles(),
    ...(metrics ? { onOutcome: (outcome: CallbackOutcome) => metrics.callback(outcome) } : {}),
    stopping: () => stopping !== undefined,
    ...(options.inboxAgeLimitMs !== undefined ? { inboxAgeLimitMs: options.inboxAgeLimitMs } : {}),
    routers: [
      ...(options.routers ?? []),
      ...(webhookLink && config.aibot.webhook && started.aibot
        ? [
            createAibotWebhookRouter({
              secrets: { token: config.aibot.webhook.token, encodingAesKey: config.aibot.webhook.encodingAesKey, receiveId: '' },
              link: webhookLink,
              channels: started.aibot,
              takeIn: (inbound) => takeInAibot(worker, inbound),
              welcome,
              corpId: wecom.corpId,
              log,
              ...(options.now ? { now: options.now } : {}),
              ...(aibotTiming.clickWaitMs !== undefined ? { clickWaitMs: aibotTiming.clickWaitMs } : {}),
            }),
          ]
        : []),
    ],
    ...(options.now ? { now: options.now } : {}),
  });
  // Before listening: what a crashed process left in the inbox is taken over before any new delivery is leased.
  await started.start();
  await worker.start();
  if (worker.recovered > 0) log.warn({ event: 'inbox.recovered', entries: worker.recovered });
  connection?.start();
  const server = createServer(app.callback());
  server.keepAliveTimeout = 65_000;
  const url = await listen(server, config.port, config.host);
  const served = metrics && config.metrics ? await serveMetrics(metrics, config.metrics.host, config.metrics.port, log) : undefined;
  const stopWatching = watchFaults({ bot: started, worker, inbox: store.inbox, log, wecom: () => client.http.troubles() }, options.watch);

  const stop = (drainMs = 10_000): Promise<void> => {
    stopping ??= (async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const drained = await worker.drain(drainMs);
      if (!drained) {
        log.warn({ event: 'shutdown.drain_timeout', waiting: worker.waiting, active: worker.active });
      }
      stopWatching();
      await started.aibot?.closeAll();
      await connection?.stop();
      await started.stop();
      server.closeAllConnections();
      await closed;
      if (served) await new Promise<void>((resolve) => served.server.close(() => resolve()));
      await client.close();
      await releaseStore(store).catch((err: unknown) => log.warn({ event: 'store.release_failed', err: (err as Error).message }));
      if (!options.store) await store.close();
    })();
    return stopping;
  };
  if (options.checks) void checkAtStart(config, { bot: started, client, store, log });
  return {
    url,
    bot: started,
    server,
    store,
    prepared,
    client,
    worker,
    stop,
    ...(served ? { metricsUrl: served.url } : {}),
  };
}

/** Check outcomes that come from a WeCom fault, which the client reports (and the admins hear of) by itself. */
const FAULT_OUTCOMES: ReadonlySet<string> = new Set(['ip', 'secret', 'corpId', 'notAllowed', 'systemSecret']);

/**
 * The checks of `npm run check` that a running bot can make of itself (its secrets, the app, its range, its admins),
 * once after the start: each logged; each failing one told to the admins, in their language, once an hour at most.
 */
async function checkAtStart(config: Config, deps: { bot: Bot; client: WeComClient; store: Store; log: Logger }): Promise<void> {
  const { bot, log } = deps;
  try {
    for (const result of await runSetupChecks(config, { client: deps.client, store: deps.store, atStart: true })) {
      const line = checkLine('en', result);
      log[result.status === 'fail' ? 'warn' : 'info']({
        event: 'check',
        check: result.id,
        status: result.status,
        line,
        ...(result.errmsg ? { errmsg: result.errmsg } : {}),
      });
      // A WeCom fault (an untrusted IP, a refused secret, a missing permission) was told already, as it happened.
      if (result.status !== 'fail' || FAULT_OUTCOMES.has(result.outcome)) continue;
      await bot.alerts.report(`check.${result.id}`, (locale) => ({ title: t(locale, 'alerts.check.title'), lines: [checkLine(locale, result)] }), {
        check: result.id,
        outcome: result.outcome,
        ...(result.errmsg ? { errmsg: result.errmsg } : {}),
      });
    }
  } catch (err) {
    log.warn({ event: 'check.failed', err: (err as Error).message });
  }
}
