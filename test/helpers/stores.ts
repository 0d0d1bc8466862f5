import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createClient } from '@keyv/redis';

/** A fresh SQLite file URL in a temporary folder, and a cleanup for it. */
export function tempSqliteUrl(): { url: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'wco-test-'));
  return { url: `sqlite://${join(dir, 'nested', 'bot.sqlite')}`, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The Redis URL for tests. In CI (`CI=true`) it must be set: a Redis test that silently skips would hide a broken
 * feature, so its absence fails the run instead.
 */
export function redisUrl(): string | undefined {
  const url = process.env.REDIS_URL;
  if (!url && process.env.CI) {
    throw new Error('REDIS_URL must be set in CI: the Redis tests must run, not skip');
  }
  return url;
}

/**
 * The URL of one node of a Redis Cluster of three masters (`scripts/redis-cluster.sh start`, which `.ci/run` runs).
 * Like {@link redisUrl}, it must be set in CI.
 */
export function redisClusterUrl(): string | undefined {
  const url = process.env.REDIS_CLUSTER_URL;
  if (!url && process.env.CI) {
    throw new Error('REDIS_CLUSTER_URL must be set in CI (scripts/redis-cluster.sh start): the cluster tests must run, not skip');
  }
  return url;
}

/** The URL of a Redis Cluster whose nodes require a password (`REDIS_CLUSTER_PASSWORD=… scripts/redis-cluster.sh start 7201`). */
export function redisClusterAuthUrl(): string | undefined {
  const url = process.env.REDIS_CLUSTER_AUTH_URL;
  if (!url && process.env.CI) throw new Error('REDIS_CLUSTER_AUTH_URL must be set in CI: the cluster tests must run, not skip');
  return url;
}

/**
 * A key prefix of a test's own on the shared Redis (STORE_PREFIX), so that what one test records there (the corp a
 * store belongs to, above all) never meets another test; `wipe` deletes every key under it.
 */
export function redisPrefix(): { prefix: string; wipe: (url: string) => Promise<void> } {
  const prefix = `t${Math.random().toString(36).slice(2, 10)}`;
  return {
    prefix,
    async wipe(url) {
      const { createStore } = await import('../../src/store/index.js');
      const store = await createStore(url, { prefix });
      try {
        await store.admin.wipe();
      } finally {
        await store.close();
      }
    },
  };
}

/** The stores earlier versions wrote (see test/fixtures/stores/README.md). */
export const STORE_FIXTURES = new URL('../fixtures/stores/', import.meta.url).pathname;

/** Puts the SQLite fixture `name` (`schema-0.sqlite`) at the file of `url`, a sqlite:// URL. */
export function copySqliteFixture(name: string, url: string): string {
  const file = url.slice('sqlite://'.length);
  mkdirSync(dirname(file), { recursive: true });
  copyFileSync(join(STORE_FIXTURES, name), file);
  return file;
}

/**
 * Loads the Redis fixture `name` (`schema-0.redis.json`) into the Redis at `url`, its `wco` keys under `prefix` (keys
 * written before the hash tag, `wco:…`, under `prefix:…`; later ones, `{wco}:…`, under `{prefix}:…`).
 */
export async function loadRedisFixture(name: string, url: string, prefix: string): Promise<void> {
  const dump = JSON.parse(readFileSync(join(STORE_FIXTURES, name), 'utf8')) as Record<string, { type: string; value: unknown }>;
  const client = createClient({ url });
  await client.connect();
  try {
    for (const [key, { type, value }] of Object.entries(dump)) {
      const renamed = key.replace(/^(\{?)wco/, `$1${prefix}`);
      // Values kept with an expiry written into them expire by it; in Redis they are kept without one.
      if (type === 'string') await client.set(renamed, value as string);
      else if (type === 'list') await client.rPush(renamed, value as string[]);
      else if (type === 'hash') await client.hSet(renamed, value as Record<string, string>);
      else if (type === 'zset') await client.zAdd(renamed, value as { value: string; score: number }[]);
      else if (type === 'set') await client.sAdd(renamed, value as string[]);
    }
  } finally {
    await client.quit();
  }
}
