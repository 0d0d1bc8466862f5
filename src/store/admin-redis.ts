import type { RedisConnection } from './redis-connection.js';
import { globLiteral, type RedisKeys } from './redis-keys.js';
import type { Migration, StoreAdmin, StoreMeta } from './types.js';

/**
 * A Redis store's administration: the schema version is `{prefix}:schema`, the store's record of itself the hash
 * `{prefix}:meta`; the bot's data is every key under `{prefix}.` (namespaces) and `{prefix}:` (inbox, claims, logs).
 * See {@link RedisKeys} for the braces, and for stores written before them.
 */
export function redisAdmin(redis: RedisConnection, names: RedisKeys): StoreAdmin {
  const client = redis.commands;
  const version = async () => Number((await client.get(names.schema)) ?? 0) || 0;
  const keys = async (pattern: string, max = Number.POSITIVE_INFINITY, base = names.base): Promise<string[]> => {
    const found: string[] = [];
    const own = new Set([`${base}:schema`, `${base}:meta`]);
    for await (const batch of redis.scan(`${globLiteral(base)}${pattern}`)) {
      for (const key of batch) {
        if (own.has(key)) continue;
        found.push(key);
        if (found.length >= max) return found;
      }
    }
    return found;
  };
  const moveUnderHashTag = async () => {
    const from = names.legacyBase;
    const to = names.taggedBase;
    // Schema and meta last: a start that stops halfway still finds the store under its old names, and moves the rest.
    const all = [...(await keys('.*', undefined, from)), ...(await keys(':*', undefined, from)), `${from}:meta`, `${from}:schema`];
    for (const key of all) {
      // Another instance starting at the same time may have moved it already.
      await client.rename(key, to + key.slice(from.length)).catch((err: Error) => {
        if (!/no such key/i.test(err.message)) throw err;
      });
    }
    names.leaveLegacy();
  };
  return {
    async claimCorp(corp: string) {
      await client.hSetNX(names.meta, 'corp', corp);
      return String((await client.hGet(names.meta, 'corp')) ?? corp);
    },
    // Several instances share a Redis store by design: nothing to lock.
    async lock() {
      return true;
    },
    async unlock() {},
    schemaVersion: version,
    async migrate(migrations: readonly Migration[]) {
      const from = await version();
      for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
        if (migration.version <= (await version())) continue;
        await migration.redis({
          prefix: names.base,
          keys: (pattern) => keys(pattern),
          hashEntries: (key) => redis.hashEntries(key),
          setHashEntry: async (key, field, value) => {
            if (await client.hExists(key, field)) await client.hSet(key, field, value);
          },
          moveUnderHashTag: () => (names.isLegacy ? moveUnderHashTag() : Promise.resolve()),
        });
        await client.set(names.schema, String(Math.trunc(migration.version)));
      }
      return { from, to: await version() };
    },
    async readMeta() {
      return ((await client.hGetAll(names.meta)) ?? {}) as StoreMeta;
    },
    async writeMeta(meta: StoreMeta) {
      for (const [field, value] of Object.entries(meta)) {
        if (value === undefined) continue;
        if (value === '') await client.hDel(names.meta, field);
        else await client.hSet(names.meta, field, value);
      }
    },
    async isEmpty() {
      return (await keys('.*', 1)).length === 0 && (await keys(':*', 1)).length === 0;
    },
    async wipe() {
      const all = [...(await keys('.*')), ...(await keys(':*')), names.schema, names.meta];
      for (let i = 0; i < all.length; i += 500) await client.del(all.slice(i, i + 500));
    },
  };
}
