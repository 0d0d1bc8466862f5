import { ConfigError, loadConfig, readEnvFile, type Config } from './config.js';
import { createLogger } from './log.js';
import { startRuntime, type Runtime } from './runtime.js';
import { createSimulator, type Simulator } from './simulator/index.js';

/** The demo corp's people: who to speak as when trying the bot. */
const DEMO_ADMINS = ['zhangsan'];
const DEMO_MANAGERS = ['lisi', 'wangwu'];

/** Process entry: config → runtime (→ simulator in demo mode), with graceful shutdown on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env, readEnvFile('.env'));
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`wecom-contact-ops: configuration error: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  let sim: Simulator | undefined;
  let runtime: Runtime;
  try {
    if (config.wecom) {
      runtime = await startRuntime(config, { log, wecom: config.wecom });
    } else {
      // Demo mode: an embedded WeCom simulator with a seeded corp, on loopback only (it can speak as anyone).
      sim = await createSimulator({ members: 20, customers: 2000, resigned: 1, seed: 1 });
      config = {
        ...config,
        host: '127.0.0.1',
        admins: config.admins.length > 0 ? config.admins : DEMO_ADMINS,
        managers: config.managers.length > 0 ? config.managers : DEMO_MANAGERS,
      };
      runtime = await startRuntime(config, { log, wecom: sim.wecomConfig() });
      sim.botUrl = runtime.url;
      const staff = [...sim.corp.members.values()].filter((m) => m.status === 'active' && ![...config.admins, ...config.managers].includes(m.userid));
      log.info({ event: 'demo', message: 'demo mode: no WECOM_CORP_ID, so the bot talks to an embedded WeCom simulator', simulator: sim.url });
      log.info({
        event: 'demo.people',
        admins: config.admins,
        managers: config.managers,
        staff: staff.slice(0, 5).map((m) => m.userid),
        resigned: [...sim.corp.members.values()].filter((m) => m.status === 'resigned').map((m) => m.userid),
        customers: sim.corp.customers.size,
      });
    }
  } catch (err) {
    process.stderr.write(`wecom-contact-ops: cannot start: ${(err as Error).message}\n`);
    process.exit(1);
  }
  log.info({ event: 'started', mode: config.mode, url: runtime.url, store: runtime.store.kind, callback: `${runtime.url}/wecom/callback` });

  const shutdown = (signal: string) => {
    log.info({ event: 'shutdown', signal });
    runtime
      .stop()
      .then(() => sim?.close())
      .then(() => {
        log.info({ event: 'stopped' });
        process.exit(0);
      })
      .catch((err: unknown) => {
        log.error({ event: 'shutdown.failed', err: (err as Error).message });
        process.exit(1);
      });
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

void main();
