/**
 * npm run bench: figures for speed and reliability, printed as a table and written to bench/results.json.
 * Servers run in child processes (bench/target.ts); this process is the load generator (autocannon) and hosts the
 * WeCom simulator for the end-to-end figures.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { sealEnvelope } from '../src/callback/crypto.js';
import { buildWeComXml } from '../src/callback/xml.js';
import { createSimulator, type Simulator } from '../src/simulator/index.js';
import { AuditLog } from '../src/bot/audit.js';
import { createStore } from '../src/store/index.js';
import { startCommand } from '../test/helpers/process.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const quick = process.argv.includes('--quick');
const DURATION = quick ? 2 : 5;
const results: Record<string, number> = {};

const SECRETS = {
  WECOM_CORP_ID: 'wwbench000000000001',
  WECOM_AGENT_ID: '1000002',
  WECOM_AGENT_SECRET: 'bench-agent-secret',
  WECOM_TOKEN: 'benchtoken',
  WECOM_ENCODING_AES_KEY: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  WECOM_API_BASE: 'http://127.0.0.1:9',
};
const secrets = { token: SECRETS.WECOM_TOKEN, encodingAesKey: SECRETS.WECOM_ENCODING_AES_KEY, receiveId: SECRETS.WECOM_CORP_ID };

interface Target {
  url: string;
  child: ChildProcess;
  stats(): Promise<{ rss: number; handled: number; memory: NodeJS.MemoryUsage }>;
  stop(): Promise<void>;
}

/**
 * On two cores or more, the measured server runs on core 1 and this process (the load generator, the simulator)
 * on core 0: otherwise the scheduler sometimes puts both on one core, and a figure halves from one run to the next.
 */
const PINNED = availableParallelism() >= 2 && spawnSync('taskset', ['-p', '-c', '0', String(process.pid)]).status === 0;

/**
 * The node flags `npm start` uses (package.json), so every figure is taken on the process a deployment runs;
 * BENCH_NODE_FLAGS replaces them to compare.
 */
function startFlags(): string[] {
  if (process.env.BENCH_NODE_FLAGS !== undefined) return process.env.BENCH_NODE_FLAGS.split(' ').filter(Boolean);
  return startCommand().args.filter((a) => a.startsWith('--'));
}

/**
 * target.ts as plain JavaScript beside it (gitignored): its types are stripped here, once, so the measured process
 * loads neither a TypeScript loader nor Node's own type stripper, just like `npm start`.
 */
function targetScript(): string {
  const file = `${here}target.generated.mjs`;
  writeFileSync(file, stripTypeScriptTypes(readFileSync(`${here}target.ts`, 'utf8')));
  return file;
}

async function startTarget(kind: string, env: Record<string, string> = {}): Promise<Target> {
  const command = [process.execPath, ...startFlags(), targetScript(), kind];
  const child = spawn(PINNED ? 'taskset' : command[0]!, PINNED ? ['-c', '1', ...command] : command.slice(1), {
    env: { ...process.env, ...SECRETS, ...env },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{"url"'));
      if (line) resolve((JSON.parse(line) as { url: string }).url);
    });
    child.on('exit', (code) => reject(new Error(`${kind} target exited ${code}`)));
  });
  return {
    url,
    child,
    stats: () =>
      new Promise((resolve) => {
        child.once('message', (m) => resolve(m as { rss: number; handled: number; memory: NodeJS.MemoryUsage }));
        child.send({ type: 'stats' });
      }),
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Pre-sealed callbacks with distinct MsgIds (sealing is not what is measured). */
function envelopes(count: number): { path: string; body: string }[] {
  const base = BigInt(Date.now()) * 1_000_000n;
  return Array.from({ length: count }, (_, i) => {
    const inner = buildWeComXml({
      ToUserName: secrets.receiveId,
      FromUserName: `user${i % 50}`,
      CreateTime: Math.floor(Date.now() / 1000),
      MsgType: 'text',
      Content: '/帮助',
      MsgId: (base + BigInt(i)).toString(),
      AgentID: 1000002,
    });
    const sealed = sealEnvelope(secrets, inner);
    const query = new URLSearchParams({ msg_signature: sealed.signature, timestamp: sealed.timestamp, nonce: sealed.nonce });
    return {
      path: `/wecom/callback?${query.toString()}`,
      body: buildWeComXml({ ToUserName: secrets.receiveId, Encrypt: sealed.encrypt, AgentID: 1000002 }),
    };
  });
}

async function load(url: string, opts: { duration?: number; amount?: number; rate?: number; connections?: number; pool: { path: string; body: string }[] }) {
  let i = 0;
  const result = await autocannon({
    url,
    connections: opts.connections ?? 50,
    pipelining: 1,
    ...(opts.amount ? { amount: opts.amount } : { duration: opts.duration ?? DURATION }),
    ...(opts.rate ? { overallRate: opts.rate } : {}),
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          const e = opts.pool[i++ % opts.pool.length]!;
          return { ...req, path: e.path, body: e.body, headers: { 'content-type': 'text/xml' } };
        },
      },
    ],
  });
  const codes = (result as unknown as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {};
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    codes: Object.fromEntries(Object.entries(codes).map(([k, v]) => [k, v.count])),
  };
}

/** Posts the envelopes of issue 12 (backtracking bait, a deep nest) with a forged signature until stopped. */
function hostileFlood(url: string): { stop(): Promise<number> } {
  const bodies = [`<xml>${'<a><![CDATA[x]]></a>'.repeat(28)}</xm>`, `<xml>${'<a>'.repeat(8000)}${'</a>'.repeat(8000)}<Encrypt>QUJD</Encrypt></xml>`];
  let stopping = false;
  let sent = 0;
  const workers = Array.from({ length: 4 }, async (_, w) => {
    while (!stopping) {
      const q = new URLSearchParams({ msg_signature: 'f'.repeat(40), timestamp: String(Math.floor(Date.now() / 1000)), nonce: '1' });
      await fetch(`${url}/wecom/callback?${q.toString()}`, { method: 'POST', body: bodies[(sent + w) % 2] }).then((r) => r.arrayBuffer(), () => undefined);
      sent += 1;
      await new Promise((r) => setTimeout(r, 5));
    }
  });
  return {
    async stop() {
      stopping = true;
      await Promise.all(workers);
      return sent;
    },
  };
}

async function callbackFigures(): Promise<void> {
  const pool = envelopes(quick ? 20_000 : 60_000);
  for (const kind of ['bare', 'floor', 'bot'] as const) {
    const target = await startTarget(kind);
    await load(target.url, { duration: 1, pool }); // warm-up
    const r = await load(target.url, { pool });
    const key = kind === 'bare' ? 'callback.bare_koa_rps' : kind === 'floor' ? 'callback.crypto_floor_rps' : 'callback.bot_rps';
    results[key] = Math.round(r.rps);
    // The same fixed 1,000 req/s against every target: what the bare app shows is the harness's own floor.
    const paced = await load(target.url, { rate: 1000, duration: DURATION, connections: 20, pool: envelopes(DURATION * 1000 + 500) });
    if (kind === 'bot') {
      // The same paced load while forged, unsigned bodies arrive beside it (a flood from anyone on the internet).
      const flood = hostileFlood(target.url);
      const attacked = await load(target.url, { rate: 1000, duration: DURATION, connections: 20, pool: envelopes(DURATION * 1000 + 500) });
      results['callback.p99_ms_at_1000rps_hostile'] = attacked.p99;
      results['callback.hostile_bodies_sent'] = await flood.stop();
      results['callback.p50_ms'] = r.p50;
      results['callback.p99_ms'] = r.p99;
      results['callback.p99_ms_at_1000rps'] = paced.p99;
    } else {
      results[`callback.${kind === 'bare' ? 'bare_koa' : 'crypto_floor'}_p99_ms_at_1000rps`] = paced.p99;
    }
    await target.stop();
  }
  results['callback.ratio_vs_floor'] = Math.round((results['callback.bot_rps']! / results['callback.crypto_floor_rps']!) * 100) / 100;
  results['callback.ratio_vs_bare'] = Math.round((results['callback.bot_rps']! / results['callback.bare_koa_rps']!) * 100) / 100;
}

async function memoryFigures(): Promise<void> {
  const target = await startTarget('bot');
  const total = quick ? 20_000 : 100_000;
  const step = total / 5;
  const series: number[] = [];
  for (let done = 0; done < total; done += step) {
    await load(target.url, { amount: step, connections: 50, pool: envelopes(step) });
    series.push(Math.round((await target.stats()).rss / 1048576));
  }
  results['memory.rss_mb_after_100k'] = series[series.length - 1]!;
  results['memory.rss_mb_growth_after_warmup'] = series[series.length - 1]! - series[1]!;
  console.log(`memory: RSS (MB) after each ${step} callbacks: ${series.join(', ')}`);
  target.child.send({ type: 'gc' }); // with BENCH_NODE_FLAGS=--expose-gc: what is live, not what waits for collection
  const last = (await target.stats()).memory;
  console.log(`memory: at the end, heap ${Math.round(last.heapUsed / 1048576)} of ${Math.round(last.heapTotal / 1048576)} MB, external ${Math.round(last.external / 1048576)} MB`);
  await target.stop();
}

async function backpressureFigures(): Promise<void> {
  const target = await startTarget('slow'); // 8 handlers × 20 ms = 400 handled/s, queue of 1000
  const burst = 8000; // 10× the handling rate for ~2 s, as fast as it goes
  const r = await load(target.url, { amount: burst, connections: 100, pool: envelopes(burst) });
  const accepted = r.codes['200'] ?? 0;
  const refused = r.codes['503'] ?? 0;
  let handled = 0;
  for (let waited = 0; waited < 60_000; waited += 250) {
    handled = (await target.stats()).handled;
    if (handled >= accepted) break;
    await new Promise((res) => setTimeout(res, 250));
  }
  results['backpressure.sent'] = burst;
  results['backpressure.accepted'] = accepted;
  results['backpressure.refused_503'] = refused;
  results['backpressure.lost'] = accepted - handled;
  await target.stop();
}

async function e2eFigures(): Promise<void> {
  const sim: Simulator = await createSimulator({ members: 20, customers: 2000, seed: 1, faults: { latencyMs: 50 } });
  const target = await startTarget('real', {
    ...sim.botEnv(),
    BOT_ADMINS: 'zhangsan',
    BOT_MANAGERS: 'lisi',
    STORE_URL: 'memory://',
  });
  sim.botUrl = target.url;
  sim.corp.addMember({ userid: 'bigsales', name: '大客户经理', department: [1], status: 'active' });
  sim.corp.addCustomersTo('bigsales', 2000 - sim.corp.customersOf('bigsales').length);
  sim.corp.addMember({ userid: 'handover', name: '交接人', department: [1], status: 'active' });
  sim.corp.addCustomersTo('handover', 2300);
  const reply = async (user: string, text: string, match: (content: string) => boolean) => {
    const seq = sim.captures.lastSeq;
    const started = performance.now();
    await sim.sendText(user, text);
    await sim.captures.waitForMessage((m) => m.touser.includes(user) && match(m.content ?? JSON.stringify(m.card ?? {})), 30_000, seq);
    return performance.now() - started;
  };
  await reply('lisi', '/客户 bigsales', (c) => c.includes('bigsales')); // warms tokens and the tag cache
  const timings: number[] = [];
  let calls = 0;
  for (let i = 0; i < (quick ? 5 : 20); i++) {
    const before = sim.requests.filter((r) => r.path.startsWith('externalcontact/')).length;
    timings.push(await reply('lisi', '/客户 bigsales', (c) => c.includes('bigsales')));
    calls = sim.requests.filter((r) => r.path.startsWith('externalcontact/')).length - before;
  }
  timings.sort((a, b) => a - b);
  results['e2e.customers_first_page.p50_ms'] = Math.round(timings[Math.floor(timings.length / 2)]!);
  results['e2e.customers_first_page.api_calls'] = calls;

  const seq = sim.captures.lastSeq;
  await sim.sendText('zhangsan', '/转接 全部 --from handover --to lisi');
  const card = await sim.captures.waitForMessage((m) => m.msgtype === 'template_card', 30_000, seq);
  const listCalls = sim.calls('externalcontact/list').filter((c) => c.query.userid === 'handover').length;
  const transferBefore = sim.calls('externalcontact/transfer_customer').length;
  const started = performance.now();
  await sim.clickCard('zhangsan', card.card!.task_id!, 'confirm');
  await sim.captures.waitForMessage((m) => (m.content ?? '').includes('成功 2300 位'), 60_000, seq);
  results['e2e.transfer_all_2300.ms'] = Math.round(performance.now() - started);
  results['e2e.transfer_all_2300.api_calls'] = listCalls + sim.calls('externalcontact/transfer_customer').length - transferBefore;
  await target.stop();
  await sim.close();
}

/** `/审计` over a long log: the newest 20 entries (all, and of one member) out of 100,000, on the SQLite store. */
async function auditFigures(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'wco-audit-'));
  const store = await createStore(`sqlite://${join(dir, 'audit.sqlite')}`);
  const start = Date.now() - 100_000 * 1000;
  let at = start;
  const audit = new AuditLog(store, () => (at += 1000));
  const total = quick ? 20_000 : 100_000;
  for (let i = 0; i < total; i++) {
    await audit.append({ userid: `user${i % 50}`, command: 'customers', args: { member: `user${i % 50}` }, decision: 'executed', durationMs: 12 });
  }
  const time = async (run: () => Promise<unknown>) => {
    const samples: number[] = [];
    for (let i = 0; i < 21; i++) {
      const t0 = performance.now();
      await run();
      samples.push(performance.now() - t0);
    }
    return samples.sort((a, b) => a - b)[10]!;
  };
  const all = await time(() => audit.recent({ limit: 20 }));
  const ofOne = await time(() => audit.recent({ user: 'user7', limit: 20 }));
  results['audit.recent_ms_at_100k'] = Math.round(Math.max(all, ofOne) * 100) / 100;
  console.log(`audit: newest 20 of ${total}: ${all.toFixed(2)} ms; of one member: ${ofOne.toFixed(2)} ms`);
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}

/** Time from spawning `npm start` (demo mode, compiled) to its first 200 from /healthz; the median of 5 starts. */
async function startupFigures(): Promise<void> {
  const root = join(here, '..');
  const timings: number[] = [];
  for (let run = 0; run < 5; run++) {
    const dir = mkdtempSync(join(tmpdir(), 'wco-start-'));
    const started = performance.now();
    const child = spawn('npm', ['start', '--silent'], {
      cwd: root,
      detached: true, // its own process group: npm and the node it starts stop together
      env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', STORE_URL: `sqlite://${join(dir, 'bot.sqlite')}` },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const line = out.split('\n').find((l) => l.includes('"event":"started"'));
        if (line) resolve((JSON.parse(line) as { url: string }).url);
      });
      child.on('exit', (code) => reject(new Error(`npm start exited ${code}: ${out}`)));
    });
    for (;;) {
      const ok = await fetch(`${url}/healthz`).then((r) => r.status === 200, () => false);
      if (ok) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    timings.push(performance.now() - started);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(-child.pid!, 'SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
  timings.sort((a, b) => a - b);
  results['startup.ms_to_healthy'] = Math.round(timings[2]!);
  console.log(`startup: npm start → /healthz 200 (ms): ${timings.map(Math.round).join(', ')}`);
}

const TARGETS: [string, string, (v: number) => boolean][] = [
  ['callback.p99_ms_at_1000rps', '< 20 ms', (v) => v < 20],
  ['callback.p99_ms_at_1000rps_hostile', '< 20 ms', (v) => v < 20],
  ['e2e.customers_first_page.api_calls', '= 2', (v) => v === 2],
  ['e2e.customers_first_page.p50_ms', '< 200 ms', (v) => v < 200],
  ['e2e.transfer_all_2300.api_calls', '= 24 (1 list + 23 transfers)', (v) => v === 24],
  ['e2e.transfer_all_2300.ms', '< 3000 ms', (v) => v < 3000],
  ['memory.rss_mb_after_100k', '< 100 MB', (v) => v < 100],
  ['startup.ms_to_healthy', '< 1000 ms', (v) => v < 1000],
  ['audit.recent_ms_at_100k', '< 200 ms', (v) => v < 200],
  ['callback.ratio_vs_floor', '≥ 0.8', (v) => v >= 0.8],
  ['backpressure.lost', '= 0', (v) => v === 0],
];

// --only=startup,memory runs some groups (a quick look at one figure); results.json then holds just those.
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
const groups: [string, () => Promise<void>][] = [
  ['startup', startupFigures],
  ['audit', auditFigures],
  ['callback', callbackFigures],
  ['e2e', e2eFigures],
  ['memory', memoryFigures],
  ['backpressure', backpressureFigures],
];
for (const [name, run] of groups) if (!only || only.includes(name)) await run();
writeFileSync(`${here}results.json`, `${JSON.stringify(results, null, 2)}\n`);
console.log('\nfigure                                   value      target');
for (const [key, value] of Object.entries(results)) {
  const target = TARGETS.find(([k]) => k === key);
  const verdict = target ? `${target[1]} ${target[2](value) ? 'met' : 'NOT met'}` : '';
  console.log(`${key.padEnd(40)} ${String(value).padStart(9)}  ${verdict}`);
}
console.log(`\nwritten to bench/results.json${quick ? ' (quick run: shorter and smaller)' : ''}${PINNED ? '; servers on core 1, load on core 0' : ''}`);
process.exit(0);
