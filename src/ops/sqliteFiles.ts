import { chmodSync, copyFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { acquireFileLock, releaseFileLock } from '../store/admin-sqlite.js';
import { openSqliteDatabase } from '../store/sqlite.js';

/** What a SQLite store file holds, read without changing it. */
export interface SqliteFileFacts {
  /** The process recorded as using it (`pid@host`), if any. */
  process: string | undefined;
  /** `ok`, or what SQLite's integrity check found. */
  integrity: string;
  schema: number;
  corp: string | undefined;
  /** Records of the bot's data (values, inbox entries, log entries). */
  records: number;
  bytes: number;
}

/** Why a store file cannot be used, as a key the tools put in words (`ops.store.file.<reason>`). */
export class StoreFileError extends Error {
  constructor(
    readonly reason: 'missing' | 'notStore' | 'exists' | 'noStore' | 'unreadable',
    readonly file: string,
    detail = '',
  ) {
    super(`${file}: ${reason}${detail ? ` (${detail})` : ''}`);
    this.name = 'StoreFileError';
  }
}

/** The file behind a `sqlite://<path>` URL. */
export function sqlitePath(url: string): string {
  return resolve(url.slice('sqlite://'.length));
}

function facts(db: DatabaseSync, file: string): SqliteFileFacts {
  const integrity = (db.prepare('PRAGMA integrity_check').all() as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
  const schema = (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
  const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name));
  const meta = (key: string) =>
    tables.has('meta') ? (db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value : undefined;
  let records = 0;
  for (const table of ['kv', 'inbox', 'timeline']) {
    if (tables.has(table)) records += (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  }
  return { integrity, schema, corp: meta('corp'), process: meta('process'), records, bytes: statSync(file).size };
}

/**
 * Reads what a file holds, without writing to it.
 * @throws StoreFileError when there is no file, or it is no store of the bot's (not SQLite, no `kv` table).
 */
export function readSqliteFile(file: string): SqliteFileFacts {
  if (!existsSync(file)) throw new StoreFileError('missing', file);
  let db: DatabaseSync;
  try {
    db = openSqliteDatabase(file, { readOnly: true });
  } catch (err) {
    throw new StoreFileError('unreadable', file, (err as Error).message);
  }
  try {
    const isStore = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'kv'").get() !== undefined;
    if (!isStore) throw new StoreFileError('notStore', file);
    return facts(db, file);
  } catch (err) {
    if (err instanceof StoreFileError) throw err;
    throw new StoreFileError('notStore', file, (err as Error).message);
  } finally {
    db.close();
  }
}

/**
 * A consistent copy of the store at `path` in `file` while the bot may be writing: `VACUUM INTO` reads one snapshot
 * of the database (committed transactions only, the WAL included) and writes it compacted. The copy keeps no access
 * token (a backup lies around longer than a token lives, and anyone who reads it could use one) and only its owner may
 * read it.
 * @throws StoreFileError when there is no store, or `file` exists already (a backup never overwrites).
 */
export function backupSqlite(path: string, file: string): SqliteFileFacts {
  if (!existsSync(path)) throw new StoreFileError('noStore', path);
  if (existsSync(file)) throw new StoreFileError('exists', file);
  mkdirSync(dirname(file), { recursive: true });
  const db = openSqliteDatabase(path);
  try {
    db.prepare('VACUUM INTO ?').run(file);
  } finally {
    db.close();
  }
  chmodSync(file, 0o600);
  const copy = openSqliteDatabase(file);
  try {
    copy.exec('PRAGMA journal_mode = DELETE');
    copy.prepare("DELETE FROM kv WHERE ns = 'tokens'").run();
  } finally {
    copy.close();
  }
  return readSqliteFile(file);
}

/**
 * Takes the store's lock for the length of `work` (the bot holds it while it runs: a restore or a reset never happens
 * under it); resolves with undefined when another process holds it.
 */
export async function whileLocked<T>(path: string, work: () => T | Promise<T>): Promise<{ done: T } | undefined> {
  mkdirSync(dirname(path), { recursive: true });
  const lock = acquireFileLock(path);
  if (!lock) return undefined;
  try {
    return { done: await work() };
  } finally {
    releaseFileLock(lock);
  }
}

/** Folds the write-ahead log into the database file, so the file alone is the whole store. */
function checkpoint(path: string): void {
  const db = openSqliteDatabase(path);
  try {
    const { busy } = db.prepare('PRAGMA wal_checkpoint(TRUNCATE)').get() as { busy: number };
    if (busy !== 0) throw new Error(`the write-ahead log of ${path} could not be folded in: something still writes to it`);
  } finally {
    db.close();
  }
}

function removeWithLog(path: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
}

/**
 * Puts the store at `path` aside as `<path>.<label>-<time>` (the log folded in), so nothing is lost by a restore or a
 * reset; resolves with where it went, or undefined when there was no store. Call it under {@link whileLocked}.
 */
export function setAside(path: string, label: string, now = new Date()): string | undefined {
  if (!existsSync(path)) return undefined;
  checkpoint(path);
  const aside = `${path}.${label}-${now.toISOString().replace(/[:.]/g, '-')}`;
  renameSync(path, aside);
  removeWithLog(path);
  return aside;
}

/** How long the callbacks a restore sets aside stay known as handled (WeCom's retries of them are then duplicates). */
const SET_ASIDE_DEDUP_MS = 24 * 3600_000;

/** What a restore found in the backup that is not to run again. */
export interface RestoreNotes {
  /** Callbacks that waited in the inbox when the backup was taken. */
  callbacks: number;
  /** Long tasks that were running then: `type` started by `user`. */
  jobs: { type: string; user: string }[];
}

/**
 * Replaces the store at `path` with the backup `file`, in the order that cannot leave the path empty: the copy is
 * made and readied beside it (`<path>.restoring`), then the old store is put aside, then the copy takes its place. What
 * the backup held as work in progress is not run again: its callbacks are hours old and its long tasks had gone on
 * after the backup (a transfer would be repeated); callbacks stay known as handled, tasks are marked as stopped by the
 * restore. Call it under {@link whileLocked}.
 * @returns what was set aside, and where the old store went.
 */
export function restoreSqlite(file: string, path: string): RestoreNotes & { aside: string | undefined } {
  mkdirSync(dirname(path), { recursive: true });
  const incoming = `${path}.restoring`;
  removeWithLog(incoming);
  copyFileSync(file, incoming);
  const notes: RestoreNotes = { callbacks: 0, jobs: [] };
  const db = openSqliteDatabase(incoming);
  try {
    const has = (table: string) => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;
    db.exec('BEGIN IMMEDIATE');
    if (has('inbox')) {
      notes.callbacks = Number(
        db.prepare('UPDATE inbox SET state = 2, payload = NULL, expires = ? WHERE state != 2').run(Date.now() + SET_ASIDE_DEDUP_MS).changes,
      );
    }
    const running = db.prepare("SELECT key, value FROM kv WHERE ns = 'jobs'").all() as { key: string; value: string }[];
    const stop = db.prepare("UPDATE kv SET value = ?, expires = ? WHERE ns = 'jobs' AND key = ?");
    for (const row of running) {
      const job = JSON.parse(row.value) as { status?: string; type?: string; user?: string; stoppedBy?: string };
      if (job.status !== 'running') continue;
      notes.jobs.push({ type: job.type ?? '?', user: job.user ?? '?' });
      stop.run(JSON.stringify({ ...job, status: 'failed', stoppedBy: 'restore', leaseUntil: 0 }), Date.now() + 7 * 24 * 3600_000, row.key);
    }
    // Short-lived guards of the past (a job's one-per-member claim, decided proposals, alert windows) would hold up the
    // work that starts again after the restore.
    if (has('claims')) db.exec('DELETE FROM claims');
    db.exec('COMMIT');
    db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    db.exec('PRAGMA journal_mode = DELETE');
  } finally {
    db.close();
  }
  for (const suffix of ['-wal', '-shm']) rmSync(`${incoming}${suffix}`, { force: true });
  const aside = setAside(path, 'before-restore');
  renameSync(incoming, path);
  return { ...notes, aside };
}
