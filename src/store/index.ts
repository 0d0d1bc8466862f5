import { createMemoryStore } from './memory.js';
import { createSqliteStore } from './sqlite.js';
import type { Store } from './types.js';

export type { EnqueueOutcome, Inbox, InboxEntry, Namespace, NamespaceKey, Store, Timeline } from './types.js';
export { defineNamespace } from './types.js';
export { createMemoryStore } from './memory.js';

/**
 * Creates the store named by `STORE_URL`: `sqlite://<path>` (built-in `node:sqlite`, folder created),
 * `redis://…` (errors surface as exceptions, never as silent misses), or `memory://`.
 */
export async function createStore(url: string): Promise<Store> {
  if (url.startsWith('sqlite://')) {
    return createSqliteStore(url.slice('sqlite://'.length));
  }
  if (url.startsWith('redis://') || url.startsWith('rediss://')) {
    // Loaded only when asked for: the Redis client is the largest module the bot has, and most installs run on SQLite.
    const { createRedisStore } = await import('./redis.js');
    return createRedisStore(url);
  }
  if (url === 'memory://') {
    return createMemoryStore();
  }
  throw new Error(`unsupported STORE_URL scheme: ${url.replace(/:\/\/.*/, '://…')}`);
}
