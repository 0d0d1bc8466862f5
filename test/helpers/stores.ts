import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
