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
    return await createSqliteStore(url.slice('sqlite://'.length));
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

/** Memory: one process owns the data; claims live in a plain map. */
function createLocalStore(kind: 'memory', makeStore: () => object): Store {
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
  // One thread: a check and a set with no await between them are atomic.
  const claims = new Map<string, number>();
  let claimsSincePurge = 0;
  return {
    kind,
    namespace: <V>(name: NamespaceName) => wrap(open(name) as Keyv<V>),
    async claim(key, ttlMs) {
      const now = Date.now();
      if (++claimsSincePurge >= PURGE_EVERY) {
        claimsSincePurge = 0;
        for (const [k, expires] of claims) if (expires < now) claims.delete(k);
      }
      if ((claims.get(key) ?? 0) >= now) return false;
      claims.set(key, now + Math.max(1, ttlMs));
      return true;
    },
    async release(key) {
      claims.delete(key);
    },
    async close() {
      await Promise.all([...spaces.values()].map((kv) => kv.disconnect()));
      spaces.clear();
    },
  };
}

/**
 * Groups the claims that arrive while a write is in flight into the next single statement: one SQLite round trip for
 * a burst of callbacks instead of one each, and no added wait when idle. A key claimed twice in one batch is granted
 * to the first caller only.
 */
class ClaimBatcher {
  private pending: { key: string; ttlMs: number; resolve: (won: boolean) => void; reject: (err: unknown) => void }[] = [];
  private flushing = false;

  constructor(private readonly write: (batch: { key: string; ttlMs: number }[]) => Promise<Set<string>>) {}

  claim(key: string, ttlMs: number): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.pending.push({ key, ttlMs, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.pending.length > 0) {
      const taken = this.pending.splice(0, 400);
      const first = new Map<string, (typeof taken)[number]>();
      for (const c of taken) if (!first.has(c.key)) first.set(c.key, c);
      try {
        const won = await this.write([...first.values()]);
        for (const c of taken) c.resolve(first.get(c.key) === c && won.has(c.key));
      } catch (err) {
        for (const c of taken) c.reject(err);
      }
    }
    this.flushing = false;
  }
}

/** How often (in claims) expired claims are purged from SQLite, so the table stays as small as the TTL window. */
const PURGE_EVERY = 1000;

/**
 * SQLite: keyv namespaces for the data, and a small claims table written with one atomic statement
 * (`INSERT … ON CONFLICT DO UPDATE … WHERE expired … RETURNING`), safe even for processes sharing the file.
 * WAL with synchronous=NORMAL: a commit is one sequential append, not an fsync of the whole database.
 */
async function createSqliteStore(path: string): Promise<Store> {
  const file = resolve(path);
  mkdirSync(dirname(file), { recursive: true });
  const connect = () => new KeyvSqlite({ uri: `sqlite://${file}`, busyTimeout: 5000 });
  const claimsDb = connect();
  await claimsDb.query('PRAGMA journal_mode=WAL');
  await claimsDb.query('PRAGMA synchronous=NORMAL');
  await claimsDb.query('CREATE TABLE IF NOT EXISTS wco_claims(key TEXT PRIMARY KEY, expires INTEGER NOT NULL)');
  await claimsDb.query('CREATE INDEX IF NOT EXISTS wco_claims_expires ON wco_claims(expires)');
  const spaces = new Map<string, Keyv>();
  const open = (name: string): Keyv => {
    let kv = spaces.get(name);
    if (!kv) {
      // One adapter (and connection) per namespace: keyv sets the namespace on its adapter.
      const adapter = connect();
      void adapter.query('PRAGMA synchronous=NORMAL').catch(() => undefined);
      kv = new Keyv({ store: adapter, namespace: `${KEY_PREFIX}.${name}`, throwOnErrors: true });
      kv.on('error', () => undefined);
      spaces.set(name, kv);
    }
    return kv;
  };
  let claimsSincePurge = 0;
  const batcher = new ClaimBatcher(async (batch) => {
    const now = Date.now();
    claimsSincePurge += batch.length;
    if (claimsSincePurge >= PURGE_EVERY) {
      claimsSincePurge = 0;
      await claimsDb.query('DELETE FROM wco_claims WHERE expires < ?', now);
    }
    const rows = (await claimsDb.query(
      `INSERT INTO wco_claims(key, expires) VALUES ${batch.map(() => '(?, ?)').join(', ')} ` +
        'ON CONFLICT(key) DO UPDATE SET expires = excluded.expires WHERE wco_claims.expires < ? RETURNING key',
      ...batch.flatMap((c) => [c.key, now + c.ttlMs]),
      now,
    )) as { key: string }[];
    return new Set(rows.map((r) => r.key));
  });
  return {
    kind: 'sqlite',
    namespace: <V>(name: NamespaceName) => wrap(open(name) as Keyv<V>),
    claim: (key, ttlMs) => batcher.claim(key, Math.max(1, Math.round(ttlMs))),
    async release(key) {
      await claimsDb.query('DELETE FROM wco_claims WHERE key = ?', key);
    },
    async close() {
      await Promise.all([...spaces.values()].map((kv) => kv.disconnect()));
      spaces.clear();
      await claimsDb.disconnect();
    },
  };
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
