import { createSqliteStore, openInMemoryDatabase } from './sqlite.js';
import type { Store } from './types.js';

/**
 * An in-process store (nothing survives the process); synchronous to create. It is the SQLite store on an
 * in-memory database, so namespaces, claims, the inbox and timelines follow the same rules as on disk.
 */
export function createMemoryStore(): Store {
  return createSqliteStore(openInMemoryDatabase(), 'memory');
}
