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
