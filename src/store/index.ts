import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Keyv from 'keyv';
import KeyvSqlite from '@keyv/sqlite';
import KeyvRedis, { createClient } from '@keyv/redis';

/** The named areas of the store; every piece of state the bot keeps lives in one of them. */
export type NamespaceName =
  | 'tokens'
  | 'dedup'
  | 'claims'
  | 'pending'
  | 'audit'
  | 'prefs'
  | 'contact-ways'
  | 'welcome'
  | 'jobs'
  | 'transfers'
  | 'cache';

/** A key/value area of the store. Values are JSON-serialisable. */
export interface Namespace<V> {
  get(key: string): Promise<V | undefined>;
  /** Stores `value`; `ttlMs` makes it expire. */
  set(key: string, value: V, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<boolean>;
  /** Every live entry (order unspecified). */
  entries(): AsyncIterable<[string, V]>;
}

/** The bot's persistent state: named namespaces plus an atomic "first caller wins" primitive. */
export interface Store {
  readonly kind: 'sqlite' | 'redis' | 'memory';
  namespace<V>(name: NamespaceName): Namespace<V>;
  /**
   * Atomically records `key` for `ttlMs`; resolves true for the first caller only, across every process sharing
   * the store (Redis `SET NX`). Used for dedup keys and "execute once" guards.
   */
  claim(key: string, ttlMs: number): Promise<boolean>;
  /** Forgets a claim, so that a later `claim` of the same key succeeds again. */
  release(key: string): Promise<void>;
  close(): Promise<void>;
}

type RedisClient = ReturnType<typeof createClient>;

const KEY_PREFIX = 'wco';

/**
 * Creates the store named by `STORE_URL`: `sqlite://<path>` (folder created), `redis://…` (errors surface as
 * exceptions, never as silent misses), or `memory://`.
 */
export async function createStore(url: string): Promise<Store> {
  if (url.startsWith('sqlite://')) {
    return createSqliteStore(url.slice('sqlite://'.length));
  }
  if (url.startsWith('redis://') || url.startsWith('rediss://')) {
    return createRedisStore(url);
  }
  if (url === 'memory://') {
    return createMemoryStore();
  }
  throw new Error(`unsupported STORE_URL scheme: ${url.replace(/:\/\/.*/, '://…')}`);
}

/** An in-process store (nothing survives the process); synchronous to create. */
export function createMemoryStore(): Store {
  return createLocalStore('memory', () => new Map<string, unknown>());
}

function wrap<V>(kv: Keyv<V>): Namespace<V> {
  return {
    get: (key) => kv.get(key) as Promise<V | undefined>,
    set: async (key, value, ttlMs) => {
      await kv.set(key, value, ttlMs);
    },
    delete: (key) => kv.delete(key),
    entries: () => iterate(kv),
  };
}

async function* iterate<V>(kv: Keyv<V>): AsyncGenerator<[string, V]> {
  if (!kv.iterator) return;
  for await (const [key, value] of kv.iterator(undefined) as AsyncIterable<[string, V]>) {
    if (value !== undefined) yield [key, value];
  }
}

/** SQLite and memory: one process owns the data, so claims are made atomic with an in-process lock. */
function createLocalStore(kind: 'sqlite' | 'memory', makeStore: () => object): Store {
  const spaces = new Map<string, Keyv>();
  const open = (name: string): Keyv => {
    let kv = spaces.get(name);
    if (!kv) {
      kv = new Keyv({ store: makeStore() as Map<string, unknown>, namespace: `${KEY_PREFIX}.${name}`, throwOnErrors: true });
      kv.on('error', () => undefined);
      spaces.set(name, kv);
    }
    return kv;
  };
  const claims = (): Keyv => open('claims');
  let lock: Promise<unknown> = Promise.resolve();
  return {
    kind,
    namespace: <V>(name: NamespaceName) => wrap(open(name) as Keyv<V>),
    claim(key, ttlMs) {
      const attempt = lock.then(async () => {
        if ((await claims().get(key)) !== undefined) return false;
        await claims().set(key, 1, ttlMs);
        return true;
      });
      lock = attempt.catch(() => undefined);
      return attempt;
    },
    async release(key) {
      await claims().delete(key);
    },
    async close() {
      await Promise.all([...spaces.values()].map((kv) => kv.disconnect()));
      spaces.clear();
    },
  };
}

function createSqliteStore(path: string): Store {
  const file = resolve(path);
  mkdirSync(dirname(file), { recursive: true });
  // One adapter (and SQLite connection) per namespace: keyv sets the namespace on its adapter.
  return createLocalStore('sqlite', () => new KeyvSqlite({ uri: `sqlite://${file}`, busyTimeout: 5000 }));
}

async function createRedisStore(url: string): Promise<Store> {
  let connectedOnce = false;
  const client: RedisClient = createClient({
    url,
    socket: {
      connectTimeout: 2000,
      // At start an unreachable Redis is an error (the process must not come up half-working); later, keep trying.
      reconnectStrategy: (retries: number, cause: Error) =>
        !connectedOnce && retries >= 2 ? cause : Math.min(100 * 2 ** retries, 2000),
    },
  });
  client.on('error', () => undefined); // surfaced per operation (throwOnErrors), not as a process crash
  await client.connect();
  connectedOnce = true;
  const spaces = new Map<string, Keyv>();
  const open = (name: string): Keyv => {
    let kv = spaces.get(name);
    if (!kv) {
      const adapter = new KeyvRedis(client, { throwOnErrors: true, throwOnConnectError: true, connectionTimeout: 2000 });
      kv = new Keyv({ store: adapter, namespace: `${KEY_PREFIX}.${name}`, throwOnErrors: true, useKeyPrefix: false });
      kv.on('error', () => undefined);
      spaces.set(name, kv);
    }
    return kv;
  };
  const claimKey = (key: string) => `${KEY_PREFIX}:claim:${key}`;
  return {
    kind: 'redis',
    namespace: <V>(name: NamespaceName) => wrap(open(name) as Keyv<V>),
    async claim(key, ttlMs) {
      const result = await client.set(claimKey(key), '1', { NX: true, PX: Math.max(1, Math.round(ttlMs)) });
      return result === 'OK';
    },
    async release(key) {
      await client.del(claimKey(key));
    },
    async close() {
      spaces.clear();
      if (client.isOpen) await client.quit();
    },
  };
}
