import { createServer, type Server } from 'node:http';
import { listen } from './listen.js';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { AuditEntry, BotObserver } from '../bot/index.js';
import type { CallbackOutcome } from '../callback/router.js';
import type { SendOutcome } from '../channel/app.js';
import type { Logger } from '../log.js';
import type { CallReport } from '../wecom/index.js';

/** What the gauges read when Prometheus scrapes. */
export interface MetricSources {
  /** Entries waiting or running in the inbox. */
  inboxDepth(): Promise<number>;
  /** When the oldest open entry arrived (ms), if any. */
  inboxOldest(): Promise<number | undefined>;
  /** Jobs running in this process, by type. */
  jobsRunning(): { type: string }[];
}

/** Seconds buckets of command and WeCom call durations: from a cached answer to a call that times out. */
const SECONDS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The bot's Prometheus metrics (prom-client): callbacks by outcome, the inbox, commands by id and outcome with their
 * durations, WeCom calls by path and errcode with their latency, token refreshes, messages sent, paced and failed, jobs
 * running and their steps, and Node's own process metrics. Counters are fed by the observers below; gauges are read
 * at each scrape.
 */
export class BotMetrics {
  readonly registry = new Registry();
  private readonly callbacks = new Counter({
    name: 'wco_callbacks_total',
    help: 'WeCom callbacks by outcome',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  private readonly commands = new Counter({
    name: 'wco_commands_total',
    help: 'Audit entries by action and decision (a command run, a proposal, a confirmation …)',
    labelNames: ['command', 'outcome'],
    registers: [this.registry],
  });
  private readonly commandSeconds = new Histogram({
    name: 'wco_command_duration_seconds',
    help: 'How long a command ran',
    labelNames: ['command'],
    buckets: SECONDS,
    registers: [this.registry],
  });
  private readonly wecomCalls = new Counter({
    name: 'wco_wecom_calls_total',
    help: 'WeCom API requests by path and errcode (none: no answer)',
    labelNames: ['path', 'errcode'],
    registers: [this.registry],
  });
  private readonly wecomSeconds = new Histogram({
    name: 'wco_wecom_call_duration_seconds',
    help: 'WeCom API request latency',
    labelNames: ['path'],
    buckets: SECONDS,
    registers: [this.registry],
  });
  private readonly tokenRefreshes = new Counter({ name: 'wco_token_refreshes_total', help: 'Access tokens fetched (gettoken)', registers: [this.registry] });
  private readonly sends = new Counter({
    name: 'wco_messages_total',
    help: 'Messages to members: sent, held back by pacing first, or failed',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  private readonly jobSteps = new Counter({
    name: 'wco_job_steps_total',
    help: 'Steps saved by durable jobs',
    labelNames: ['type'],
    registers: [this.registry],
  });

  constructor(sources: MetricSources) {
    collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    new Gauge({
      name: 'wco_inbox_depth',
      help: 'Callbacks waiting or running',
      registers,
      async collect() {
        this.set(await sources.inboxDepth().catch(() => Number.NaN));
      },
    });
    new Gauge({
      name: 'wco_inbox_oldest_age_seconds',
      help: 'How long the oldest callback waiting or running has waited',
      registers,
      async collect() {
        const oldest = await sources.inboxOldest().catch(() => undefined);
        this.set(oldest === undefined ? 0 : Math.max(0, (Date.now() - oldest) / 1000));
      },
    });
    new Gauge({
      name: 'wco_jobs_running',
      help: 'Durable jobs running in this process, by type',
      labelNames: ['type'],
      registers,
      collect() {
        this.reset();
        for (const job of sources.jobsRunning()) this.inc({ type: job.type });
      },
    });
  }

  /** Counts a callback's outcome. */
  callback(outcome: CallbackOutcome): void {
    this.callbacks.inc({ outcome });
  }

  /** Counts a WeCom request (a gettoken is a token refresh). */
  call(report: CallReport): void {
    const path = report.path.replace(/^cgi-bin\//, '');
    this.wecomCalls.inc({ path, errcode: report.errcode === undefined ? 'none' : String(report.errcode) });
    this.wecomSeconds.observe({ path }, report.ms / 1000);
    if (path === 'gettoken' && report.errcode === 0) this.tokenRefreshes.inc();
  }

  /** The bot's observer: audit entries, messages, job steps. */
  readonly bot: Required<BotObserver> = {
    audit: (entry: AuditEntry) => {
      this.commands.inc({ command: entry.command, outcome: entry.decision });
      if (entry.durationMs !== undefined && (entry.decision === 'executed' || entry.decision === 'failed')) {
        this.commandSeconds.observe({ command: entry.command }, entry.durationMs / 1000);
      }
    },
    send: (outcome: SendOutcome) => this.sends.inc({ outcome }),
    jobStep: (type: string) => this.jobSteps.inc({ type }),
  };
}

/**
 * Serves `/metrics` on its own port (METRICS_PORT), bound to `host` (127.0.0.1 unless METRICS_HOST says otherwise):
 * never on the public port WeCom calls.
 */
export async function serveMetrics(metrics: BotMetrics, host: string, port: number, log: Logger): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.statusCode = 404;
      res.end();
      return;
    }
    metrics.registry.metrics().then(
      (text) => {
        res.setHeader('content-type', metrics.registry.contentType);
        res.end(text);
      },
      (err: unknown) => {
        log.error({ event: 'metrics.failed', err: (err as Error).message });
        res.statusCode = 500;
        res.end();
      },
    );
  });
  return { server, url: `${await listen(server, port, host)}/metrics` };
}
