import type { Migration, StoreAdmin, StoreMeta } from './types.js';

/** The Redis commands the administration uses (any node-redis client has them). */
export interface RedisAdminClient {
  get(key: string): Promise<string | null | unknown>;
  set(key: string, value: string): Promise<unknown>;
  hGetAll(key: string): Promise<Record<string, string> | unknown>;
  hSet(key: string, field: string, value: string): Promise<unknown>;
  hSetNX(key: string, field: string, value: string): Promise<unknown>;
  hGet(key: string, field: string): Promise<string | null | unknown>;
  hExists(key: string, field: string): Promise<boolean | number | unknown>;
  hDel(key: string, field: string): Promise<unknown>;
  del(keys: string[]): Promise<unknown>;
  scanIterator(options: { MATCH: string; COUNT: number }): AsyncIterable<string | string[]>;
  hScanIterator(key: string, options: { COUNT: number }): AsyncIterable<{ field: string; value: string }[]>;
}

/** Escapes Redis glob characters in a literal prefix. */
function literal(prefix: string): string {
  return prefix.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

/**
 * A Redis store's administration: the schema version is `<prefix>:schema`, the store's record of itself the hash
 * `<prefix>:meta`; the bot's data is every key under `<prefix>.` (namespaces) and `<prefix>:` (inbox, claims, logs).
 */
export function redisAdmin(client: RedisAdminClient, prefix: string): StoreAdmin {
  const schemaKey = `${prefix}:schema`;
  const metaKey = `${prefix}:meta`;
  const version = async () => Number((await client.get(schemaKey)) ?? 0) || 0;
  const keys = async (pattern: string, max = Number.POSITIVE_INFINITY): Promise<string[]> => {
    const found: string[] = [];
    for await (const batch of client.scanIterator({ MATCH: `${literal(prefix)}${pattern}`, COUNT: 500 })) {
      for (const key of ([] as string[]).concat(batch)) {
        if (key === schemaKey || key === metaKey) continue;
        found.push(key);
        if (found.length >= max) return found;
      }
    }
    return found;
  };
  return {
    async claimCorp(corp: string) {
      await client.hSetNX(metaKey, 'corp', corp);
      return String((await client.hGet(metaKey, 'corp')) ?? corp);
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
          prefix,
          keys: (pattern) => keys(pattern),
          hashEntries: (key) => client.hScanIterator(key, { COUNT: 500 }),
          setHashEntry: async (key, field, value) => {
            if (await client.hExists(key, field)) await client.hSet(key, field, value);
          },
        });
        await client.set(schemaKey, String(Math.trunc(migration.version)));
      }
      return { from, to: await version() };
    },
    async readMeta() {
      return ((await client.hGetAll(metaKey)) ?? {}) as StoreMeta;
    },
    async writeMeta(meta: StoreMeta) {
      for (const [field, value] of Object.entries(meta)) {
        if (value === undefined) continue;
        if (value === '') await client.hDel(metaKey, field);
        else await client.hSet(metaKey, field, value);
      }
    },
    async isEmpty() {
      return (await keys('.*', 1)).length === 0 && (await keys(':*', 1)).length === 0;
    },
    async wipe() {
      const all = [...(await keys('.*')), ...(await keys(':*')), schemaKey, metaKey];
      for (let i = 0; i < all.length; i += 500) await client.del(all.slice(i, i + 500));
    },
  };
}
