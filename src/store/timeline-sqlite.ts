import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { Timeline } from './types.js';

/** How often (in appends) entries past their retention are purged. */
const PURGE_EVERY = 1000;

/** Timelines as one SQLite table with an index by (name, time) and one by (name, tag, time). */
export class SqliteTimelines {
  private readonly q: Record<'append' | 'newest' | 'newestOfTag' | 'purge', StatementSync>;
  private appends = 0;

  constructor(db: DatabaseSync) {
    db.exec(`CREATE TABLE IF NOT EXISTS timeline (
      id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, at INTEGER NOT NULL, tag TEXT NOT NULL,
      value TEXT NOT NULL, expires INTEGER NOT NULL)`);
    db.exec('CREATE INDEX IF NOT EXISTS timeline_at ON timeline(name, at)');
    db.exec('CREATE INDEX IF NOT EXISTS timeline_tag ON timeline(name, tag, at)');
    db.exec('CREATE INDEX IF NOT EXISTS timeline_expires ON timeline(expires)');
    this.q = {
      append: db.prepare('INSERT INTO timeline(name, at, tag, value, expires) VALUES (?, ?, ?, ?, ?)'),
      newest: db.prepare('SELECT value FROM timeline WHERE name = ? AND expires > ? ORDER BY at DESC, id DESC LIMIT ?'),
      newestOfTag: db.prepare('SELECT value FROM timeline WHERE name = ? AND tag = ? AND expires > ? ORDER BY at DESC, id DESC LIMIT ?'),
      purge: db.prepare('DELETE FROM timeline WHERE expires <= ?'),
    };
  }

  /** The timeline called `name`. */
  open<V>(name: string): Timeline<V> {
    return {
      append: async (at, tag, value, retentionMs) => {
        this.q.append.run(name, at, tag, JSON.stringify(value), at + retentionMs);
        if (++this.appends % PURGE_EVERY === 0) this.q.purge.run(Date.now());
      },
      newest: async ({ limit, tag }) => {
        const now = Date.now();
        const rows = (tag === undefined ? this.q.newest.all(name, now, limit) : this.q.newestOfTag.all(name, tag, now, limit)) as {
          value: string;
        }[];
        return rows.map((r) => JSON.parse(r.value) as V);
      },
    };
  }
}
