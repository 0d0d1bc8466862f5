/**
 * How the cost of each command grows with the corp: the same commands on the demo corp (20 members, 2,000 customers)
 * and on the big corp (10,000 members, 1,000,000 customers, one member with 20,000, 5,000 waiting after resignations),
 * the simulator in this process at 50 ms a WeCom call, the bot in a child process with its own memory store.
 */
import { createSimulator, type Simulator } from '../src/simulator/index.js';

/** What the scale figures need of the bench: a bot started in a child process, and where figures go. */
export interface ScaleBench {
  startTarget(kind: string, env: Record<string, string>): Promise<{ url: string; stats(): Promise<{ rss: number }>; stop(): Promise<void> }>;
  results: Record<string, number>;
}

/** The simulated latency of every WeCom call. */
const LATENCY_MS = 50;

type Figures = Record<string, number>;

/** Runs the scale commands against one corp and returns its figures (names without the `scale.` prefix). */
async function measure(bench: ScaleBench, sim: Simulator): Promise<Figures> {
  const figures: Figures = {};
  const target = await bench.startTarget('real', { ...sim.botEnv(), BOT_ADMINS: 'wangwu', BOT_MANAGERS: 'lisi', STORE_URL: 'memory://' });
  sim.botUrl = target.url;
  const calls = (prefix: (path: string) => boolean) => sim.requests.filter((r) => prefix(r.path)).length;
  /** Sends a message and waits for the reply `match` accepts: its time (ms) and the WeCom calls made meanwhile. */
  const timed = async (user: string, text: string, match: (content: string) => boolean, counted: (path: string) => boolean, timeoutMs = 120_000) => {
    const seq = sim.captures.lastSeq;
    const before = calls(counted);
    const started = performance.now();
    await sim.sendText(user, text);
    await sim.captures.waitForMessage((m) => m.touser.includes(user) && match(m.content ?? JSON.stringify(m.card ?? {})), timeoutMs, seq);
    return { ms: Math.round(performance.now() - started), calls: calls(counted) - before };
  };
  const customerCalls = (p: string) => p.startsWith('externalcontact/');
  const contactsCalls = (p: string) => p.startsWith('department/') || p.startsWith('user/');
  // The member with the most customers (the big corp's has 20,000), and one of their customers by name.
  const corp = sim.corp;
  const top = corp
    .followUsers()
    .map((m) => m.userid)
    .filter((u) => u !== 'lisi' && u !== 'wangwu')
    .sort((a, b) => corp.customerCount(b) - corp.customerCount(a))[0]!;
  const count = corp.customerCount(top);
  const middle = corp.followPage(top, Math.floor(count / 2), 1)[0]!;
  const customerName = corp.customer(middle.external_userid).name;

  // The directory: read cold from the contacts by the first command that names members (/成员).
  const directory = await timed('lisi', '/成员', (c) => c.includes(top) || c.includes('成员'), contactsCalls);
  figures['directory_refresh.api_calls'] = directory.calls;
  figures['directory_refresh.ms'] = directory.ms;

  // The first page of the top member's customers (warm tokens and tags: the second time).
  await timed('lisi', `/客户 ${top}`, (c) => c.includes(top), customerCalls);
  const page = await timed('lisi', `/客户 ${top}`, (c) => c.includes(top), customerCalls);
  figures['customers_first_page.api_calls'] = page.calls;
  figures['customers_first_page.ms'] = page.ms;

  // One of the top member's customers by name: the first look-up fills the index, the next reads only it.
  const cold = await timed(top, `/客户 ${customerName}`, (c) => c.includes(customerName), customerCalls, 600_000);
  figures['customer_by_name.cold_ms'] = cold.ms;
  figures['customer_by_name.cold_api_calls'] = cold.calls;
  const warm = await timed(top, `/客户 ${customerName}`, (c) => c.includes(customerName), customerCalls);
  figures['customer_by_name.warm_ms'] = warm.ms;
  figures['customer_by_name.warm_api_calls'] = warm.calls;

  // The whole corp's statistics, this month.
  // With the department list and the names of the departments ranked.
  const stats = await timed(
    'lisi',
    '/统计',
    (c) => c.includes('聊天数'),
    (p) => customerCalls(p) || p.startsWith('department/'),
  );
  figures['stats_corp.api_calls'] = stats.calls;
  figures['stats_corp.ms'] = stats.ms;

  // Customers of resigned members waiting for assignment.
  const resigned = await timed('lisi', '/离职', (c) => c.includes('离职成员待分配'), customerCalls);
  figures['resigned.api_calls'] = resigned.calls;
  figures['resigned.ms'] = resigned.ms;

  // Every customer of the top member to another: the card, the confirmation, the batches, the summary.
  const seq = sim.captures.lastSeq;
  await sim.sendText('wangwu', `/转接 全部 --from ${top} --to lisi`);
  const card = await sim.captures.waitForMessage((m) => m.msgtype === 'template_card', 60_000, seq);
  const before = calls((p) => p === 'externalcontact/list' || p === 'externalcontact/transfer_customer');
  const started = performance.now();
  await sim.clickCard('wangwu', card.card!.task_id!, 'confirm');
  await sim.captures.waitForMessage((m) => (m.content ?? '').includes(`成功 ${count} 位`), 600_000, seq);
  figures['transfer_all.ms'] = Math.round(performance.now() - started);
  // With the list the card was made from.
  figures['transfer_all.api_calls'] = calls((p) => p === 'externalcontact/list' || p === 'externalcontact/transfer_customer') - before + 1;
  figures['transfer_all.customers'] = count;

  figures.rss_mb = Math.round(((await target.stats()).rss / 1024 / 1024) * 10) / 10;
  await target.stop();
  return figures;
}

/** The figures `npm run bench` checks the big corp against (issue 30). */
export const SCALE_TARGETS: [string, string, (v: number) => boolean][] = [
  ['scale.customers_first_page_20k.api_calls', '≤ 2', (v) => v <= 2],
  ['scale.customer_by_name_20k.warm_ms', '< 250 ms', (v) => v < 250],
  ['scale.transfer_all_20k.api_calls', '≤ 205', (v) => v <= 205],
  ['scale.stats_corp.ms', '< 3000 ms', (v) => v < 3000],
  ['scale.rss_mb', '< 150 MB', (v) => v < 150],
];

/** Big-corp names of the figures: the member's 20,000 customers and the 5,000 waiting are in them. */
const BIG_NAMES: Record<string, string> = {
  'customers_first_page.api_calls': 'customers_first_page_20k.api_calls',
  'customers_first_page.ms': 'customers_first_page_20k.ms',
  'customer_by_name.cold_ms': 'customer_by_name_20k.cold_ms',
  'customer_by_name.cold_api_calls': 'customer_by_name_20k.cold_api_calls',
  'customer_by_name.warm_ms': 'customer_by_name_20k.warm_ms',
  'customer_by_name.warm_api_calls': 'customer_by_name_20k.warm_api_calls',
  'transfer_all.ms': 'transfer_all_20k.ms',
  'transfer_all.api_calls': 'transfer_all_20k.api_calls',
  'transfer_all.customers': 'transfer_all_20k.customers',
  'resigned.ms': 'resigned_5k.ms',
  'resigned.api_calls': 'resigned_5k.api_calls',
};

/**
 * The scale figures: the demo corp first, then the big one; each big figure also as a ratio to the demo's
 * (`scale.ratio.*`), so the growth is visible.
 */
export async function scaleFigures(bench: ScaleBench): Promise<void> {
  const demo = await createSimulator({ members: 20, customers: 2000, seed: 1, faults: { latencyMs: LATENCY_MS } });
  const small = await measure(bench, demo);
  await demo.close();
  const started = performance.now();
  const sim = await createSimulator({ preset: 'big', seed: 1, faults: { latencyMs: LATENCY_MS } });
  bench.results['scale.simulator_start_ms'] = Math.round(performance.now() - started);
  const big = await measure(bench, sim);
  await sim.close();
  for (const [key, value] of Object.entries(big)) {
    const name = BIG_NAMES[key] ?? key;
    bench.results[`scale.${name}`] = value;
    bench.results[`scale.demo.${key}`] = small[key]!;
    if (small[key]) bench.results[`scale.ratio.${name}`] = Math.round((value / small[key]) * 10) / 10;
  }
  console.log(`scale: demo corp vs big corp at ${LATENCY_MS} ms a WeCom call`);
  for (const key of Object.keys(big)) console.log(`  ${key.padEnd(36)} ${String(small[key]).padStart(8)} → ${String(big[key]).padStart(8)}`);
}
