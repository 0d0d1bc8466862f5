/** Work that met a store failure (a write it could not record, a delivery it could not finish) runs again after this long. */
export const STORE_RETRY_MS = 5_000;

/** SQLite's primary result codes that mean the database cannot be used now, not that a statement is wrong. */
const SQLITE_UNAVAILABLE: ReadonlySet<number> = new Set([
  5, // SQLITE_BUSY
  6, // SQLITE_LOCKED
  8, // SQLITE_READONLY
  10, // SQLITE_IOERR
  13, // SQLITE_FULL: the disk is full
  14, // SQLITE_CANTOPEN
]);

/** What a Redis client throws while it is not connected. */
const REDIS_UNAVAILABLE: ReadonlySet<string> = new Set(['ClientClosedError', 'ConnectionTimeoutError', 'SocketClosedUnexpectedlyError', 'ClientOfflineError']);

/**
 * True when `err` says the store cannot record anything now (a full disk, an I/O error, a Redis that is down), as
 * opposed to a bug: work that met it did not happen as far as the store knows, and is run again later rather than
 * answered with an error and marked done.
 */
export function isStoreFailure(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, errcode, name, message } = err as { code?: string; errcode?: number; name?: string; message?: string };
  if (code === 'ERR_SQLITE_ERROR' && typeof errcode === 'number') return SQLITE_UNAVAILABLE.has(errcode & 0xff);
  if (name && REDIS_UNAVAILABLE.has(name)) return true;
  return code === 'ECONNREFUSED' || message === 'redis: not connected' || message === 'the store is closed';
}
