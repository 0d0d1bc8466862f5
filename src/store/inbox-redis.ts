import type { EnqueueOutcome, Inbox, InboxEntry } from './types.js';

/** The Redis commands the inbox uses (any node-redis client has them). */
interface RedisScripting {
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  get(key: string): Promise<string | null | unknown>;
  lRange(key: string, start: number, stop: number): Promise<string[]>;
  scanIterator(options: { MATCH: string; COUNT: number }): AsyncIterable<string | string[]>;
}

// Keys, under one prefix P: P..'k:'..key (the dedup record: 'p' while open, 'd' with a TTL once done),
// P..'l:'..lane (the lane's entries in order, JSON), P..'ready' (lanes whose head nobody holds, scored by urgency then
// arrival), P..'owners' (lane → worker holding its head), P..'leased' (lane → lease end), P..'attempts' (key → takes),
// P..'open' (entries waiting or running), P..'seq', P..'deferred' (key → deferrals), P..'arrivals' (key → when it
// arrived, or when its deferral ends). A deferred lane is held by the owner '~deferred' until its lease (the end of the
// wait) passes, when RECOVER makes it ready like any lapsed lease. Each script is one atomic step for every instance on the Redis.

const ENQUEUE = `
local p, key, lane, urgent, payload, capacity, now = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], tonumber(ARGV[6]), ARGV[7]
if redis.call('EXISTS', p..'k:'..key) == 1 then return 'duplicate' end
if tonumber(redis.call('GET', p..'open') or '0') >= capacity then return 'full' end
local seq = redis.call('INCR', p..'seq')
redis.call('SET', p..'k:'..key, 'p')
redis.call('RPUSH', p..'l:'..lane, cjson.encode({seq = seq, key = key, urgent = urgent, payload = payload}))
redis.call('INCR', p..'open')
redis.call('ZADD', p..'arrivals', now, key)
if redis.call('HEXISTS', p..'owners', lane) == 0 then
  redis.call('ZADD', p..'ready', 'NX', (urgent == '1') and 0 or seq, lane)
end
return 'accepted'`;

const TAKE = `
local p, owner, max, untilMs = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4]
local out = {}
while #out < max * 3 do
  local popped = redis.call('ZPOPMIN', p..'ready')
  if #popped == 0 then break end
  local lane = popped[1]
  local head = redis.call('LINDEX', p..'l:'..lane, 0)
  if head then
    local entry = cjson.decode(head)
    redis.call('HSET', p..'owners', lane, owner)
    redis.call('ZADD', p..'leased', untilMs, lane)
    local attempts = redis.call('HINCRBY', p..'attempts', entry.key, 1)
    table.insert(out, lane)
    table.insert(out, head)
    table.insert(out, tostring(attempts))
    table.insert(out, redis.call('HGET', p..'deferred', entry.key) or '0')
  end
end
return out`;

const RENEW = `
local p, owner, untilMs = ARGV[1], ARGV[2], ARGV[3]
for i = 4, #ARGV do
  if redis.call('HGET', p..'owners', ARGV[i]) == owner then redis.call('ZADD', p..'leased', 'XX', untilMs, ARGV[i]) end
end
return 0`;

const READY_NEXT = `
local function readyNext(p, lane)
  local nxt = redis.call('LINDEX', p..'l:'..lane, 0)
  if nxt then
    local entry = cjson.decode(nxt)
    redis.call('ZADD', p..'ready', (entry.urgent == '1') and 0 or entry.seq, lane)
  end
end`;

const COMPLETE = `${READY_NEXT}
local p, owner, lane, key, ttl = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local head = redis.call('LINDEX', p..'l:'..lane, 0)
if not head or cjson.decode(head).key ~= key then return 0 end
redis.call('LPOP', p..'l:'..lane)
redis.call('SET', p..'k:'..key, 'd', 'PX', ttl)
redis.call('HDEL', p..'attempts', key)
redis.call('HDEL', p..'deferred', key)
redis.call('ZREM', p..'arrivals', key)
redis.call('DECR', p..'open')
if redis.call('HGET', p..'owners', lane) == owner then
  redis.call('HDEL', p..'owners', lane)
  redis.call('ZREM', p..'leased', lane)
  readyNext(p, lane)
end
return 1`;

const DEFER = `
local p, owner, lane, key, untilMs = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
if redis.call('HGET', p..'owners', lane) ~= owner then return 0 end
local head = redis.call('LINDEX', p..'l:'..lane, 0)
if not head or cjson.decode(head).key ~= key then return 0 end
redis.call('HSET', p..'owners', lane, '~deferred')
redis.call('ZADD', p..'leased', untilMs, lane)
redis.call('HINCRBY', p..'deferred', key, 1)
-- The lane waits as a whole: its entries count from the end of the wait, as the deferred one does.
for _, raw in ipairs(redis.call('LRANGE', p..'l:'..lane, 0, -1)) do
  local k = cjson.decode(raw).key
  local at = tonumber(redis.call('ZSCORE', p..'arrivals', k) or untilMs)
  if at < tonumber(untilMs) then redis.call('ZADD', p..'arrivals', 'XX', untilMs, k) end
end
return 1`;

const OLDEST = `return redis.call('ZRANGE', ARGV[1]..'arrivals', 0, 0, 'WITHSCORES')`;

const RECOVER = `${READY_NEXT}
local p, now = ARGV[1], ARGV[2]
local lanes = redis.call('ZRANGEBYSCORE', p..'leased', '-inf', now)
for _, lane in ipairs(lanes) do
  redis.call('HDEL', p..'owners', lane)
  redis.call('ZREM', p..'leased', lane)
  readyNext(p, lane)
end
return #lanes`;

/**
 * The inbox on Redis, shared by every instance: each step is one Lua script, so a delivery is deduplicated and
 * queued atomically, a lane is held by one worker at a time, and the lanes of an instance that died become ready
 * again once its lease ends (workers renew their leases while they run).
 */
export class RedisInbox implements Inbox {
  constructor(
    private readonly client: RedisScripting,
    private readonly prefix: string,
  ) {}

  private run(script: string, args: (string | number)[]): Promise<unknown> {
    return this.client.eval(script, { keys: [], arguments: [this.prefix, ...args.map(String)] });
  }

  async enqueue(entry: Omit<InboxEntry, 'attempts'>, capacity: number): Promise<EnqueueOutcome> {
    return (await this.run(ENQUEUE, [entry.key, entry.lane, entry.urgent ? '1' : '0', entry.payload, capacity, Date.now()])) as EnqueueOutcome;
  }

  async take(owner: string, max: number, leaseMs: number): Promise<InboxEntry[]> {
    if (max <= 0) return [];
    const flat = (await this.run(TAKE, [owner, max, Date.now() + leaseMs])) as string[];
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
      if (out.length >= max) break;
    }
    return out;
  }

  async renew(owner: string, entries: readonly InboxEntry[], leaseMs: number): Promise<void> {
    if (entries.length === 0) return;
    await this.run(RENEW, [owner, Date.now() + leaseMs, ...entries.map((e) => e.lane)]);
  }

  async defer(owner: string, entry: InboxEntry, untilMs: number): Promise<void> {
    await this.run(DEFER, [owner, entry.lane, entry.key, Math.round(untilMs)]);
  }

  async complete(owner: string, entry: InboxEntry, dedupTtlMs: number): Promise<void> {
    await this.run(COMPLETE, [owner, entry.lane, entry.key, Math.max(1, Math.round(dedupTtlMs))]);
  }

  async backlog(): Promise<number> {
    return Number((await this.client.get(`${this.prefix}open`)) ?? 0);
  }

  async oldest(): Promise<number | undefined> {
    const [, score] = (await this.run(OLDEST, [])) as [string?, string?];
    return score === undefined ? undefined : Number(score);
  }

  async peek(max: number): Promise<InboxEntry[]> {
    const out: InboxEntry[] = [];
    for await (const batch of this.client.scanIterator({ MATCH: `${this.prefix.replace(/[*?[\]\\]/g, (c) => `\\${c}`)}l:*`, COUNT: 200 })) {
      for (const laneKey of ([] as string[]).concat(batch)) {
        const lane = laneKey.slice(this.prefix.length + 2);
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
    return Number(await this.run(RECOVER, [Date.now()]));
  }
}
