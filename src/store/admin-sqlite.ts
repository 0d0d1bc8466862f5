import type { DatabaseSync } from 'node:sqlite';
import { loadSqlite } from './load-sqlite.js';
import type { Migration, StoreAdmin, StoreMeta } from './types.js';

/**
 * Takes the lock of the SQLite store at `file`: a small database beside it (`<file>.lock`) held in an exclusive
 * transaction. The OS drops the lock when the process ends however it ends, so a crash leaves nothing stale; another
 * process (or another connection of this one) gets none until then.
 * @returns the held lock, or undefined when another holds it.
 */
export function acquireFileLock(file: string): DatabaseSync | undefined {
  const { DatabaseSync } = loadSqlite();
  const db = new DatabaseSync(`${file}.lock`);
  try {
    db.exec('PRAGMA busy_timeout = 0');
    db.exec('PRAGMA locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    return db;
  } catch {
    db.close();
    return undefined;
  }
}

/** Lets a lock from {@link acquireFileLock} go. */
export function releaseFileLock(lock: DatabaseSync): void {
  try {
    lock.exec('ROLLBACK');
  } catch {
    // nothing was begun, or the database is gone: closing lets the lock go either way
  }
  lock.close();
}

/** The tables of the bot's data; `meta` (the store's record of itself) is not data. */
const DATA_TABLES = ['kv', 'claims', 'inbox', 'timeline'] as const;

function tableExists(db: DatabaseSync, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

/**
 * A SQLite store's administration: the schema version is the database's `user_version`, the store's record of itself
 * the `meta` table (made by migration 1), and each migration runs in the transaction that records its version.
 */
export function sqliteAdmin(db: DatabaseSync, file?: string): StoreAdmin {
  const version = () => (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
  let held: DatabaseSync | undefined;
  return {
    async claimCorp(corp: string) {
      db.prepare("INSERT INTO meta(key, value) VALUES ('corp', ?) ON CONFLICT(key) DO NOTHING").run(corp);
      return (db.prepare("SELECT value FROM meta WHERE key = 'corp'").get() as { value: string }).value;
    },
    async lock() {
      if (!file || held) return true;
      held = acquireFileLock(file);
      return held !== undefined;
    },
    async unlock() {
      if (held) releaseFileLock(held);
      held = undefined;
    },
    async schemaVersion() {
      return version();
    },
    async migrate(migrations: readonly Migration[]) {
      const from = version();
      for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
        if (migration.version <= version()) continue;
        db.exec('BEGIN IMMEDIATE');
        try {
          migration.sqlite(db);
          db.exec(`PRAGMA user_version = ${Math.trunc(migration.version)}`);
          db.exec('COMMIT');
        } catch (err) {
          db.exec('ROLLBACK');
          throw err;
        }
      }
      return { from, to: version() };
    },
    async readMeta() {
      if (!tableExists(db, 'meta')) return {};
      const rows = db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[];
      return Object.fromEntries(rows.map((r) => [r.key, r.value])) as StoreMeta;
    },
    async writeMeta(meta: StoreMeta) {
      const set = db.prepare('INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
      const remove = db.prepare('DELETE FROM meta WHERE key = ?');
      for (const [key, value] of Object.entries(meta)) {
        if (value === undefined) continue;
        if (value === '') remove.run(key);
        else set.run(key, value);
      }
    },
    async isEmpty() {
      return DATA_TABLES.every((table) => !tableExists(db, table) || db.prepare(`SELECT 1 FROM ${table} LIMIT 1`).get() === undefined);
    },
    async wipe() {
      db.exec('BEGIN IMMEDIATE');
      try {
        for (const table of [...DATA_TABLES, 'meta']) if (tableExists(db, table)) db.exec(`DELETE FROM ${table}`);
        db.exec('COMMIT');
      } catch (err) {
        db.exec('ROLLBACK');
        throw err;
      }
    },
  };
}
