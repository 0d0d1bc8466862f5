import Keyv from 'keyv';
import KeyvRedis from '@keyv/redis';
import { RedisInbox } from './inbox-redis.js';
import { redisTimeline } from './timeline-redis.js';
import { redisAdmin } from './admin-redis.js';
import { connectRedis, type RedisConnection } from './redis-connection.js';
import { globLiteral, RedisKeys } from './redis-keys.js';
import { DEFAULT_KEY_PREFIX, NamespaceOwners, type Namespace, type NamespaceKey, type Store } from './types.js';

/**
 * A {@link Namespace} over a Keyv instance (asked for at each operation: a migration renames the keys once), its
 * entries found by `scan` (SCAN with a COUNT of hundreds: Keyv's own iterator asks ten keys a round trip, and a SCAN
 * walks the whole database however few keys match).
 */
export function wrapKeyv<V>(kv: () => Keyv<V>, scan: (match: string) => AsyncIterable<string[]>): Namespace<V> {
  return {
    get: (key) => kv().get(key) as Promise<V | undefined>,
    set: async (key, value, ttlMs) => {
      await kv().set(key, value, ttlMs);
    },
    delete: (key) => kv().delete(key),
    entries: () => iterate(kv(), scan),
  };
}

/** The keys are `<namespace>::<key>` (Keyv's separator); a value gone meanwhile (expired, deleted) is left out. */
async function* iterate<V>(kv: Keyv<V>, scan: (match: string) => AsyncIterable<string[]>): AsyncGenerator<[string, V]> {
  const prefix = `${kv.namespace}::`;
  for await (const batch of scan(`${globLiteral(prefix)}*`)) {
    const keys = batch.map((full) => full.slice(prefix.length));
    const values = (await kv.getMany(keys)) as (V | undefined)[];
    for (const [i, key] of keys.entries()) if (values[i] !== undefined) yield [key, values[i]!];
  }
}

/**
 * Redis, one server or a cluster: namespaces through Keyv on one shared client; errors surface as exceptions, never as
 * silent misses. Every key starts with `{prefix}` (STORE_PREFIX, one hash tag; see {@link RedisKeys}), so several
 * deployments can share one Redis and a cluster keeps each deployment's keys in one slot.
 */
export async function createRedisStore(url: string, prefix: string = DEFAULT_KEY_PREFIX): Promise<Store> {
  const redis = await connectRedis(url);
  const client = redis.commands;
  const names = new RedisKeys(prefix, !redis.cluster && (await writtenBeforeHashTag(redis, prefix)));
  // Each namespace's Keyv adapter listens on the one shared client: more namespaces than Node's default warning limit.
  client.setMaxListeners(100);
  const spaces = new Map<string, Keyv>();
  const owners = new NamespaceOwners();
  // Keyed by the whole namespace: once the migration renames the keys, the next operation opens them under the new name.
  const open = (name: string): Keyv => {
    const full = names.namespace(name);
    let kv = spaces.get(full);
    if (!kv) {
      const adapter = new KeyvRedis(client, { throwOnErrors: true, throwOnConnectError: true, connectionTimeout: 2000 });
      kv = new Keyv({ store: adapter, namespace: full, throwOnErrors: true, useKeyPrefix: false });
      kv.on('error', () => undefined);
      spaces.set(full, kv);
    }
    return kv;
  };
  return {
    kind: 'redis',
    inbox: new RedisInbox(
      client,
      (match) => redis.scan(match),
      () => names.inbox,
    ),
    timeline: (name) => redisTimeline(client, () => names.timeline(name)),
    ping: () => redis.ping(names.schema),
    namespace: <V>(key: NamespaceKey<V>) => {
      owners.check(key);
      return wrapKeyv<V>(
        () => open(key.name) as Keyv<V>,
        (match) => redis.scan(match),
      );
    },
    admin: redisAdmin(redis, names),
    async claim(key, ttlMs) {
      const result = await client.set(names.claim(key), '1', { NX: true, PX: Math.max(1, Math.round(ttlMs)) });
      return result === 'OK';
    },
    async claimFor(key, holder, ttlMs) {
      const won = await client.set(names.claim(key), holder, { NX: true, PX: Math.max(1, Math.round(ttlMs)) });
      if (won === 'OK') return holder;
      return String((await client.get(names.claim(key))) ?? '');
    },
    async renewFor(key, holder, ttlMs) {
      const renewed = await client.eval(RENEW_SCRIPT, { keys: [names.claim(key)], arguments: [holder, String(Math.max(1, Math.round(ttlMs)))] });
      return Number(renewed) === 1;
    },
    async release(key) {
      await client.del(names.claim(key));
    },
    async close() {
      spaces.clear();
      await redis.close();
    },
  };
}

/** Extends a claim held by ARGV[1] to ARGV[2] ms, in one step (a claim that lapsed between a GET and a PEXPIRE is not revived). */
const RENEW_SCRIPT = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end";

/** Whether the store under `prefix` was written before its keys had the hash tag (schema 2 and older). */
async function writtenBeforeHashTag(redis: RedisConnection, prefix: string): Promise<boolean> {
  const tagged = new RedisKeys(prefix);
  if ((await redis.commands.exists(tagged.schema)) === 1) return false;
  if ((await redis.commands.exists([`${prefix}:schema`, `${prefix}:meta`])) > 0) return true;
  for (const pattern of ['.*', ':*']) {
    for await (const batch of redis.scan(`${globLiteral(prefix)}${pattern}`)) if (batch.length > 0) return true;
  }
  return false;
}
