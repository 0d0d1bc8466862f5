import { createHash, randomBytes } from 'node:crypto';
import type { Locale } from '../config.js';
import type { Logger } from '../log.js';
import { defineNamespace, type Namespace, type Store } from '../store/index.js';
import type { WorkUnit } from '../wecom/index.js';
import type { CommandContext, JobControl, JobRecord, JobRunner } from './command.js';

/** Durable jobs by id. */
export const JOBS = defineNamespace<JobRecord>('jobs');

/** How long a job stays its runner's without word from it; renewed by a heartbeat while it runs (see JobTiming). */
const LEASE_MS = 30_000;

/** The timing of job leases: how long one lasts, how often a running job renews it, how often others look for dead ones. */
export interface JobTiming {
  leaseMs: number;
  heartbeatMs: number;
  sweepMs: number;
}

/**
 * A lease of 30 s renewed every 10 s, and a look for dead instances' jobs every 10 s: a job whose instance died is
 * taken over within about 15 s of its lease ending.
 */
export const JOB_TIMING: JobTiming = { leaseMs: LEASE_MS, heartbeatMs: 10_000, sweepMs: 10_000 };

/**
 * Durable jobs: started by a command, saved after every step, their lease renewed by a heartbeat while they run,
 * resumed after a restart or a dead instance (by whichever process finds the lease expired or released — at once by
 * the store's only process), and stopped at a step boundary on shutdown.
 */
export class Jobs {
  private readonly records: Namespace<JobRecord>;
  private readonly runners = new Map<string, JobRunner>();
  /** The command that declared each job type. */
  private readonly owners = new Map<string, string>();
  private readonly running = new Map<string, Promise<void>>();
  /** The records of the jobs running here, as they are saved. */
  private readonly active = new Map<string, JobRecord>();
  private stopping = false;
  /** Per job whose lease another instance holds: one look when that lease ends. */
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Jobs of another corp found in the store (said once). */
  private readonly foreign = new Set<string>();

  constructor(
    private readonly store: Store,
    private readonly log: Logger,
    private readonly contextFor: (user: string, locale: Locale, commandId: string | undefined, jobId: string) => CommandContext,
    /** The corp this process works for: a job recorded for another is never run (a store restored from elsewhere). */
    private readonly corpId?: string,
    /**
     * This process is the store's only user (SQLite, held for the process's life; memory): a running job it does not
     * run was orphaned by an earlier process, and is taken over at once instead of waiting out that process's lease.
     */
    private readonly soleUser = false,
    private readonly timing: JobTiming = JOB_TIMING,
    /** Told of each step a job saves. */
    private readonly onStep?: (type: string) => void,
  ) {
    this.records = store.namespace(JOBS);
  }

  private sweep: NodeJS.Timeout | undefined;
  /** The look for dead instances' jobs under way, if any (a stop waits for it: the store closes after). */
  private sweeping: Promise<void> | undefined;

  /** Looks for jobs whose instance died, every `sweepMs` from now on (several instances: any may take them over). */
  watch(): void {
    if (this.sweep || this.soleUser) return;
    this.sweep = setInterval(() => void this.sweepNow(), this.timing.sweepMs);
    this.sweep.unref();
  }

  /** One look for jobs to take over, unless one is under way already (then that one): looks never overlap. */
  private sweepNow(): Promise<void> {
    if (this.stopping) return Promise.resolve();
    this.sweeping ??= this.resumeAll()
      .catch((err: unknown) => this.log.warn({ event: 'job.sweep_failed', err: (err as Error).message }))
      .finally(() => {
        this.sweeping = undefined;
      });
    return this.sweeping;
  }

  /** Runs jobs of `type` with `runner`, in the context of the command that declared it. */
  register<S>(type: string, runner: JobRunner<S>, commandId?: string): void {
    this.runners.set(type, runner as JobRunner);
    if (commandId) this.owners.set(type, commandId);
  }

  /**
   * Saves a new job and runs it in the background. Started while handling a delivery, the job is named after it:
   * when the delivery runs again (after a crash, or put off for later), the job it started is found and left to resume, not started twice.
   */
  async start<S>(type: string, user: string, locale: Locale, state: S, delivery?: WorkUnit): Promise<JobRecord<S>> {
    const now = Date.now();
    const id = delivery
      ? `${type}-${createHash('sha1').update(delivery.key).digest('hex').slice(0, 16)}`
      : `${type}-${now.toString(36)}-${randomBytes(3).toString('hex')}`;
    // Every run looks, the first included: the inbox's count of runs may have been lost with a store that failed.
    if (delivery) {
      const existing = await this.records.get(id);
      if (existing) {
        if (existing.status === 'running' && !this.running.has(id)) void this.sweepNow();
        return existing as JobRecord<S>;
      }
    }
    const job: JobRecord<S> = {
      id,
      ...(this.corpId ? { corp: this.corpId } : {}),
      type,
      user,
      locale,
      state,
      status: 'running',
      leaseUntil: now + this.timing.leaseMs,
      createdAt: now,
      updatedAt: now,
    };
    await this.records.set(job.id, job as JobRecord);
    // The job outlives the delivery that started it: it runs with the bot's own client, its writes its own.
    this.launch(job as JobRecord);
    return job;
  }

  /** See {@link JobStarter.findRunning}. */
  async findRunning<S>(type: string, where: (state: S) => boolean): Promise<{ job: JobRecord<S>; live: boolean } | undefined> {
    for await (const [, job] of this.records.entries()) {
      if (job.type !== type || job.status !== 'running' || !where(job.state as S)) continue;
      const live = this.running.has(job.id) || job.leaseUntil > Date.now();
      if (!live) void this.sweepNow();
      return { job: job as JobRecord<S>, live };
    }
    return undefined;
  }

  /** Resolves when every job running in this process has returned. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()]);
  }

  /** Jobs running here whose last saved step is older than `idleMs` (a job saves after every step). */
  stuck(idleMs: number): JobRecord[] {
    const now = Date.now();
    return this.runningHere().filter((job) => now - job.updatedAt > idleMs);
  }

  /** The jobs running in this process. */
  runningHere(): JobRecord[] {
    return [...this.active.values()];
  }

  /** Resolves when the job (started or resumed here) has returned. */
  wait(id: string): Promise<void> {
    return this.running.get(id) ?? Promise.resolve();
  }

  private launch(job: JobRecord): void {
    const runner = this.runners.get(job.type);
    if (!runner) {
      this.log.error({ event: 'job.unknown_type', type: job.type, id: job.id });
      return;
    }
    const jobs = this;
    const control: JobControl<unknown> = {
      save: async (state) => {
        job.state = state;
        job.updatedAt = Date.now();
        job.leaseUntil = job.updatedAt + this.timing.leaseMs;
        await this.records.set(job.id, job);
        this.onStep?.(job.type);
      },
      get stopping() {
        return jobs.stopping;
      },
    };
    // The lease is renewed while the job runs, even through a long step (a slow WeCom call): only a dead process lets it
    // lapse. A store's only process takes over its predecessor's jobs whatever their lease says: nobody reads it there.
    const heartbeat = this.soleUser
      ? undefined
      : setInterval(() => {
          if (job.status !== 'running' || job.leaseUntil === 0) return;
          job.leaseUntil = Date.now() + this.timing.leaseMs;
          void this.records.set(job.id, job).catch(() => undefined);
        }, this.timing.heartbeatMs);
    heartbeat?.unref();
    const run = (async () => {
      try {
        await runner(job, control, this.contextFor(job.user, job.locale, this.owners.get(job.type), job.id));
        // A runner that returned because the process is stopping stays running, to be resumed.
        if (job.status === 'running' && !this.stopping) job.status = 'done';
      } catch (err) {
        this.log.error({ event: 'job.failed', id: job.id, err: (err as Error).message });
        if (!this.stopping) job.status = 'failed';
      }
      clearInterval(heartbeat);
      job.leaseUntil = 0; // released: a restart may take it over at once
      job.updatedAt = Date.now();
      await this.records.set(job.id, job, job.status === 'running' ? undefined : 7 * 24 * 3600_000).catch(() => undefined);
    })();
    this.running.set(job.id, run);
    this.active.set(job.id, job);
    void run.finally(() => {
      this.running.delete(job.id);
      this.active.delete(job.id);
    });
  }

  /** Resumes every running job whose lease is free; checks again later for leases still held. */
  async resumeAll(): Promise<void> {
    const now = Date.now();
    for await (const [, job] of this.records.entries()) {
      if (this.stopping) return;
      if (job.status !== 'running' || this.running.has(job.id)) continue;
      if (job.corp && this.corpId && job.corp !== this.corpId) {
        if (!this.foreign.has(job.id)) this.log.error({ event: 'job.other_corp', id: job.id, type: job.type, corp: job.corp });
        this.foreign.add(job.id);
        continue;
      }
      if (job.leaseUntil > now && !this.soleUser) {
        // Held by a live instance: looked at again when the lease ends (one timer per job, however many looks find it).
        clearTimeout(this.timers.get(job.id));
        const timer = setTimeout(
          () => {
            this.timers.delete(job.id);
            void this.sweepNow();
          },
          job.leaseUntil - now + 100,
        );
        timer.unref();
        this.timers.set(job.id, timer);
        continue;
      }
      // Several instances may find the same expired lease: one claim per lease decides who takes the job over.
      if (!(await this.store.claim(`job-lease:${job.id}:${job.leaseUntil}`, this.timing.leaseMs))) continue;
      this.log.info({ event: 'job.resumed', id: job.id, type: job.type });
      job.leaseUntil = now + this.timing.leaseMs;
      await this.records.set(job.id, job);
      this.launch(job);
    }
  }

  /** Asks running jobs to stop at their next step and waits for them (bounded by the caller). */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.sweep) clearInterval(this.sweep);
    await this.sweeping;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await Promise.all([...this.running.values()]);
  }
}
