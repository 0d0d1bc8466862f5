import { copyFileSync, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
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
 * Reads what a file holds, or explains why it is no store of the bot's (not SQLite, no `kv` table).
 * @throws Error with a short reason.
 */
export function readSqliteFile(file: string): SqliteFileFacts {
  if (!existsSync(file)) throw new Error('not found');
  const db = openSqliteDatabase(file, { readOnly: true });
  try {
    const isStore = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'kv'").get() !== undefined;
    if (!isStore) throw new Error('not a store of this bot (no kv table)');
    return facts(db, file);
  } finally {
    db.close();
  }
}

/**
 * A consistent copy of the store at `path` in `file` while the bot may be writing: `VACUUM INTO` reads one snapshot
 * of the database (committed transactions only, the WAL included) and writes it compacted.
 * @throws Error when `file` exists already (a backup never overwrites).
 */
export function backupSqlite(path: string, file: string): SqliteFileFacts {
  if (!existsSync(path)) throw new Error(`there is no store at ${path}`);
  if (existsSync(file)) throw new Error(`${file} exists already`);
  const db = openSqliteDatabase(path);
  try {
    db.prepare('VACUUM INTO ?').run(file);
  } finally {
    db.close();
  }
  return readSqliteFile(file);
}

/** Folds the write-ahead log into the database file, so the file alone is the whole store. */
function checkpoint(path: string): void {
  const db = openSqliteDatabase(path);
  try {
    db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}

function removeWithLog(path: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
}

/**
 * Puts the store at `path` aside as `<path>.<label>-<time>` (the log folded in), so nothing is lost by a restore or a
 * reset; resolves with where it went, or undefined when there was no store.
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

/**
 * Replaces the store at `path` with a copy of `file` (written beside it, then renamed into place). Callbacks that
 * waited in the inbox when the backup was taken are not run again: they are hours old, and the bot that went on after
 * the backup may have run them already (a transfer would be repeated). They stay known as handled.
 * @returns how many waiting callbacks were set aside.
 */
export function restoreSqlite(file: string, path: string): number {
  const incoming = `${path}.restoring`;
  copyFileSync(file, incoming);
  const db = openSqliteDatabase(incoming);
  let setAsideCount = 0;
  try {
    const hasInbox = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'inbox'").get() !== undefined;
    if (hasInbox) {
      setAsideCount = Number(
        db.prepare('UPDATE inbox SET state = 2, payload = NULL, expires = ? WHERE state != 2').run(Date.now() + SET_ASIDE_DEDUP_MS).changes,
      );
    }
    db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
  removeWithLog(path);
  for (const suffix of ['-wal', '-shm']) rmSync(`${incoming}${suffix}`, { force: true });
  renameSync(incoming, path);
  return setAsideCount;
}
