/**
 * An open-loop load at an even pace: request i is due at start + i / rate, whatever happened to the ones before,
 * and its latency counts from when it was due (so a stalled server cannot hide its stall by slowing the sender).
 *
 * autocannon's rate mode is not this: each connection sends its whole second's quota back to back, then waits for
 * the next second, so "1,000 req/s over 20 connections" is 20 bursts of 50 a second, and what it reports as p99 is
 * the queue of a burst (a plain node:http server that does nothing shows 15–30 ms that way on this machine).
 *
 * Run as a script (`pacedInChild`), the sender is a process of its own with a small heap: the load generator's
 * pools of sealed callbacks and their garbage collections stay out of the latency it reports.
 */
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { envelopes } from './envelopes.js';

export interface PacedResult {
  sent: number;
  p50: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  /** How late the sender itself got a request out (its own pauses); large values mean the figure is the harness's. */
  sendLagMax: number;
}

/** The value at fraction `p` of sorted values (0 when there are none). */
export function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

/** POSTs `pool` entries (path and body, in turn) to `url` at `rate` per second for `seconds`. */
export async function pacedLoad(url: string, opts: { rate: number; seconds: number; pool: { path: string; body: string }[] }): Promise<PacedResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const target = new URL(url);
  const total = opts.rate * opts.seconds;
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  let sent = 0;
  let sendLagMax = 0;
  const inFlight = new Set<Promise<void>>();
  const start = performance.now();

  const fire = (i: number, due: number): void => {
    const entry = opts.pool[i % opts.pool.length]!;
    const done = new Promise<void>((resolve) => {
      const req = request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          method: 'POST',
          path: entry.path,
          headers: { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(entry.body) },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            latencies.push(performance.now() - due);
            if (res.statusCode! < 200 || res.statusCode! >= 300) non2xx += 1;
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors += 1;
        resolve();
      });
      req.end(entry.body);
    });
    inFlight.add(done);
    void done.then(() => inFlight.delete(done));
  };

  while (sent < total) {
    const now = performance.now();
    // Everything due by now goes out; a late tick sends its backlog at once, timed from when each was due.
    if (sent < total) sendLagMax = Math.max(sendLagMax, now - (start + (sent * 1000) / opts.rate));
    while (sent < total && start + (sent * 1000) / opts.rate <= now) {
      fire(sent, start + (sent * 1000) / opts.rate);
      sent += 1;
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  await Promise.all(inFlight);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const round = (v: number) => Math.round(v * 10) / 10;
  return {
    sent,
    p50: round(percentile(latencies, 0.5)),
    p99: round(percentile(latencies, 0.99)),
    max: round(latencies.at(-1) ?? 0),
    non2xx,
    errors,
    sendLagMax: round(Math.max(0, sendLagMax)),
  };
}

/**
 * Runs {@link pacedLoad} in a fresh child process (pinned to core `pin` when given) with a pool of distinct sealed
 * callbacks it makes before it starts sending, and returns its result.
 */
export async function pacedInChild(url: string, opts: { rate: number; seconds: number; pin?: string }): Promise<PacedResult> {
  const command = [process.execPath, '--import', 'tsx', fileURLToPath(import.meta.url), url, String(opts.rate), String(opts.seconds)];
  const child = spawn(opts.pin ? 'taskset' : command[0]!, opts.pin ? ['-c', opts.pin, ...command] : command.slice(1), {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const line = out.split('\n').find((l) => l.startsWith('{'));
  if (code !== 0 || !line) throw new Error(`the paced sender exited ${code}: ${out}`);
  return JSON.parse(line) as PacedResult;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [url, rate, seconds] = process.argv.slice(2);
  const r = await pacedLoad(url!, { rate: Number(rate), seconds: Number(seconds), pool: envelopes(Number(rate) * Number(seconds)) });
  process.stdout.write(`${JSON.stringify(r)}\n`);
}
