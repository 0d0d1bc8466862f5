import { loadConfig, type Config } from '../../src/config.js';
import type { Inbound } from '../../src/callback/inbound.js';
import { silentLogger } from '../../src/log.js';
import { startRuntime, type Runtime, type RuntimeOptions } from '../../src/runtime.js';
import type { Store } from '../../src/store/index.js';
import type { Simulator } from '../../src/simulator/index.js';
import { StoreRefused } from '../../src/store/index.js';
import { expect } from 'chai';
import { OFFICIAL } from './vectors.js';

/** A production-mode environment on a free loopback port, with the official vector's secrets. */
export const TEST_ENV: Readonly<Record<string, string>> = {
  WECOM_CORP_ID: OFFICIAL.corpId,
  WECOM_AGENT_ID: '1000002',
  WECOM_AGENT_SECRET: 'agent-secret',
  WECOM_TOKEN: OFFICIAL.token,
  WECOM_ENCODING_AES_KEY: OFFICIAL.encodingAesKey,
  WECOM_API_BASE: 'http://127.0.0.1:9',
  PORT: '0',
  HOST: '127.0.0.1',
  STORE_URL: 'memory://',
};

/** The config of {@link TEST_ENV}, with `env` on top. */
export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ ...TEST_ENV, ...env });
}

/** A running callback layer whose handler only records what it was given. */
export interface RecordingRuntime extends Runtime {
  handled: Inbound[];
}

/** Starts the bot's HTTP side with a recording handler (no WeCom calls). */
export async function startRecording(
  opts: { store?: Store; env?: Record<string, string>; handlerDelayMs?: number } & Partial<RuntimeOptions> = {},
): Promise<RecordingRuntime> {
  const config = testConfig(opts.env);
  const handled: Inbound[] = [];
  const runtime = await startRuntime(config, {
    log: silentLogger,
    wecom: config.wecom!,
    ...opts,
    handle: async (inbound) => {
      if (opts.handlerDelayMs) await new Promise((r) => setTimeout(r, opts.handlerDelayMs));
      handled.push(inbound);
    },
  });
  return Object.assign(runtime, { handled });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `check` holds (the bot runs in another process or in the background). */
export async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/** A bot in production mode against `sim`, on `storeUrl`, zhangsan its admin. */
export async function startCorpBot(sim: Simulator, storeUrl: string, env: Record<string, string> = {}): Promise<Runtime> {
  const config = loadConfig({ ...sim.botEnv(), PORT: '0', HOST: '127.0.0.1', STORE_URL: storeUrl, BOT_ADMINS: 'zhangsan', ...env });
  const bot = await startRuntime(config, { log: silentLogger, wecom: config.wecom! });
  sim.botUrl = bot.url;
  return bot;
}

/** What a refused start says. */
export async function refusal(start: Promise<unknown>): Promise<string> {
  try {
    const started = (await start) as Runtime;
    await started.stop();
  } catch (err) {
    expect(err).to.be.instanceOf(StoreRefused);
    return (err as Error).message;
  }
  return 'started';
}
