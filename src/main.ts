import { ConfigError, loadConfig, readEnvFile, type Config } from './config.js';
import { createLogger } from './log.js';
import { startRuntime, type Runtime } from './runtime.js';

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
  if (!config.wecom) {
    process.stderr.write('wecom-contact-ops: demo mode needs the embedded simulator, which is not built yet; set WECOM_CORP_ID\n');
    process.exit(1);
  }
  let runtime: Runtime;
  try {
    runtime = await startRuntime(config, { log, wecom: config.wecom });
  } catch (err) {
    process.stderr.write(`wecom-contact-ops: cannot start: ${(err as Error).message}\n`);
    process.exit(1);
  }
  log.info({ event: 'started', mode: config.mode, url: runtime.url, store: runtime.store.kind, callback: `${runtime.url}/wecom/callback` });

  const shutdown = (signal: string) => {
    log.info({ event: 'shutdown', signal });
    runtime
      .stop()
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
