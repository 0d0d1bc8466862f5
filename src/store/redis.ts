import Keyv from 'keyv';
import KeyvRedis, { createClient } from '@keyv/redis';
import { RedisInbox } from './inbox-redis.js';
import { redisTimeline } from './timeline-redis.js';
import { redisAdmin, type RedisAdminClient } from './admin-redis.js';
import { DEFAULT_KEY_PREFIX, NamespaceOwners, type Namespace, type NamespaceKey, type Store } from './types.js';

type RedisClient = ReturnType<typeof createClient>;

/** A {@link Namespace} over one Keyv instance. */
export function wrapKeyv<V>(kv: Keyv<V>): Namespace<V> {
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

/**
 * How long one Redis command may take. While Redis is unreachable a command fails at once (no offline queue) or
 * after this, never waits for a reconnect: a callback must be answered (503, so WeCom retries) well within the 5 s
 * WeCom waits.
 */
export const REDIS_COMMAND_TIMEOUT_MS = 1000;

/**
 * Redis: namespaces through Keyv on one shared client; errors surface as exceptions, never as silent misses. Every key
 * starts with `prefix` (STORE_PREFIX), so several deployments can share one Redis.
 */
export async function createRedisStore(url: string, prefix: string = DEFAULT_KEY_PREFIX): Promise<Store> {
  const KEY_PREFIX = prefix;
  let connectedOnce = false;
  const client: RedisClient = createClient({
    url,
    disableOfflineQueue: true,
    commandOptions: { timeout: REDIS_COMMAND_TIMEOUT_MS },
    socket: {
      connectTimeout: 2000,
      // At start an unreachable Redis is an error (the process must not come up half-working); later, keep trying.
      reconnectStrategy: (retries: number, cause: Error) => (!connectedOnce && retries >= 2 ? cause : Math.min(100 * 2 ** retries, 2000)),
    },
  });
  client.on('error', () => undefined); // surfaced per operation (throwOnErrors), not as a process crash
  // Each namespace's Keyv adapter listens on the one shared client: more namespaces than Node's default warning limit.
  client.setMaxListeners(100);
  await client.connect();
  connectedOnce = true;
  const spaces = new Map<string, Keyv>();
  const owners = new NamespaceOwners();
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
    inbox: new RedisInbox(client, `${KEY_PREFIX}:inbox:`),
    timeline: (name) => redisTimeline(client, `${KEY_PREFIX}:tl:${name}`),
    async ping() {
      if (!client.isReady) throw new Error('redis: not connected');
      await client.ping();
    },
    namespace: <V>(key: NamespaceKey<V>) => {
      owners.check(key);
      return wrapKeyv(open(key.name) as Keyv<V>);
    },
    admin: redisAdmin(client as unknown as RedisAdminClient, KEY_PREFIX),
    async claim(key, ttlMs) {
      const result = await client.set(claimKey(key), '1', { NX: true, PX: Math.max(1, Math.round(ttlMs)) });
      return result === 'OK';
    },
    async claimFor(key, holder, ttlMs) {
      const won = await client.set(claimKey(key), holder, { NX: true, PX: Math.max(1, Math.round(ttlMs)) });
      if (won === 'OK') return holder;
      return (await client.get(claimKey(key))) ?? '';
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
