import { ConfigError, loadConfigFromEnvironment } from '../config.js';
import { t } from '../i18n/index.js';
import { allPassed, runSetupChecks } from './checks.js';
import { checkLine, toolLocale } from './output.js';
import { exitIfNodeTooOld } from './engines.js';

/**
 * `npm run check [-- --lang en]`: the configuration `npm start` would read, checked against WeCom and the store, one
 * line per check (✓, ✗ with what to do, or – when skipped). Exit 0 only when every check passed.
 */
async function main(): Promise<void> {
  exitIfNodeTooOld();
  const argv = process.argv.slice(2);
  let loaded: ReturnType<typeof loadConfigFromEnvironment>;
  try {
    loaded = loadConfigFromEnvironment();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stdout.write(`${t(toolLocale(argv), 'ops.configError', { problem: err.message })}\n`);
    process.exit(1);
  }
  const { config, envFile } = loaded;
  const locale = toolLocale(argv, config);
  process.stdout.write(`${t(locale, 'ops.check.header', { envFile: envFile ?? t(locale, 'ops.check.noEnvFile', { cwd: process.cwd() }) })}\n`);
  const results = await runSetupChecks(config);
  for (const result of results) process.stdout.write(`${checkLine(locale, result)}\n`);
  const failed = results.filter((r) => r.status === 'fail').length;
  const skipped = results.filter((r) => r.status === 'skip').length;
  const summary = allPassed(results)
    ? t(locale, 'ops.check.passed')
    : skipped > 0
      ? t(locale, 'ops.check.failedSkipped', { count: failed, skipped })
      : t(locale, 'ops.check.failed', { count: failed });
  process.stdout.write(`${summary}\n`);
  process.exit(allPassed(results) ? 0 : 1);
}

void main();
