import { createMemoryStore } from './memory.js';
import { createSqliteStore } from './sqlite.js';
import type { Store, StoreOptions } from './types.js';

export type { EnqueueOutcome, Inbox, InboxEntry, Migration, Namespace, NamespaceKey, Store, StoreAdmin, StoreMeta, StoreOptions, Timeline } from './types.js';
export { defineNamespace, DEFAULT_KEY_PREFIX } from './types.js';
export { createMemoryStore } from './memory.js';
export { isStoreFailure, STORE_RETRY_MS } from './failure.js';
export {
  assessStore,
  prepareStore,
  releaseStore,
  StoreRefused,
  type PreparedStore,
  type RefusalReason,
  type StoreAssessment,
  type StoreClaim,
} from './identity.js';
export { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';

/**
 * Creates the store named by `STORE_URL`: `sqlite://<path>` (built-in `node:sqlite`, folder created),
 * `redis://…` (errors surface as exceptions, never as silent misses), or `memory://`.
 */
export async function createStore(url: string, options: StoreOptions = {}): Promise<Store> {
  if (url.startsWith('sqlite://')) {
    return createSqliteStore(url.slice('sqlite://'.length));
  }
  if (url.startsWith('redis://') || url.startsWith('rediss://')) {
    // Loaded only when asked for: the Redis client is the largest module the bot has, and most installs run on SQLite.
    const { createRedisStore } = await import('./redis.js');
    return createRedisStore(url, options.prefix);
  }
  if (url === 'memory://') {
    return createMemoryStore();
  }
  throw new Error(`unsupported STORE_URL scheme: ${url.replace(/:\/\/.*/, '://…')}`);
}
