import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { sqliteAdmin } from './admin-sqlite.js';
import { loadSqlite } from './load-sqlite.js';
import { SqliteInbox } from './inbox-sqlite.js';
import { SqliteTimelines } from './timeline-sqlite.js';
import { NamespaceOwners, type Namespace, type NamespaceKey, type Store } from './types.js';

/** How often (in writes) expired rows are purged, so tables stay as small as their TTL windows. */
const PURGE_EVERY = 1000;

/**
 * Opens (creating it and its folder if needed) the SQLite file at `path`.
 * WAL with synchronous=NORMAL: a commit is one append to the log, durable against a process crash (the OS has the
 * page) though not against power loss before the next checkpoint.
 */
export function openSqliteDatabase(path: string, options: { readOnly?: boolean } = {}): DatabaseSync {
  const file = resolve(path);
  const folder = dirname(file);
  if (folder.startsWith('/proc/') || folder === '/proc' || folder.startsWith('/sys/') || folder === '/sys') {
    throw new Error(`STORE_URL: ${folder} is a kernel file system, not a place for a database file`);
  }
  const { DatabaseSync } = loadSqlite();
  if (options.readOnly) return new DatabaseSync(file, { readOnly: true });
  mkdirSync(folder, { recursive: true });
  const db = new DatabaseSync(file);
  db.exec('PRAGMA busy_timeout = 5000');
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = NORMAL');
  return db;
}

/** A database that lives in this process only (the `memory://` store). */
export function openInMemoryDatabase(): DatabaseSync {
  const { DatabaseSync } = loadSqlite();
  return new DatabaseSync(':memory:');
}

/** The tables every store database has: `kv` (namespaced JSON values, optional expiry) and `claims`. */
function createTables(db: DatabaseSync): void {
  db.exec(`CREATE TABLE IF NOT EXISTS kv (
    ns TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, expires INTEGER,
    PRIMARY KEY (ns, key)) WITHOUT ROWID`);
  db.exec('CREATE INDEX IF NOT EXISTS kv_expires ON kv(expires) WHERE expires IS NOT NULL');
  db.exec('CREATE TABLE IF NOT EXISTS claims (key TEXT PRIMARY KEY, expires INTEGER NOT NULL, holder TEXT) WITHOUT ROWID');
  db.exec('CREATE INDEX IF NOT EXISTS claims_expires ON claims(expires)');
}

/** Prepared statements of the key/value part, made once per database. */
class KvStatements {
  readonly get: StatementSync;
  readonly set: StatementSync;
  readonly delete: StatementSync;
  readonly list: StatementSync;
  readonly purge: StatementSync;
  readonly claimFor: StatementSync;
  readonly holder: StatementSync;
  readonly release: StatementSync;
  readonly renew: StatementSync;
  readonly purgeClaims: StatementSync;

  constructor(db: DatabaseSync) {
    this.get = db.prepare('SELECT value FROM kv WHERE ns = ? AND key = ? AND (expires IS NULL OR expires > ?)');
    this.set = db.prepare(
      'INSERT INTO kv(ns, key, value, expires) VALUES (?, ?, ?, ?) ' + 'ON CONFLICT(ns, key) DO UPDATE SET value = excluded.value, expires = excluded.expires',
    );
    this.delete = db.prepare('DELETE FROM kv WHERE ns = ? AND key = ? RETURNING expires');
    this.list = db.prepare('SELECT key, value FROM kv WHERE ns = ? AND (expires IS NULL OR expires > ?)');
    this.purge = db.prepare('DELETE FROM kv WHERE expires IS NOT NULL AND expires <= ?');
    this.claimFor = db.prepare(
      'INSERT INTO claims(key, expires, holder) VALUES (?, ?, ?) ' +
        'ON CONFLICT(key) DO UPDATE SET expires = excluded.expires, holder = excluded.holder WHERE claims.expires <= ?',
    );
    this.holder = db.prepare('SELECT holder FROM claims WHERE key = ?');
    this.release = db.prepare('DELETE FROM claims WHERE key = ?');
    this.renew = db.prepare('UPDATE claims SET expires = ? WHERE key = ? AND holder = ? AND expires > ?');
    this.purgeClaims = db.prepare('DELETE FROM claims WHERE expires <= ?');
  }
}

/**
 * The embedded store on the built-in `node:sqlite`: synchronous prepared statements (no native addon, no worker
 * thread), one connection. `path` is a file (the folder is created), or a database already open: `memory://` is
 * this same store on an in-memory database, so both keep exactly the same rules.
 */
export function createSqliteStore(path: string | DatabaseSync, kind: 'sqlite' | 'memory' = 'sqlite'): Store & { readonly db: DatabaseSync } {
  const db = typeof path === 'string' ? openSqliteDatabase(path) : path;
  createTables(db);
  const q = new KvStatements(db);
  const inbox = new SqliteInbox(db);
  const timelines = new SqliteTimelines(db);
  let writes = 0;
  let closed = false;
  const wrote = (now: number): void => {
    if (++writes % PURGE_EVERY !== 0) return;
    q.purge.run(now);
    q.purgeClaims.run(now);
  };
  const owners = new NamespaceOwners();
  const open = <V>(declared: NamespaceKey<V>): Namespace<V> => {
    owners.check(declared);
    return namespaceOn(declared.name);
  };
  const namespaceOn = <V>(name: string): Namespace<V> => ({
    async get(key) {
      const row = q.get.get(name, key, Date.now()) as { value: string } | undefined;
      return row ? (JSON.parse(row.value) as V) : undefined;
    },
    async set(key, value, ttlMs) {
      const now = Date.now();
      q.set.run(name, key, JSON.stringify(value), ttlMs === undefined ? null : now + Math.max(1, Math.round(ttlMs)));
      wrote(now);
    },
    async delete(key) {
      const row = q.delete.get(name, key) as { expires: number | null } | undefined;
      return row !== undefined && (row.expires === null || row.expires > Date.now());
    },
    async *entries() {
      // Read the whole namespace first: a caller may write between yields, which an open cursor must not see.
      const rows = q.list.all(name, Date.now()) as { key: string; value: string }[];
      for (const row of rows) yield [row.key, JSON.parse(row.value) as V];
    },
  });
  const ping = db.prepare('SELECT 1');
  const admin = sqliteAdmin(db, typeof path === 'string' ? resolve(path) : undefined);
  const claimFor = async (key: string, holder: string, ttlMs: number): Promise<string> => {
    const now = Date.now();
    q.claimFor.run(key, now + Math.max(1, Math.round(ttlMs)), holder, now);
    wrote(now);
    return (q.holder.get(key) as { holder: string | null } | undefined)?.holder ?? '';
  };
  return {
    kind,
    db,
    inbox,
    timeline: (name) => timelines.open(name),
    async ping() {
      ping.get();
    },
    admin,
    namespace: open,
    async claim(key, ttlMs) {
      const me = randomUUID();
      return (await claimFor(key, me, ttlMs)) === me;
    },
    claimFor,
    async renewFor(key, holder, ttlMs) {
      const now = Date.now();
      const changed = q.renew.run(now + Math.max(1, Math.round(ttlMs)), key, holder, now).changes;
      wrote(now);
      return Number(changed) > 0;
    },
    async release(key) {
      q.release.run(key);
    },
    async close() {
      if (closed) return;
      closed = true;
      inbox.flush();
      db.close();
      await admin.unlock();
    },
  };
}
