import { randomBytes } from 'node:crypto';
import type { RedisConnection } from './redis-connection.js';
import type { Timeline } from './types.js';

/** How often (in appends) entries past their retention are purged. */
const PURGE_EVERY = 1000;

/**
 * A timeline on Redis: the values in a hash, their ids in a sorted set scored by time, and one sorted set per tag.
 * Reading the newest is a reverse range on a sorted set, then one HMGET. `prefix` is read at each step (a store's
 * keys are renamed once, by a migration); it carries the store's hash tag, so a transaction's keys share a slot.
 */
export function redisTimeline<V>(client: RedisConnection['commands'], prefix: () => string): Timeline<V> {
  const values = () => `${prefix()}:v`;
  const byTime = () => `${prefix()}:t`;
  const byTag = (tag: string) => `${prefix()}:g:${tag}`;
  let appends = 0;
  let retention = 0;

  const purge = async () => {
    const cutoff = Date.now() - retention;
    const old = await client.zRangeByScore(byTime(), '-inf', cutoff);
    if (old.length === 0) return;
    await client.multi().hDel(values(), old).zRem(byTime(), old).exec();
  };

  return {
    async append(at, tag, value, retentionMs) {
      retention = retentionMs;
      const id = `${at}-${randomBytes(4).toString('hex')}`;
      await client
        .multi()
        .hSet(values(), id, JSON.stringify(value))
        .zAdd(byTime(), { score: at, value: id })
        .zAdd(byTag(tag), { score: at, value: id })
        .zRemRangeByScore(byTag(tag), '-inf', at - retentionMs)
        .exec();
      if (++appends % PURGE_EVERY === 0) await purge();
    },
    async newest({ limit, tag }) {
      const ids = await client.zRange(tag === undefined ? byTime() : byTag(tag), '+inf', '-inf', {
        BY: 'SCORE',
        REV: true,
        LIMIT: { offset: 0, count: limit },
      });
      if (ids.length === 0) return [];
      const found = await client.hmGet(values(), ids);
      return found.filter((v): v is string => typeof v === 'string').map((v) => JSON.parse(v) as V);
    },
  };
}
