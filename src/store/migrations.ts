import { upgradeReason, type EntryWithReason } from './legacy-reasons.js';
import type { Migration } from './types.js';

/**
 * Every change of what a store holds, numbered. A store records the version its data was written in (SQLite
 * `user_version`, Redis `{prefix}:schema`); at start the migrations above it run in order. Each is tested from a
 * store the version before it wrote (`test/fixtures/stores/`). A new migration is appended here, never edited once
 * released.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    what: 'the store records which corp it belongs to (SQLite table meta; Redis hash <prefix>:meta)',
    sqlite(db) {
      db.exec('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID');
    },
    // The hash is created by its first write.
    async redis() {},
  },
  {
    version: 2,
    what: 'audit entries keep their reason as data (a kind and its values), not as a string to parse',
    sqlite(db) {
      const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'timeline'").get();
      if (!exists) return;
      const update = db.prepare('UPDATE timeline SET value = ? WHERE id = ?');
      const page = db.prepare("SELECT id, value FROM timeline WHERE name = 'audit' AND id > ? ORDER BY id LIMIT 1000");
      // A page at a time: a year of a big corp's log need not fit in memory.
      for (let after = 0, rows = page.all(after) as { id: number; value: string }[]; rows.length > 0; rows = page.all(after) as typeof rows) {
        for (const row of rows) {
          const { entry, changed } = upgradeReason(JSON.parse(row.value) as EntryWithReason);
          if (changed) update.run(JSON.stringify(entry), row.id);
        }
        after = rows.at(-1)!.id;
      }
    },
    async redis(redis) {
      const key = `${redis.prefix}:tl:audit:v`;
      for await (const batch of redis.hashEntries(key)) {
        for (const { field, value } of batch) {
          const { entry, changed } = upgradeReason(JSON.parse(value) as EntryWithReason);
          if (changed) await redis.setHashEntry(key, field, JSON.stringify(entry));
        }
      }
    },
  },
  {
    version: 3,
    what: 'Redis keys start with the prefix in braces ({wco}:…), one hash tag, so a Redis Cluster or a proxy accepts the scripts',
    sqlite() {},
    async redis(redis) {
      await redis.moveUnderHashTag();
    },
  },
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));
