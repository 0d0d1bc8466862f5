import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, DEMO_CORPS, demoStoreUrl, displayStoreUrl, loadConfigFromEnvironment, type Config, type DemoCorp } from './config.js';
import { createLogger, createTerminalLogger, registerSecret } from './log.js';
import type { Demo } from './demo.js';
import { startRuntime, type Runtime } from './runtime.js';
import { exitIfNodeTooOld } from './ops/engines.js';

/**
 * Process entry: config → runtime (→ simulator in demo mode), with graceful shutdown on SIGTERM/SIGINT. `--demo`
 * (`npm run demo`) starts the demo even where `.env` names a corp, on the demo's own store; `--reset` empties that
 * store first.
 */
async function main(): Promise<void> {
  exitIfNodeTooOld();
  // --corp big (or mid): the demo, on the simulator's big corp instead of its 20 members.
  const corpAt = process.argv.findIndex((a) => a === '--corp' || a.startsWith('--corp='));
  const demoAsked = process.argv.includes('--demo') || corpAt >= 0;
  const corpArg = process.argv[corpAt] ?? '';
  const corpAsked = corpAt < 0 ? undefined : corpArg.startsWith('--corp=') ? corpArg.slice('--corp='.length) : process.argv[corpAt + 1];
  if (corpAt >= 0 && !(DEMO_CORPS as readonly string[]).includes(corpAsked ?? '')) {
    process.stderr.write(
      `wecom-contact-ops: --corp takes ${DEMO_CORPS.join(' or ')} (the demo's bigger corps)${corpAsked === undefined ? '' : `, not ${corpAsked}`}\n`,
    );
    process.exit(1);
  }
  const demoCorp = corpAsked as DemoCorp | undefined;
  let config: Config;
  let envFile: string | undefined;
  try {
    // The demo never uses a corp's settings or its store: only a STORE_URL set for this process is kept.
    const env = demoAsked ? { ...process.env, WECOM_CORP_ID: '', STORE_URL: process.env.STORE_URL ?? demoStoreUrl(demoCorp) } : process.env;
    ({ config, envFile } = loadConfigFromEnvironment(env));
  } catch (err) {
    if (err instanceof ConfigError) {
      // Which .env was read tells an operator whose service manager started the bot in another folder.
      const read = err.variable.endsWith('.env') ? '' : ` (.env read: ${existsSync(resolve('.env')) ? resolve('.env') : `none in ${process.cwd()}`})`;
      process.stderr.write(`wecom-contact-ops: configuration error: ${err.message}${read}\n`);
      process.exit(1);
    }
    throw err;
  }
  // A person at a terminal (the demo) reads lines; anything else (a log collector, a pipe) gets JSON.
  const log = process.stdout.isTTY ? await createTerminalLogger(config.logLevel) : createLogger(config.logLevel);
  // The callback's secrets; the WeCom client registers its own (the app secrets and every token it uses).
  registerSecret(log, config.wecom?.token);
  registerSecret(log, config.wecom?.encodingAesKey);
  // The first line says which configuration this is: the .env file read (or none, and where it was looked for).
  log.info({
    event: 'config',
    envFile: envFile ?? null,
    cwd: process.cwd(),
    mode: config.mode,
    store: displayStoreUrl(config.storeUrl),
    nodeEnv: process.env.NODE_ENV ?? null,
  });
  // Listen for signals before anything starts: without a listener Node dies of SIGTERM at once, so a stop sent
  // while starting (or just as "started" is printed) would skip the graceful shutdown. It runs once started.
  let stopSignal: string | undefined;
  let onSignal = (signal: string) => {
    stopSignal ??= signal;
  };
  process.once('SIGTERM', () => onSignal('SIGTERM'));
  process.once('SIGINT', () => onSignal('SIGINT'));
  let demo: Demo | undefined;
  let runtime: Runtime;
  try {
    if (config.wecom) {
      runtime = await startRuntime(config, { log, wecom: config.wecom, checks: true });
    } else {
      // The simulator and the playground are loaded only in demo mode; a production process never carries them.
      const { resetDemoStore, startDemo } = await import('./demo.js');
      if (process.argv.includes('--reset')) {
        await resetDemoStore(config);
        log.info({ event: 'demo.reset', store: displayStoreUrl(config.storeUrl) });
      }
      demo = await startDemo(config, log, demoCorp ? { corp: demoCorp } : {});
      runtime = demo.runtime;
      config = demo.config;
      const { sim } = demo;
      const people = [...sim.corp.members.values()];
      log.info({ event: 'demo', message: 'demo mode: no WECOM_CORP_ID, so the bot talks to an embedded WeCom simulator', playground: demo.playgroundUrl });
      log.info({
        event: 'demo.people',
        admins: config.admins,
        managers: config.managers,
        staff: people
          .filter((m) => m.status === 'active' && ![...config.admins, ...config.managers].includes(m.userid))
          .slice(0, 5)
          .map((m) => m.userid),
        resigned: people
          .filter((m) => m.status === 'resigned')
          .slice(0, 5)
          .map((m) => m.userid),
        customers: sim.corp.customerTotal(),
      });
    }
  } catch (err) {
    process.stderr.write(`wecom-contact-ops: cannot start: ${(err as Error).message}\n`);
    process.exit(1);
  }
  log.info({
    event: 'started',
    mode: config.mode,
    url: runtime.url,
    store: runtime.store.kind,
    callback: `${runtime.url}/wecom/callback`,
    ...(demo ? { playground: demo.playgroundUrl } : {}),
    ...(runtime.metricsUrl ? { metrics: runtime.metricsUrl } : {}),
  });

  const shutdown = (signal: string) => {
    log.info({ event: 'shutdown', signal });
    (demo ? demo.stop() : runtime.stop())
      .then(() => {
        log.info({ event: 'stopped' });
        process.exit(0);
      })
      .catch((err: unknown) => {
        log.error({ event: 'shutdown.failed', err: (err as Error).message });
        process.exit(1);
      });
  };
  onSignal = shutdown;
  if (stopSignal) shutdown(stopSignal);
}

void main();
