import { openSqliteDatabase } from '../store/sqlite.js';
import { MIGRATIONS, type Store } from '../store/index.js';

/** What a copy moved. */
export interface CopyCounts {
  /** Namespace entries (members, roles, proposals, jobs, write records …). */
  records: number;
  /** Timeline entries (the audit log). */
  timeline: number;
  claims: number;
  /** Messages waiting in the inbox, and dedup records of those done lately. */
  waiting: number;
  done: number;
}

const DONE = 2;

/**
 * Copies the SQLite store at `path` (read only; the bot stopped) into `target`, an empty store of any kind: its
 * schema brought to this version, its corp, every live namespace entry, claim and audit entry with the time it has
 * left, the inbox's waiting messages in their order and its dedup records. Nothing expired is copied.
 */
export async function copySqliteStore(path: string, target: Store, now: number = Date.now()): Promise<CopyCounts> {
  const db = openSqliteDatabase(path, { readOnly: true });
  const counts: CopyCounts = { records: 0, timeline: 0, claims: 0, waiting: 0, done: 0 };
  try {
    await target.admin.migrate(MIGRATIONS);
    const meta = db.prepare("SELECT key, value FROM meta WHERE key IN ('corp', 'boundAt')").all() as { key: 'corp' | 'boundAt'; value: string }[];
    const corp = meta.find((m) => m.key === 'corp')?.value;
    if (corp) await target.admin.claimCorp(corp);
    await target.admin.writeMeta(Object.fromEntries(meta.map((m) => [m.key, m.value])));

    const left = (expires: number | null) => (expires === null ? undefined : expires - now);
    for (const row of db.prepare('SELECT ns, key, value, expires FROM kv WHERE expires IS NULL OR expires > ?').iterate(now) as Iterable<{
      ns: string;
      key: string;
      value: string;
      expires: number | null;
    }>) {
      // A namespace opened by name only: the copy reads no declaration of it.
      const space = target.namespace<unknown>({ name: row.ns, lookOnly: true });
      await space.set(row.key, JSON.parse(row.value) as unknown, left(row.expires));
      counts.records += 1;
    }
    for (const row of db.prepare('SELECT key, expires, holder FROM claims WHERE expires > ?').iterate(now) as Iterable<{
      key: string;
      expires: number;
      holder: string | null;
    }>) {
      if (row.holder === null) await target.claim(row.key, row.expires - now);
      else await target.claimFor(row.key, row.holder, row.expires - now);
      counts.claims += 1;
    }
    // The store has one timeline, the audit log.
    for (const row of db.prepare("SELECT at, tag, value, expires FROM timeline WHERE name = 'audit' AND expires > ? ORDER BY id").iterate(now) as Iterable<{
      at: number;
      tag: string;
      value: string;
      expires: number;
    }>) {
      await target.timeline('audit').append(row.at, row.tag, JSON.parse(row.value) as unknown, row.expires - row.at);
      counts.timeline += 1;
    }
    // Dedup records first, each through its whole life (recorded, taken, done), so WeCom's late retries stay refused;
    // then what waits, in arrival order.
    const inbox = db.prepare('SELECT key, lane, urgent, payload, state, expires FROM inbox ORDER BY seq').all() as {
      key: string;
      lane: string;
      urgent: number;
      payload: string | null;
      state: number;
      expires: number | null;
    }[];
    for (const row of inbox.filter((r) => r.state === DONE && (r.expires ?? 0) > now)) {
      await target.inbox.enqueue({ key: row.key, lane: row.lane, urgent: false, payload: '{}' }, Number.MAX_SAFE_INTEGER);
      const [taken] = await target.inbox.take('store-copy', 1, 60_000);
      if (taken) await target.inbox.complete('store-copy', taken, row.expires! - now);
      counts.done += 1;
    }
    for (const row of inbox.filter((r) => r.state !== DONE && r.payload !== null)) {
      await target.inbox.enqueue({ key: row.key, lane: row.lane, urgent: row.urgent === 1, payload: row.payload! }, Number.MAX_SAFE_INTEGER);
      counts.waiting += 1;
    }
    return counts;
  } finally {
    db.close();
  }
}
