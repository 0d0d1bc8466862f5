import Keyv from 'keyv';
import { SqliteInbox } from './inbox-sqlite.js';
import { wrapKeyv } from './keyv.js';
import { openInMemoryDatabase } from './sqlite.js';
import { SqliteTimelines } from './timeline-sqlite.js';
import { KEY_PREFIX, type NamespaceName, type Store } from './types.js';

/** How often (in claims) expired claims are dropped from the map. */
const PURGE_EVERY = 1000;

/** An in-process store (nothing survives the process); synchronous to create. */
export function createMemoryStore(): Store {
  const spaces = new Map<string, Keyv>();
  const open = (name: string): Keyv => {
    let kv = spaces.get(name);
    if (!kv) {
      kv = new Keyv({ store: new Map<string, unknown>(), namespace: `${KEY_PREFIX}.${name}`, throwOnErrors: true });
      kv.on('error', () => undefined);
      spaces.set(name, kv);
    }
    return kv;
  };
  // One thread: a check and a set with no await between them are atomic.
  const claims = new Map<string, number>();
  const holders = new Map<string, string>();
  let claimsSincePurge = 0;
  // The inbox and the timelines keep the same rules as on disk in an in-memory SQLite database.
  const db = openInMemoryDatabase();
  const inbox = new SqliteInbox(db);
  const timelines = new SqliteTimelines(db);
  return {
    kind: 'memory',
    inbox,
    timeline: (name) => timelines.open(name),
    async ping() {},
    namespace: <V>(name: NamespaceName) => wrapKeyv(open(name) as Keyv<V>),
    async claim(key, ttlMs) {
      const now = Date.now();
      if (++claimsSincePurge >= PURGE_EVERY) {
        claimsSincePurge = 0;
        for (const [k, expires] of claims) {
          if (expires < now) {
            claims.delete(k);
            holders.delete(k);
          }
        }
      }
      if ((claims.get(key) ?? 0) >= now) return false;
      claims.set(key, now + Math.max(1, ttlMs));
      holders.delete(key);
      return true;
    },
    async claimFor(key, holder, ttlMs) {
      const now = Date.now();
      if ((claims.get(key) ?? 0) >= now) return holders.get(key) ?? '';
      claims.set(key, now + Math.max(1, ttlMs));
      holders.set(key, holder);
      return holder;
    },
    async release(key) {
      claims.delete(key);
      holders.delete(key);
    },
    async close() {
      await Promise.all([...spaces.values()].map((kv) => kv.disconnect()));
      spaces.clear();
      if (db.isOpen) {
        inbox.flush();
        db.close();
      }
    },
  };
}
