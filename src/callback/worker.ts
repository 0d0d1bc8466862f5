import { randomUUID } from 'node:crypto';
import { isStoreFailure, STORE_RETRY_MS, type Inbox, type InboxEntry, type EnqueueOutcome } from '../store/index.js';
import type { Inbound } from './inbound.js';
import { decodeInbound, encodeInbound } from './inbound-codec.js';

/** Which delivery a handler is running, so that what it does can be made to happen once across re-runs. */
export interface Delivery {
  /** The delivery's dedup key: the same on every run of it. */
  key: string;
  /** 1 on the first run; more after a crash interrupted an earlier run. */
  attempt: number;
  /** How often it was put off for later already ({@link DeliveryDeferred}); 0 on its first run. */
  deferred: number;
}

/** Runs one inbound message or event. */
export type DeliveryHandler = (inbound: Inbound, delivery: Delivery) => Promise<void>;

/** Options of {@link InboxWorker}. */
export interface InboxWorkerOptions {
  inbox: Inbox;
  handle: DeliveryHandler;
  /** Entries waiting or running at most; beyond it a delivery is refused (the callback answers 503). */
  capacity: number;
  /** Entries running at once, not counting those that have run longer than `slowMs`. */
  concurrency: number;
  /**
   * An entry running longer than this (default 1 s) waits on something slow (a WeCom API that hangs) and frees its
   * slot for the next entry, so one slow endpoint cannot keep every other member waiting; at most `maxRunning` entries
   * run however slow they are (default 4 × `concurrency`).
   */
  slowMs?: number;
  maxRunning?: number;
  /** How long a done entry stays as the dedup record. */
  dedupTtlMs: number;
  /**
   * True when entries outlive the process (SQLite, Redis): a stop then only finishes what runs. False (memory://):
   * a stop works off the backlog first, as nothing else ever will.
   */
  durable: boolean;
  /** True when this process is the store's only user (SQLite, memory): leases found at start are a dead process's. */
  soleUser: boolean;
  onError: (err: unknown, entry: InboxEntry) => void;
  /** Called when a handler put its delivery off for later (see {@link DeliveryDeferred}). */
  onDeferred?: (entry: InboxEntry, deferral: DeliveryDeferred) => void;
  /** Called when the store failed while taking or renewing (the worker tries again at the next poll). */
  onStoreError?: (err: unknown) => void;
  /** A lease lasts this long and is renewed at a third of it while the entry runs (default 15 s). */
  leaseMs?: number;
  /** How often to look for entries another instance left or a lease that ended (default 1 s). */
  pollMs?: number;
  /** Runs of one entry at most; an entry that crashed the process this often is set aside (default 3). */
  maxAttempts?: number;
}

/**
 * Takes entries from the durable inbox and runs them: the heads of lanes, urgent lanes first, up to `concurrency` at
 * once, each entry marked done after its handler ends. Entries a dead worker held are run again once its lease ends
 * (at start at once when this process is the store's only user).
 */
export class InboxWorker {
  /** This process's name on its leases. */
  readonly owner = `${process.pid}-${randomUUID().slice(0, 8)}`;
  private readonly running = new Map<string, InboxEntry>();
  /** When each running entry started, by key. */
  private readonly startedAt = new Map<string, number>();
  /** What this process accepted and has not run yet, by key. */
  private readonly submitted = new Map<string, Inbound>();
  private readonly leaseMs: number;
  private readonly maxAttempts: number;
  private pumping = false;
  private pumpAgain = false;
  private stopping = false;
  private lastBacklog = 0;
  private timers: NodeJS.Timeout[] = [];
  private changeWaiters: (() => void)[] = [];

  constructor(private readonly options: InboxWorkerOptions) {
    this.leaseMs = options.leaseMs ?? 15_000;
    this.maxAttempts = options.maxAttempts ?? 3;
  }

  /** Entries waiting or running when last looked at. */
  get waiting(): number {
    return Math.max(0, this.lastBacklog - this.running.size);
  }

  /** Entries running in this process. */
  get active(): number {
    return this.running.size;
  }

  get capacity(): number {
    return this.options.capacity;
  }

  /** Takes over what a dead process left, then starts taking entries. */
  async start(): Promise<void> {
    const recovered = await this.options.inbox.recover(this.options.soleUser);
    this.lastBacklog = await this.options.inbox.backlog();
    const poll = setInterval(() => void this.poll(), this.options.pollMs ?? 1000);
    const heartbeat = setInterval(() => void this.heartbeat(), Math.max(50, Math.floor(this.leaseMs / 3)));
    poll.unref();
    heartbeat.unref();
    this.timers.push(poll, heartbeat);
    this.recovered = recovered;
    void this.pump();
  }

  /** Entries taken over at start (work a crashed process had taken). */
  recovered = 0;

  /** When an entry last finished here (ms; the start until one has). */
  lastDoneAt = Date.now();

  /**
   * Records a delivery in the inbox (dedup and queue in one step) and, when accepted, starts it if a slot is free.
   * @throws what the store threw (the callback answers 503, so WeCom retries).
   */
  async submit(delivery: Omit<InboxEntry, 'attempts' | 'payload'> & { inbound: Inbound }): Promise<EnqueueOutcome> {
    if (this.stopping) return 'full';
    const { inbound, ...entry } = delivery;
    const outcome = await this.options.inbox.enqueue({ ...entry, payload: encodeInbound(inbound) }, this.options.capacity);
    if (outcome === 'accepted') {
      // Run here, it is handed on as it came; from the inbox (another instance, after a restart), read back and checked.
      this.submitted.set(entry.key, inbound);
      // Another instance may take it from the inbox: what this process keeps is bounded by the inbox's capacity.
      if (this.submitted.size > this.options.capacity) this.submitted.delete(this.submitted.keys().next().value!);
      this.lastBacklog += 1;
      void this.pump();
    }
    return outcome;
  }

  private async poll(): Promise<void> {
    if (this.stopping) return;
    try {
      await this.options.inbox.recover(false);
      this.lastBacklog = await this.options.inbox.backlog();
    } catch (err) {
      this.options.onStoreError?.(err);
      return;
    }
    void this.pump();
  }

  private async heartbeat(): Promise<void> {
    if (this.running.size === 0) return;
    try {
      await this.options.inbox.renew(this.owner, [...this.running.values()], this.leaseMs);
    } catch (err) {
      this.options.onStoreError?.(err);
    }
  }

  private async pump(): Promise<void> {
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.pumpAgain = false;
        const free = this.freeSlots();
        if (free <= 0 || (this.stopping && this.options.durable)) break;
        const entries = await this.options.inbox.take(this.owner, free, this.leaseMs);
        for (const entry of entries) this.run(entry);
        if (entries.length === free) this.pumpAgain = true;
      } while (this.pumpAgain);
    } catch (err) {
      this.options.onStoreError?.(err);
    } finally {
      this.pumping = false;
    }
  }

  /** Slots for more entries: those running slowly hold none, up to the hard bound. */
  private freeSlots(): number {
    const slowBefore = Date.now() - (this.options.slowMs ?? 1000);
    let slow = 0;
    for (const at of this.startedAt.values()) if (at <= slowBefore) slow += 1;
    const bound = this.options.maxRunning ?? this.options.concurrency * 4;
    return Math.min(this.options.concurrency - (this.running.size - slow), bound - this.running.size);
  }

  private run(entry: InboxEntry): void {
    this.running.set(entry.key, entry);
    this.startedAt.set(entry.key, Date.now());
    // Once it counts as slow, its slot goes to the next entry.
    const slow = setTimeout(() => void this.pump(), (this.options.slowMs ?? 1000) + 5);
    slow.unref();
    void (async () => {
      let deferral: DeliveryDeferred | undefined;
      const deferred = entry.deferred ?? 0;
      try {
        // Runs put off for later ended on purpose; the others that did not finish ended with the process.
        if (entry.attempts - deferred > this.maxAttempts) {
          throw new PoisonEntryError(entry);
        }
        const inbound = this.submitted.get(entry.key) ?? decodeInbound(entry.payload);
        await this.options.handle(inbound, { key: entry.key, attempt: entry.attempts - deferred, deferred });
      } catch (err) {
        if (err instanceof DeliveryDeferred) deferral = err;
        // The store could not record what the work did (a full disk): marked done, it would be lost; it runs again.
        else if (isStoreFailure(err)) deferral = new DeliveryDeferred(Date.now() + STORE_RETRY_MS, `store: ${(err as Error).message}`);
        else this.options.onError(err, entry);
      }
      try {
        if (deferral) {
          // Given back, not held: the worker is free for other members' work while this one waits.
          await this.options.inbox.defer(this.owner, entry, deferral.until);
          this.options.onDeferred?.(entry, deferral);
        } else {
          await this.options.inbox.complete(this.owner, entry, this.options.dedupTtlMs);
          this.lastBacklog = Math.max(0, this.lastBacklog - 1);
          this.lastDoneAt = Date.now();
        }
      } catch (err) {
        // Left leased: once the lease ends the entry runs again, and its effects are guarded to happen once.
        this.options.onStoreError?.(err);
      }
      clearTimeout(slow);
      this.running.delete(entry.key);
      this.startedAt.delete(entry.key);
      this.submitted.delete(entry.key);
      void this.pump();
      this.changed();
    })();
  }

  /** Wakes whoever waits for an entry to finish. */
  private changed(): void {
    const waiters = this.changeWaiters;
    this.changeWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private nextChange(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.changeWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Resolves when nothing runs here and nothing waits in the inbox (tests, shutdown of a memory store). */
  async onIdle(): Promise<void> {
    for (;;) {
      if (this.running.size === 0 && !this.pumping && (await this.options.inbox.backlog()) === 0) return;
      if (this.running.size === 0 && !this.pumping) void this.pump();
      // A timer or a finished entry: never a bare microtask loop, which would starve the I/O it waits for.
      await this.nextChange(10);
    }
  }

  /**
   * Stops taking entries and waits for the running ones, at most `timeoutMs` (with a memory store, for the whole
   * backlog: nothing else would ever run it).
   * @returns true when everything finished in time.
   */
  async drain(timeoutMs: number): Promise<boolean> {
    this.stopping = true;
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    const until = Date.now() + timeoutMs;
    const finished = async () => {
      if (!this.options.durable) return this.onIdle();
      while (this.running.size > 0) await this.nextChange(20);
    };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), Math.max(0, until - Date.now()));
    });
    const done = await Promise.race([finished().then(() => true), timeout]);
    clearTimeout(timer);
    return done;
  }
}

/**
 * Thrown by a handler whose delivery cannot go on now and should run again once `until` has passed (WeCom blocks an
 * API for a minute, the store cannot record a write): the entry is given back instead of holding a worker.
 */
export class DeliveryDeferred extends Error {
  constructor(
    /** When the delivery may run again (ms since the epoch). */
    readonly until: number,
    /** Why, for the log. */
    readonly reason: string,
  ) {
    super(`delivery put off until ${new Date(until).toISOString()}: ${reason}`);
    this.name = 'DeliveryDeferred';
  }
}

/** An entry that was taken more often than allowed: each run ended with the process, so it is set aside. */
export class PoisonEntryError extends Error {
  constructor(readonly entry: InboxEntry) {
    super(`inbox entry ${entry.key} was taken ${entry.attempts} times without finishing; set aside`);
    this.name = 'PoisonEntryError';
  }
}
