import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { EnqueueOutcome, Inbox, InboxEntry } from './types.js';

const READY = 0;
const LEASED = 1;
const DONE = 2;

/** How often (in completions) done entries past their dedup TTL are purged. */
const PURGE_EVERY = 500;

interface Pending {
  entry: Omit<InboxEntry, 'attempts'>;
  capacity: number;
  resolve: (outcome: EnqueueOutcome) => void;
  reject: (err: unknown) => void;
}

/**
 * The inbox as one SQLite table. A row is the dedup record and the queued work at once; the deliveries that arrive
 * within one turn of the event loop are written in a single transaction (one WAL append for a burst).
 * `seq` orders each lane; the head of a lane is its lowest `seq` not yet done.
 */
export class SqliteInbox implements Inbox {
  private readonly q: Record<
    'find' | 'forget' | 'insert' | 'count' | 'heads' | 'lease' | 'renew' | 'complete' | 'purge' | 'recoverAll' | 'recoverExpired',
    StatementSync
  >;
  private batch: Pending[] = [];
  private completions = 0;

  constructor(private readonly db: DatabaseSync) {
    db.exec(`CREATE TABLE IF NOT EXISTS inbox (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      key TEXT NOT NULL UNIQUE,
      lane TEXT NOT NULL,
      urgent INTEGER NOT NULL,
      payload TEXT,
      state INTEGER NOT NULL,
      owner TEXT,
      lease_until INTEGER,
      attempts INTEGER NOT NULL DEFAULT 0,
      expires INTEGER)`);
    db.exec(`CREATE INDEX IF NOT EXISTS inbox_open ON inbox(lane, seq) WHERE state < ${DONE}`);
    db.exec(`CREATE INDEX IF NOT EXISTS inbox_done ON inbox(expires) WHERE state = ${DONE}`);
    this.q = {
      find: db.prepare('SELECT state, expires FROM inbox WHERE key = ?'),
      forget: db.prepare('DELETE FROM inbox WHERE key = ?'),
      insert: db.prepare(`INSERT INTO inbox(key, lane, urgent, payload, state) VALUES (?, ?, ?, ?, ${READY})`),
      count: db.prepare(`SELECT count(*) AS n FROM inbox WHERE state < ${DONE}`),
      // A lane's head: ready, and no earlier entry of its lane is still open (waiting or leased).
      heads: db.prepare(
        `SELECT seq, key, lane, urgent, payload, attempts FROM inbox AS i WHERE state = ${READY} AND NOT EXISTS ` +
          `(SELECT 1 FROM inbox AS j WHERE j.lane = i.lane AND j.state < ${DONE} AND j.seq < i.seq) ` +
          'ORDER BY urgent DESC, seq LIMIT ?',
      ),
      lease: db.prepare(`UPDATE inbox SET state = ${LEASED}, owner = ?, lease_until = ?, attempts = attempts + 1 WHERE seq = ?`),
      renew: db.prepare(`UPDATE inbox SET lease_until = ? WHERE key = ? AND owner = ? AND state = ${LEASED}`),
      complete: db.prepare(
        `UPDATE inbox SET state = ${DONE}, payload = NULL, owner = NULL, lease_until = NULL, expires = ? WHERE key = ? AND state < ${DONE}`,
      ),
      purge: db.prepare(`DELETE FROM inbox WHERE state = ${DONE} AND expires <= ?`),
      recoverAll: db.prepare(`UPDATE inbox SET state = ${READY}, owner = NULL, lease_until = NULL WHERE state = ${LEASED}`),
      recoverExpired: db.prepare(
        `UPDATE inbox SET state = ${READY}, owner = NULL, lease_until = NULL WHERE state = ${LEASED} AND lease_until <= ?`,
      ),
    };
  }

  enqueue(entry: Omit<InboxEntry, 'attempts'>, capacity: number): Promise<EnqueueOutcome> {
    return new Promise((resolve, reject) => {
      this.batch.push({ entry, capacity, resolve, reject });
      if (this.batch.length === 1) setImmediate(() => this.flush());
    });
  }

  /** Writes the waiting deliveries in one transaction; each gets its own outcome. */
  private flush(): void {
    const batch = this.batch;
    this.batch = [];
    const outcomes: EnqueueOutcome[] = [];
    try {
      this.transaction(() => {
        const now = Date.now();
        let open = Number((this.q.count.get() as { n: number }).n);
        for (const { entry, capacity } of batch) {
          const known = this.q.find.get(entry.key) as { state: number; expires: number | null } | undefined;
          if (known && (known.state < DONE || (known.expires ?? 0) > now)) {
            outcomes.push('duplicate');
            continue;
          }
          if (open >= capacity) {
            outcomes.push('full');
            continue;
          }
          if (known) this.q.forget.run(entry.key); // a done record past its TTL
          this.q.insert.run(entry.key, entry.lane, entry.urgent ? 1 : 0, entry.payload);
          open += 1;
          outcomes.push('accepted');
        }
      });
    } catch (err) {
      for (const p of batch) p.reject(err);
      return;
    }
    batch.forEach((p, i) => p.resolve(outcomes[i]!));
  }

  async take(owner: string, max: number, leaseMs: number): Promise<InboxEntry[]> {
    if (max <= 0) return [];
    return this.transaction(() => {
      const rows = this.q.heads.all(max) as { seq: number; key: string; lane: string; urgent: number; payload: string; attempts: number }[];
      const until = Date.now() + leaseMs;
      return rows.map((row) => {
        this.q.lease.run(owner, until, row.seq);
        return { key: row.key, lane: row.lane, urgent: row.urgent === 1, payload: row.payload, attempts: row.attempts + 1 };
      });
    });
  }

  async renew(owner: string, entries: readonly InboxEntry[], leaseMs: number): Promise<void> {
    const until = Date.now() + leaseMs;
    for (const entry of entries) this.q.renew.run(until, entry.key, owner);
  }

  async complete(_owner: string, entry: InboxEntry, dedupTtlMs: number): Promise<void> {
    const now = Date.now();
    this.q.complete.run(now + dedupTtlMs, entry.key);
    if (++this.completions % PURGE_EVERY === 0) this.q.purge.run(now);
  }

  async backlog(): Promise<number> {
    return Number((this.q.count.get() as { n: number }).n);
  }

  async recover(all: boolean): Promise<number> {
    const result = all ? this.q.recoverAll.run() : this.q.recoverExpired.run(Date.now());
    return Number(result.changes);
  }

  private transaction<T>(work: () => T): T {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      this.db.exec('COMMIT');
      return result;
    } catch (err) {
      this.db.exec('ROLLBACK');
      throw err;
    }
  }
}
