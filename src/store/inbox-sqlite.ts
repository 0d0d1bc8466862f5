import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { EnqueueOutcome, Inbox, InboxEntry } from './types.js';

const READY = 0;
const LEASED = 1;
const DONE = 2;

/** A commit that failed (a full disk) is tried again this long after, with what it held and what came since. */
const RETRY_COMMIT_MS = 1000;

/** At most this many expired dedup records are deleted per commit, so a backlog of them never stalls one. */
const PURGE_PER_COMMIT = 256;

interface Row extends InboxEntry {
  seq: number;
  /** When it arrived (ms; for an entry read at start, the start), or when its deferral ends. */
  at: number;
}

/** One member's (or one event source's) entries, in arrival order; `held` while its head runs. */
interface Lane {
  rows: Row[];
  held: boolean;
}

interface PendingInsert {
  entry: Omit<InboxEntry, 'attempts'>;
  resolve: (outcome: EnqueueOutcome) => void;
  reject: (err: unknown) => void;
}

/**
 * The inbox as one SQLite table, for a store that one process uses (a SQLite file, or `memory://`). A row is the
 * dedup record and the queued work at once. The table is the truth a restart reads; the order of work (lanes, who
 * is next) is kept in memory, so taking and finishing an entry never scans the table. Everything written within one
 * turn of the event loop goes in a single transaction (one WAL append for a burst), and a delivery is answered only
 * once its row is committed.
 */
export class SqliteInbox implements Inbox {
  private readonly q: Record<'insert' | 'rows' | 'lease' | 'defer' | 'complete' | 'purge', StatementSync>;
  private readonly lanes = new Map<string, Lane>();
  private readonly urgentReady: string[] = [];
  private readonly ready: string[] = [];
  /** Keys recorded or being recorded and not yet done. */
  private readonly openKeys = new Set<string>();
  private inserts: PendingInsert[] = [];
  /** Rows to mark leased, rows given back for later, and rows to mark done with their expiry, at the next commit. */
  private leases: number[] = [];
  private defers: number[] = [];
  private completes: number[] = [];
  private flushScheduled = false;
  private retryTimer: NodeJS.Timeout | undefined;
  /** Lanes whose head was deferred, with when it may be taken again. */
  private readonly deferredLanes = new Map<string, number>();
  /**
   * Done rows as (seq, expires) pairs in the order they expire, so the purge deletes by primary key instead of
   * scanning a table that holds every dedup record of the last TTL.
   */
  private expiring: number[] = [];
  private expiringHead = 0;
  /** Entries that were running when the process that wrote this file stopped. */
  private interrupted: number;

  constructor(private readonly db: DatabaseSync) {
    // Every page a commit touches is written to the WAL, so the table keeps one index (the dedup key) and no
    // AUTOINCREMENT bookkeeping: the order of work is in memory, and a restart reads the open rows once.
    db.exec(`CREATE TABLE IF NOT EXISTS inbox (
      seq INTEGER PRIMARY KEY,
      key TEXT NOT NULL UNIQUE,
      lane TEXT NOT NULL,
      urgent INTEGER NOT NULL,
      payload TEXT,
      state INTEGER NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0,
      expires INTEGER,
      deferred INTEGER NOT NULL DEFAULT 0)`);
    // A file written before deferrals existed.
    if (!(db.prepare('SELECT name FROM pragma_table_info(?)').all('inbox') as { name: string }[]).some((c) => c.name === 'deferred')) {
      db.exec('ALTER TABLE inbox ADD COLUMN deferred INTEGER NOT NULL DEFAULT 0');
    }
    this.q = {
      // New, or taking the place of a done record past its TTL; a key still remembered returns no row (a duplicate).
      insert: db.prepare(
        `INSERT INTO inbox(key, lane, urgent, payload, state) VALUES (?, ?, ?, ?, ${READY}) ON CONFLICT(key) DO UPDATE SET ` +
          `lane = excluded.lane, urgent = excluded.urgent, payload = excluded.payload, state = ${READY}, attempts = 0, deferred = 0, expires = NULL ` +
          `WHERE inbox.state = ${DONE} AND inbox.expires <= ? RETURNING seq`,
      ),
      rows: db.prepare('SELECT seq, key, lane, urgent, payload, state, attempts, deferred, expires FROM inbox ORDER BY seq'),
      lease: db.prepare(`UPDATE inbox SET state = ${LEASED}, attempts = attempts + 1 WHERE seq = ?`),
      defer: db.prepare(`UPDATE inbox SET state = ${READY}, deferred = deferred + 1 WHERE seq = ?`),
      complete: db.prepare(`UPDATE inbox SET state = ${DONE}, payload = NULL, expires = ? WHERE seq = ?`),
      // The state check matters: an expired record whose key arrived again is a live row under the same seq.
      purge: db.prepare(`DELETE FROM inbox WHERE seq = ? AND state = ${DONE} AND expires <= ?`),
    };
    // What a previous process left, read in one pass: every open entry waits again, in its order (those it was
    // running are counted), and its dedup records join the purge order.
    let interrupted = 0;
    const done: [seq: number, expires: number][] = [];
    const now = Date.now();
    type Stored = {
      seq: number;
      key: string;
      lane: string;
      urgent: number;
      payload: string;
      state: number;
      attempts: number;
      deferred: number;
      expires: number;
    };
    for (const r of this.q.rows.iterate() as Iterable<Stored>) {
      if (r.state === DONE) {
        done.push([r.seq, r.expires]);
        continue;
      }
      if (r.state === LEASED) interrupted += 1;
      this.add({ seq: r.seq, key: r.key, lane: r.lane, urgent: r.urgent === 1, payload: r.payload, attempts: r.attempts, deferred: r.deferred, at: now });
    }
    for (const [seq, expires] of done.sort((a, b) => a[1] - b[1])) this.expiring.push(seq, expires);
    this.interrupted = interrupted;
  }

  private add(row: Row): void {
    this.openKeys.add(row.key);
    let lane = this.lanes.get(row.lane);
    if (!lane) {
      lane = { rows: [], held: false };
      this.lanes.set(row.lane, lane);
    }
    lane.rows.push(row);
    if (lane.rows.length === 1) (row.urgent ? this.urgentReady : this.ready).push(row.lane);
  }

  enqueue(entry: Omit<InboxEntry, 'attempts'>, capacity: number): Promise<EnqueueOutcome> {
    if (this.openKeys.has(entry.key)) return Promise.resolve('duplicate');
    if (this.openKeys.size >= capacity) return Promise.resolve('full');
    this.openKeys.add(entry.key);
    return new Promise((resolve, reject) => {
      this.inserts.push({ entry, resolve, reject });
      this.scheduleFlush();
    });
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  /** Commits what this turn wrote (also called before the database closes); then the new entries become takeable and their callbacks are answered. */
  flush(): void {
    this.flushScheduled = false;
    if (!this.db.isOpen) {
      for (const p of this.inserts) p.reject(new Error('the store is closed'));
      this.inserts = [];
      this.leases = [];
      this.defers = [];
      this.completes = [];
      return;
    }
    const { inserts, leases, defers, completes } = this;
    this.inserts = [];
    this.leases = [];
    this.defers = [];
    this.completes = [];
    const outcomes: (Row | 'duplicate')[] = [];
    const expiringHead = this.expiringHead;
    try {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const now = Date.now();
        // An entry taken and finished within one turn is written done at once: its lease would be overwritten anyway.
        const finishing = completes.length > 0 && leases.length > 0 ? new Set(completes.filter((_, i) => i % 2 === 0)) : undefined;
        for (const seq of leases) if (!finishing?.has(seq)) this.q.lease.run(seq);
        for (const seq of defers) this.q.defer.run(seq);
        for (let i = 0; i < completes.length; i += 2) this.q.complete.run(completes[i + 1]!, completes[i]!);
        this.purgeExpired(now);
        for (const { entry } of inserts) {
          const row = this.q.insert.get(entry.key, entry.lane, entry.urgent ? 1 : 0, entry.payload, now) as { seq: number } | undefined;
          outcomes.push(row ? { ...entry, seq: row.seq, attempts: 0, deferred: 0, at: now } : 'duplicate');
        }
        this.db.exec('COMMIT');
      } catch (err) {
        this.db.exec('ROLLBACK');
        throw err;
      }
    } catch (err) {
      this.expiringHead = expiringHead; // nothing was purged
      for (const p of inserts) {
        this.openKeys.delete(p.entry.key);
        p.reject(err);
      }
      // What ran and finished here is still so: written at a later commit (a full disk that frees), never forgotten,
      // or a restart would run it again as if for the first time.
      this.leases = leases.concat(this.leases);
      this.defers = defers.concat(this.defers);
      this.completes = completes.concat(this.completes);
      if (this.leases.length + this.defers.length + this.completes.length > 0 && !this.retryTimer) {
        this.retryTimer = setTimeout(() => {
          this.retryTimer = undefined;
          this.scheduleFlush();
        }, RETRY_COMMIT_MS);
        this.retryTimer.unref();
      }
      return;
    }
    if (this.expiringHead > 8192 && this.expiringHead * 2 > this.expiring.length) {
      this.expiring = this.expiring.slice(this.expiringHead);
      this.expiringHead = 0;
    }
    for (let i = 0; i < completes.length; i += 2) this.expiring.push(completes[i]!, completes[i + 1]!);
    inserts.forEach((p, i) => {
      const outcome = outcomes[i]!;
      if (outcome === 'duplicate') {
        this.openKeys.delete(p.entry.key);
        p.resolve('duplicate');
      } else {
        this.add(outcome);
        p.resolve('accepted');
      }
    });
  }

  /** Deletes the oldest dedup records past their TTL, a bounded number per commit (inside its transaction). */
  private purgeExpired(now: number): void {
    let purged = 0;
    while (purged < PURGE_PER_COMMIT && this.expiringHead < this.expiring.length && this.expiring[this.expiringHead + 1]! <= now) {
      this.q.purge.run(this.expiring[this.expiringHead]!, now);
      this.expiringHead += 2;
      purged += 1;
    }
  }

  async take(_owner: string, max: number): Promise<InboxEntry[]> {
    const out: InboxEntry[] = [];
    while (out.length < max) {
      const name = this.urgentReady.shift() ?? this.ready.shift();
      if (name === undefined) break;
      const lane = this.lanes.get(name);
      const head = lane?.rows[0];
      if (!lane || !head || lane.held) continue;
      lane.held = true;
      head.attempts += 1;
      this.leases.push(head.seq);
      out.push({ key: head.key, lane: head.lane, urgent: head.urgent, payload: head.payload, attempts: head.attempts, deferred: head.deferred ?? 0 });
    }
    // Committed at the end of this turn: a handler reaches its first I/O before that, so a run that kills the
    // process is counted, and an entry that keeps doing so is set aside (see the worker's maxAttempts).
    if (out.length > 0) this.scheduleFlush();
    return out;
  }

  /** One process holds every lease of this store: nothing to extend. */
  async renew(): Promise<void> {}

  async defer(_owner: string, entry: InboxEntry, untilMs: number): Promise<void> {
    const lane = this.lanes.get(entry.lane);
    const head = lane?.rows[0];
    if (!lane || !head || head.key !== entry.key) return;
    lane.held = false;
    head.deferred = (head.deferred ?? 0) + 1;
    head.at = untilMs;
    this.deferredLanes.set(entry.lane, untilMs);
    this.defers.push(head.seq);
    this.scheduleFlush();
  }

  async complete(_owner: string, entry: InboxEntry, dedupTtlMs: number): Promise<void> {
    const lane = this.lanes.get(entry.lane);
    const head = lane?.rows[0];
    if (!lane || !head || head.key !== entry.key) return;
    lane.rows.shift();
    lane.held = false;
    this.openKeys.delete(entry.key);
    this.completes.push(head.seq, Date.now() + dedupTtlMs);
    const next = lane.rows[0];
    if (next) (next.urgent ? this.urgentReady : this.ready).push(entry.lane);
    else this.lanes.delete(entry.lane);
    this.scheduleFlush();
  }

  async backlog(): Promise<number> {
    return this.openKeys.size - this.inserts.length;
  }

  async oldest(): Promise<number | undefined> {
    let oldest: number | undefined;
    for (const lane of this.lanes.values()) {
      const at = lane.rows[0]?.at;
      if (at !== undefined && (oldest === undefined || at < oldest)) oldest = at;
    }
    return oldest;
  }

  async peek(max: number): Promise<InboxEntry[]> {
    const out: InboxEntry[] = [];
    for (const lane of this.lanes.values()) {
      for (const row of lane.rows) {
        if (out.length >= max) return out;
        out.push({ key: row.key, lane: row.lane, urgent: row.urgent, payload: row.payload, attempts: row.attempts });
      }
    }
    return out;
  }

  /**
   * Makes the lanes whose deferral ended ready; with `all`, counts the entries a previous process was running when it
   * stopped (they wait again, first in their lanes).
   */
  async recover(all: boolean): Promise<number> {
    const now = Date.now();
    for (const [name, until] of this.deferredLanes) {
      if (until > now) continue;
      this.deferredLanes.delete(name);
      const head = this.lanes.get(name)?.rows[0];
      if (head) (head.urgent ? this.urgentReady : this.ready).push(name);
    }
    if (!all) return 0;
    const count = this.interrupted;
    this.interrupted = 0;
    return count;
  }
}
