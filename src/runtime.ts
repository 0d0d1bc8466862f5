import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Router from '@koa/router';
import { DEDUP_TTL_MS } from './callback/dedup.js';
import { InboxWorker, PoisonEntryError, type DeliveryHandler } from './callback/worker.js';
import { displayStoreUrl, type Config, type WeComConfig } from './config.js';
import { createBot, loadCommands, type Bot, type BotDeps, type CommandDefinition } from './bot/index.js';
import type { Logger } from './log.js';
import { createApp } from './server.js';
import { createStore, prepareStore, releaseStore, type PreparedStore, type Store } from './store/index.js';
import { createWeComClient, tokenCacheKey, type CallReport, type WeComClient } from './wecom/index.js';

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
  onCall?: (report: CallReport) => void;
  /** Commands besides those in `commands/` (tests declare their own). */
  extraCommands?: CommandDefinition[];
  /** Bot tuning: pacing, the "处理中…" delay, the proposal TTL, event handlers. */
  bot?: Pick<BotDeps, 'pacing' | 'progressAfterMs' | 'proposalTtlMs'>;
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
  if (prepared.tookOverFrom) log.warn({ event: 'store.taken_over', from: prepared.tookOverFrom });
  const client = createWeComClient({
    corpId: wecom.corpId,
    agentId: wecom.agentId,
    agentSecret: wecom.agentSecret,
    contactSecret: wecom.contactSecret,
    apiBase: wecom.apiBase,
    store,
    log,
    onCall: options.onCall,
  });
  const commands = [...(await loadCommands()), ...(options.extraCommands ?? [])];
  const bot = createBot({
    client,
    store,
    log,
    locale: config.locale,
    timeZone: config.timeZone,
    corpId: wecom.corpId,
    admins: config.admins,
    managers: config.managers,
    managersFromLeaders: config.managersFromLeaders,
    commands,
    ...options.bot,
  });
  if (config.mode === 'production' && config.admins.length === 0) {
    log.warn({ event: 'roles.no_admin', message: 'BOT_ADMINS is empty: nobody can run admin commands or give roles; npm run check fails until one is set' });
  }
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
        await bot.handle(inbound, delivery);
      }),
    capacity: options.inboxCapacity ?? 1000,
    concurrency: options.concurrency ?? 8,
    dedupTtlMs: DEDUP_TTL_MS,
    durable,
    soleUser: store.kind !== 'redis',
    ...(options.leaseMs !== undefined ? { leaseMs: options.leaseMs } : {}),
    onError: (err, entry) => {
      if (err instanceof PoisonEntryError) log.error({ event: 'inbox.poison', key: entry.key, attempts: entry.attempts });
      else log.error({ event: 'job.failed', key: entry.key, err: (err as Error)?.message ?? String(err) });
    },
    onStoreError: (err) => log.error({ event: 'inbox.store_failed', err: (err as Error)?.message ?? String(err) }),
  });
  const app = createApp({
    secrets: { token: wecom.token, encodingAesKey: wecom.encodingAesKey, receiveId: wecom.corpId },
    store,
    worker,
    log,
    health: () => ({ mode: config.mode }),
    routers: options.routers,
    ...(options.now ? { now: options.now } : {}),
  });
  // Before listening: what a crashed process left in the inbox is taken over before any new delivery is leased.
  await bot.start();
  await worker.start();
  if (worker.recovered > 0) log.warn({ event: 'inbox.recovered', entries: worker.recovered });
  const server = createServer(app.callback());
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${address.port}`;

  let stopping: Promise<void> | undefined;
  const stop = (drainMs = 10_000): Promise<void> => {
    stopping ??= (async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const drained = await worker.drain(drainMs);
      if (!drained) {
        log.warn({ event: 'shutdown.drain_timeout', waiting: worker.waiting, active: worker.active });
      }
      await bot.stop();
      server.closeAllConnections();
      await closed;
      await client.close();
      await releaseStore(store).catch((err: unknown) => log.warn({ event: 'store.release_failed', err: (err as Error).message }));
      if (!options.store) await store.close();
    })();
    return stopping;
  };
  return { url, bot, server, store, prepared, client, worker, stop };
}
