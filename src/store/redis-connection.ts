import { createClient, createCluster } from '@keyv/redis';

type RedisClient = ReturnType<typeof createClient>;
type RedisCluster = ReturnType<typeof createCluster>;

/**
 * How long one Redis command may take. While Redis is unreachable a command fails at once (no offline queue) or
 * after this, never waits for a reconnect: a callback must be answered (503, so WeCom retries) well within the 5 s
 * WeCom waits.
 */
export const REDIS_COMMAND_TIMEOUT_MS = 1000;

/** What the store asks of Redis beyond keyed commands: the same on one server and on a cluster. */
export interface RedisConnection {
  /** Keyed commands (a cluster routes each by its first key): a node-redis client or cluster. */
  readonly commands: RedisClient | RedisCluster;
  readonly cluster: boolean;
  /** Every key matching the glob `match`, a batch at a time, on every master (a cluster spreads its keys over them). */
  scan(match: string): AsyncGenerator<string[]>;
  /** The fields of the hash `key`, a batch at a time. */
  hashEntries(key: string): AsyncGenerator<{ field: string; value: string }[]>;
  /** Answers when the node holding `key` answers. */
  ping(key: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Connects to the Redis at `url`. A cluster node answers `cluster_enabled:1`; the URL of any one of its nodes is
 * enough, the client learns the others from it. At start an unreachable Redis is an error (the process must not come
 * up half-working); later, the client keeps trying and each command fails fast meanwhile.
 */
export async function connectRedis(url: string): Promise<RedisConnection> {
  let connectedOnce = false;
  const socket = {
    connectTimeout: 2000,
    reconnectStrategy: (retries: number, cause: Error) => (!connectedOnce && retries >= 2 ? cause : Math.min(100 * 2 ** retries, 2000)),
  };
  const client: RedisClient = createClient({ url, disableOfflineQueue: true, commandOptions: { timeout: REDIS_COMMAND_TIMEOUT_MS }, socket });
  client.on('error', () => undefined); // surfaced per operation, not as a process crash
  await client.connect();
  const info = await client.info('cluster').catch(() => '');
  connectedOnce = true;
  if (!/cluster_enabled:1/.test(info)) return single(client);
  await client.quit();
  connectedOnce = false;
  // The nodes the client learns from the first are reached with `defaults`: the URL's credentials and TLS go there too.
  const parsed = new URL(url);
  const cluster: RedisCluster = createCluster({
    rootNodes: [{ url }],
    defaults: {
      disableOfflineQueue: true,
      ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
      ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
      socket: { ...socket, ...(parsed.protocol === 'rediss:' ? { tls: true as const } : {}) },
    },
    commandOptions: { timeout: REDIS_COMMAND_TIMEOUT_MS },
  });
  cluster.on('error', () => undefined);
  await cluster.connect();
  connectedOnce = true;
  return clustered(cluster);
}

function single(client: RedisClient): RedisConnection {
  return {
    commands: client,
    cluster: false,
    scan: (match) => scanNode(client, match),
    hashEntries: (key) => scanHash(client, key),
    async ping() {
      if (!client.isReady) throw new Error('redis: not connected');
      await client.ping();
    },
    async close() {
      if (client.isOpen) await client.quit();
    },
  };
}

function clustered(cluster: RedisCluster): RedisConnection {
  return {
    commands: cluster,
    cluster: true,
    async *scan(match) {
      for (const master of cluster.masters) yield* scanNode(await cluster.nodeClient(master), match);
    },
    hashEntries: (key) => scanHash(cluster, key),
    async ping(key) {
      await cluster.sendCommand(key, true, ['PING']);
    },
    async close() {
      if (cluster.isOpen) await cluster.close();
    },
  };
}

async function* scanNode(node: RedisClient, match: string): AsyncGenerator<string[]> {
  let cursor = '0';
  do {
    const page = await node.scan(cursor, { MATCH: match, COUNT: 500 });
    cursor = String(page.cursor);
    if (page.keys.length > 0) yield page.keys.map(String);
  } while (cursor !== '0');
}

async function* scanHash(node: RedisClient | RedisCluster, key: string): AsyncGenerator<{ field: string; value: string }[]> {
  let cursor = '0';
  do {
    const page = await node.hScan(key, cursor, { COUNT: 500 });
    cursor = String(page.cursor);
    if (page.entries.length > 0) yield page.entries.map(({ field, value }) => ({ field: String(field), value: String(value) }));
  } while (cursor !== '0');
}
