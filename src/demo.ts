import { randomBytes } from 'node:crypto';
import { displayStoreUrl, PRODUCTION_STORE_URL, type Config, type DemoCorp } from './config.js';
import { createStore } from './store/index.js';
import type { Logger } from './log.js';
import { createPlaygroundRouter } from './playground/router.js';
import { startRuntime, type Runtime } from './runtime.js';
import { createSimulator, type Simulator } from './simulator/index.js';
import { AibotWsServer } from './simulator/aibot/index.js';

/** The demo corp's people: who to speak as when trying the bot. */
export const DEMO_ADMINS = ['zhangsan'];
export const DEMO_MANAGERS = ['lisi', 'wangwu'];

/** The demo's 智能机器人 (its BotID; the secret is drawn afresh at each start). */
export const DEMO_AIBOT_ID = 'aib-demo';

/** The demo's group chat with the 智能机器人 in it: where the playground speaks as any of its members. */
export const DEMO_GROUP = {
  id: 'wr-demo-team',
  name: '销售一组',
  members: ['zhangsan', 'lisi', 'wangwu', 'zhaoliu', 'sunqi', 'wujiu'],
} as const;

/** A running demo: the embedded simulator and the bot wired to it. */
export interface Demo {
  sim: Simulator;
  runtime: Runtime;
  /** The simulated WeCom side of the 智能机器人 (its long connection), which the bot is connected to. */
  aibot: AibotWsServer;
  config: Config;
  playgroundUrl: string;
  stop(): Promise<void>;
}

/**
 * Starts WeCom in a box: a seeded simulator corp (20 members, 2,000 customers, a resigned member, tags, group chats,
 * 180 days of statistics; or a bigger one, see {@link DemoCorp}), the bot pointed at it over real HTTP and real crypto,
 * and the playground. Loopback only: the playground can speak as any member.
 */
export async function startDemo(base: Config, log: Logger, options: { churnEveryMs?: number; corp?: DemoCorp } = {}): Promise<Demo> {
  const sim = await createSimulator(options.corp ? { preset: options.corp, seed: 1 } : { members: 20, customers: 2000, resigned: 1, seed: 1 });
  // The 智能机器人's long connection goes to the simulator too, on a port of its own (loopback), on the corp's clock.
  const secret = randomBytes(24).toString('base64url');
  const aibot = new AibotWsServer({ bots: [{ botId: DEMO_AIBOT_ID, secret }], clock: sim.clock, host: '127.0.0.1' });
  let wsUrl: string;
  try {
    wsUrl = await aibot.start();
  } catch (err) {
    await sim.close();
    throw err;
  }
  const config: Config = {
    ...base,
    host: '127.0.0.1',
    admins: base.admins.length > 0 ? base.admins : DEMO_ADMINS,
    managers: base.managers.length > 0 ? base.managers : DEMO_MANAGERS,
    aibot: { ws: { botId: DEMO_AIBOT_ID, secret, wsUrl } },
  };
  let started: Runtime | undefined;
  const roleOf = async (userid: string) => {
    if (!started) return 'staff' as const;
    await started.bot.roles.refresh();
    return started.bot.roles.of(userid);
  };
  // What the bot does on its own (digests, quiet hours) reads the corp's clock: the playground can move it to a Monday.
  let runtime: Runtime;
  try {
    runtime = await startRuntime(config, {
      log,
      wecom: sim.wecomConfig(),
      routers: [createPlaygroundRouter({ sim, roleOf, aibot: { ws: aibot, group: DEMO_GROUP } })],
      bot: { clock: () => sim.clock.now() },
    });
  } catch (err) {
    await aibot.stop();
    await sim.close();
    throw err;
  }
  started = runtime;
  sim.botUrl = runtime.url;
  // A jump of the corp's clock is seen at once: what fell due (a digest, an alert held in quiet hours) goes now.
  sim.clock.onAdvance(() => {
    void runtime.bot.scheduler.tickNow().then(() => runtime.bot.notices.sweepNow());
  });
  await seeLeaverBeforeLeaving(sim, runtime);
  const churn = startChurn(sim, options.churnEveryMs ?? CHURN_EVERY_MS, log);
  return {
    sim,
    runtime,
    aibot,
    config,
    playgroundUrl: `${runtime.url}/playground`,
    async stop() {
      clearInterval(churn);
      await runtime.stop();
      await aibot.stop();
      await sim.close();
    },
  };
}

/** How often, in the demo, a customer deletes a member (what the bot then tells the member). */
const CHURN_EVERY_MS = 15 * 60_000;

/**
 * Now and then a customer of the demo corp deletes a member, as customers do: each time the next member in service
 * who has customers, so the alerts reach different people.
 */
function startChurn(sim: Simulator, everyMs: number, log: Logger): NodeJS.Timeout {
  let turn = 0;
  const timer = setInterval(() => {
    const members = [...sim.corp.members.values()].filter((m) => m.status === 'active' && sim.corp.customerCount(m.userid) > 0);
    const member = members[turn++ % Math.max(1, members.length)];
    if (!member) return;
    sim.customerDeletesMember(member.userid).catch((err: unknown) => log.warn({ event: 'demo.churn_failed', err }));
  }, everyMs);
  timer.unref();
  return timer;
}

/** The demo's colleague who left (resigned with customers waiting). */
const LEAVER = 'zhouba';

/**
 * The demo's timeline: the bot was installed while 周八 still worked here, read the contacts, and he left later. So the
 * bot knows him by name (`/转接 全部 --from 周八 …`), as it would know anyone who leaves after it is installed. A
 * demo store that already holds the directory keeps what it read then.
 */
async function seeLeaverBeforeLeaving(sim: Simulator, runtime: Runtime): Promise<void> {
  const leaver = sim.corp.members.get(LEAVER);
  if (leaver?.status !== 'resigned') return;
  leaver.status = 'active';
  try {
    await runtime.bot.members.entries();
  } finally {
    leaver.status = 'resigned';
  }
}

/**
 * Whether a store is plainly a demo's, so that a reset can never empty a real one by a mistyped STORE_URL: the demo's
 * default file or any SQLite file with "demo" in its name, memory://, or a Redis store under a prefix with "demo" in it.
 */
function isDemoStore(config: Config): boolean {
  const { storeUrl, storePrefix } = config;
  if (storeUrl === PRODUCTION_STORE_URL) return false;
  if (storeUrl === 'memory://') return true;
  if (storeUrl.startsWith('sqlite://')) return /demo[^/]*$/i.test(storeUrl);
  return /demo/i.test(storePrefix);
}

/**
 * Empties the demo's store (`npm run demo -- --reset`), so the demo corp starts afresh: no transfers "in progress",
 * no roles given, no open questions. Refuses the production default, and any store of a configuration with a corp.
 * @throws Error naming the store when it is not a demo's.
 */
export async function resetDemoStore(config: Config): Promise<void> {
  if (config.wecom || !isDemoStore(config)) {
    throw new Error(
      `refusing to reset ${displayStoreUrl(config.storeUrl)}: it is not the demo's store (a SQLite file named like demo, memory://, or a Redis prefix with "demo" in it)`,
    );
  }
  const store = await createStore(config.storeUrl, { prefix: config.storePrefix });
  try {
    await store.admin.wipe();
  } finally {
    await store.close();
  }
}
