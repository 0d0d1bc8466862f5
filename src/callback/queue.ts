/** A unit of work taken off the callback: runs after the 200 has been sent. */
export type Job = () => Promise<void>;

interface Entry {
  job: Job;
  key: string | undefined;
}

/** Options of {@link WorkQueue}. */
export interface WorkQueueOptions {
  /** Jobs waiting at most; beyond it `push` refuses (the callback answers 503). */
  capacity: number;
  /** Jobs running at once. */
  concurrency: number;
  /** Called with what a job threw; a failing job never stops the queue. */
  onError: (err: unknown) => void;
}

/**
 * A bounded in-process queue. Jobs with the same key (one member's commands) run one after another in arrival
 * order; urgent jobs (welcome messages, whose code lives 20 s) jump ahead of waiting ones.
 */
export class WorkQueue {
  private readonly urgent: Entry[] = [];
  private readonly normal: Entry[] = [];
  private readonly busyKeys = new Set<string>();
  private running = 0;
  private idleWaiters: (() => void)[] = [];
  private closed = false;

  constructor(private readonly options: WorkQueueOptions) {}

  /** Jobs waiting (not yet started). */
  get waiting(): number {
    return this.urgent.length + this.normal.length;
  }

  /** Jobs started and not yet finished. */
  get active(): number {
    return this.running;
  }

  get capacity(): number {
    return this.options.capacity;
  }

  /** True when one more `push` would be refused. */
  get full(): boolean {
    return this.closed || this.waiting >= this.options.capacity;
  }

  /**
   * Adds a job. `key` serialises jobs that share it; `urgent` puts the job before every normal one.
   * @returns false (and does nothing) when the queue is full or closed.
   */
  push(job: Job, opts: { key?: string; urgent?: boolean } = {}): boolean {
    if (this.full) return false;
    (opts.urgent ? this.urgent : this.normal).push({ job, key: opts.key });
    this.pump();
    return true;
  }

  private take(list: Entry[]): Entry | undefined {
    const index = list.findIndex((e) => e.key === undefined || !this.busyKeys.has(e.key));
    return index < 0 ? undefined : list.splice(index, 1)[0];
  }

  private pump(): void {
    while (this.running < this.options.concurrency) {
      const entry = this.take(this.urgent) ?? this.take(this.normal);
      if (!entry) break;
      this.start(entry);
    }
    if (this.running === 0 && this.waiting === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  private start(entry: Entry): void {
    this.running += 1;
    if (entry.key !== undefined) this.busyKeys.add(entry.key);
    void Promise.resolve()
      .then(entry.job)
      .catch((err: unknown) => this.options.onError(err))
      .finally(() => {
        this.running -= 1;
        if (entry.key !== undefined) this.busyKeys.delete(entry.key);
        this.pump();
      });
  }

  /** Resolves when nothing waits or runs. */
  onIdle(): Promise<void> {
    if (this.running === 0 && this.waiting === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Refuses new jobs and waits for the queued ones, at most `timeoutMs`.
   * @returns true when everything finished in time.
   */
  async drain(timeoutMs: number): Promise<boolean> {
    this.closed = true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const done = await Promise.race([this.onIdle().then(() => true), timeout]);
    clearTimeout(timer);
    return done;
  }
}
