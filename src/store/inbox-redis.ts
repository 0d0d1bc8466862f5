import { globLiteral } from './redis-keys.js';
import type { EnqueueOutcome, Inbox, InboxEntry } from './types.js';

/** The Redis commands the inbox uses (a node-redis client or cluster has them). */
interface RedisScripting {
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  get(key: string): Promise<string | null | unknown>;
  lRange(key: string, start: number, stop: number): Promise<string[]>;
}

// Keys, under one prefix P: P..'k:'..key (the dedup record: 'p' while open, 'd' with a TTL once done),
// P..'l:'..lane (the lane's entries in order, JSON), P..'ready' (lanes whose head nobody holds, scored by urgency then
// arrival), P..'owners' (lane → worker holding its head), P..'leased' (lane → lease end), P..'attempts' (key → takes),
// P..'open' (entries waiting or running), P..'seq', P..'deferred' (key → deferrals), P..'arrivals' (key → when it
// arrived, or when its deferral ends). A deferred lane is held by the owner '~deferred' until its lease (the end of the
// wait) passes, when RECOVER makes it ready like any lapsed lease. Each script is one atomic step for every instance on
// the Redis. Each declares the keys it names (KEYS, in the order of its first line); the lanes TAKE and RECOVER find in
// the ready and leased sets are read under ARGV[1], the prefix, which carries the store's hash tag, so on a cluster
// they are in the declared keys' slot.

const READY_NEXT = `
local function readyNext(ready, laneKey, lane)
  local nxt = redis.call('LINDEX', laneKey, 0)
  if nxt then
    local entry = cjson.decode(nxt)
    redis.call('ZADD', ready, (entry.urgent == '1') and 0 or entry.seq, lane)
  end
end`;

const ENQUEUE = `
local dedup, laneKey, open, seq, arrivals, owners, ready = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7]
local key, lane, urgent, payload, capacity, now = ARGV[1], ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5]), ARGV[6]
if redis.call('EXISTS', dedup) == 1 then return 'duplicate' end
if tonumber(redis.call('GET', open) or '0') >= capacity then return 'full' end
local n = redis.call('INCR', seq)
redis.call('SET', dedup, 'p')
redis.call('RPUSH', laneKey, cjson.encode({seq = n, key = key, urgent = urgent, payload = payload}))
redis.call('INCR', open)
redis.call('ZADD', arrivals, now, key)
if redis.call('HEXISTS', owners, lane) == 0 then
  redis.call('ZADD', ready, 'NX', (urgent == '1') and 0 or n, lane)
end
return 'accepted'`;

const TAKE = `
local ready, owners, leased, attempts, deferred = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local p, owner, max, untilMs = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4]
local out = {}
while #out < max * 4 do
  local popped = redis.call('ZPOPMIN', ready)
  if #popped == 0 then break end
  local lane = popped[1]
  local head = redis.call('LINDEX', p..'l:'..lane, 0)
  if head then
    local entry = cjson.decode(head)
    redis.call('HSET', owners, lane, owner)
    redis.call('ZADD', leased, untilMs, lane)
    local n = redis.call('HINCRBY', attempts, entry.key, 1)
    table.insert(out, lane)
    table.insert(out, head)
    table.insert(out, tostring(n))
    table.insert(out, redis.call('HGET', deferred, entry.key) or '0')
  end
end
return out`;

const RENEW = `
local owners, leased = KEYS[1], KEYS[2]
local owner, untilMs = ARGV[1], ARGV[2]
for i = 3, #ARGV do
  if redis.call('HGET', owners, ARGV[i]) == owner then redis.call('ZADD', leased, 'XX', untilMs, ARGV[i]) end
end
return 0`;

const COMPLETE = `${READY_NEXT}
local laneKey, dedup, attempts, deferred, arrivals, open, owners, leased, ready = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9]
local owner, lane, key, ttl = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local head = redis.call('LINDEX', laneKey, 0)
if not head or cjson.decode(head).key ~= key then return 0 end
redis.call('LPOP', laneKey)
redis.call('SET', dedup, 'd', 'PX', ttl)
redis.call('HDEL', attempts, key)
redis.call('HDEL', deferred, key)
redis.call('ZREM', arrivals, key)
redis.call('DECR', open)
if redis.call('HGET', owners, lane) == owner then
  redis.call('HDEL', owners, lane)
  redis.call('ZREM', leased, lane)
  readyNext(ready, laneKey, lane)
end
return 1`;

const DEFER = `
local owners, laneKey, leased, deferred, arrivals = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local owner, lane, key, untilMs = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
if redis.call('HGET', owners, lane) ~= owner then return 0 end
local head = redis.call('LINDEX', laneKey, 0)
if not head or cjson.decode(head).key ~= key then return 0 end
redis.call('HSET', owners, lane, '~deferred')
redis.call('ZADD', leased, untilMs, lane)
redis.call('HINCRBY', deferred, key, 1)
-- The lane waits as a whole: its entries count from the end of the wait, as the deferred one does.
for _, raw in ipairs(redis.call('LRANGE', laneKey, 0, -1)) do
  local k = cjson.decode(raw).key
  local at = tonumber(redis.call('ZSCORE', arrivals, k) or untilMs)
  if at < tonumber(untilMs) then redis.call('ZADD', arrivals, 'XX', untilMs, k) end
end
return 1`;

const OLDEST = `return redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')`;

const RECOVER = `${READY_NEXT}
local leased, owners, ready = KEYS[1], KEYS[2], KEYS[3]
local p, now = ARGV[1], ARGV[2]
local lanes = redis.call('ZRANGEBYSCORE', leased, '-inf', now)
for _, lane in ipairs(lanes) do
  redis.call('HDEL', owners, lane)
  redis.call('ZREM', leased, lane)
  readyNext(ready, p..'l:'..lane, lane)
end
return #lanes`;

/**
 * The inbox on Redis, shared by every instance: each step is one Lua script, so a delivery is deduplicated and
 * queued atomically, a lane is held by one worker at a time, and the lanes of an instance that died become ready
 * again once its lease ends (workers renew their leases while they run).
 */
export class RedisInbox implements Inbox {
  /**
   * @param client keyed commands (a client or a cluster)
   * @param scan every key matching a glob, a batch at a time
   * @param prefix the start of the inbox's keys, read at each step (a store's keys are renamed once, by a migration)
   */
  constructor(
    private readonly client: RedisScripting,
    private readonly scan: (match: string) => AsyncIterable<string[]>,
    private readonly prefix: () => string,
  ) {}

  private run(script: string, keys: string[], args: (string | number)[]): Promise<unknown> {
    return this.client.eval(script, { keys, arguments: args.map(String) });
  }

  private keys(...names: string[]): string[] {
    const p = this.prefix();
    return names.map((name) => p + name);
  }

  async enqueue(entry: Omit<InboxEntry, 'attempts'>, capacity: number): Promise<EnqueueOutcome> {
    const keys = this.keys(`k:${entry.key}`, `l:${entry.lane}`, 'open', 'seq', 'arrivals', 'owners', 'ready');
    return (await this.run(ENQUEUE, keys, [entry.key, entry.lane, entry.urgent ? '1' : '0', entry.payload, capacity, Date.now()])) as EnqueueOutcome;
  }

  async take(owner: string, max: number, leaseMs: number): Promise<InboxEntry[]> {
    if (max <= 0) return [];
    const keys = this.keys('ready', 'owners', 'leased', 'attempts', 'deferred');
    const flat = (await this.run(TAKE, keys, [this.prefix(), owner, max, Date.now() + leaseMs])) as string[];
    const out: InboxEntry[] = [];
    for (let i = 0; i < flat.length; i += 4) {
      const stored = JSON.parse(flat[i + 1]!) as { key: string; urgent: string; payload: string };
      out.push({
        key: stored.key,
        lane: flat[i]!,
        urgent: stored.urgent === '1',
        payload: stored.payload,
        attempts: Number(flat[i + 2]),
        deferred: Number(flat[i + 3]),
      });
    }
    return out;
  }

  async renew(owner: string, entries: readonly InboxEntry[], leaseMs: number): Promise<void> {
    if (entries.length === 0) return;
    await this.run(RENEW, this.keys('owners', 'leased'), [owner, Date.now() + leaseMs, ...entries.map((e) => e.lane)]);
  }

  async defer(owner: string, entry: InboxEntry, untilMs: number): Promise<void> {
    const keys = this.keys('owners', `l:${entry.lane}`, 'leased', 'deferred', 'arrivals');
    await this.run(DEFER, keys, [owner, entry.lane, entry.key, Math.round(untilMs)]);
  }

  async complete(owner: string, entry: InboxEntry, dedupTtlMs: number): Promise<void> {
    const keys = this.keys(`l:${entry.lane}`, `k:${entry.key}`, 'attempts', 'deferred', 'arrivals', 'open', 'owners', 'leased', 'ready');
    await this.run(COMPLETE, keys, [owner, entry.lane, entry.key, Math.max(1, Math.round(dedupTtlMs))]);
  }

  async backlog(): Promise<number> {
    return Number((await this.client.get(`${this.prefix()}open`)) ?? 0);
  }

  async oldest(): Promise<number | undefined> {
    const [, score] = (await this.run(OLDEST, this.keys('arrivals'), [])) as [string?, string?];
    return score === undefined ? undefined : Number(score);
  }

  async peek(max: number): Promise<InboxEntry[]> {
    const out: InboxEntry[] = [];
    const prefix = this.prefix();
    for await (const batch of this.scan(`${globLiteral(prefix)}l:*`)) {
      for (const laneKey of batch) {
        const lane = laneKey.slice(prefix.length + 2);
        for (const raw of await this.client.lRange(laneKey, 0, max - out.length - 1)) {
          const stored = JSON.parse(raw) as { key: string; urgent: string; payload: string };
          out.push({ key: stored.key, lane, urgent: stored.urgent === '1', payload: stored.payload, attempts: 0 });
        }
        if (out.length >= max) return out;
      }
    }
    return out;
  }

  async recover(all: boolean): Promise<number> {
    // Other instances may be alive and holding leases: only expired ones are taken over, whatever `all` says.
    void all;
    return Number(await this.run(RECOVER, this.keys('leased', 'owners', 'ready'), [this.prefix(), Date.now()]));
  }
}
