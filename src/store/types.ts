/**
 * A named area of the store whose values have one type, declared once beside the code that owns it (see
 * {@link defineNamespace}); a command keeps its own state in a namespace it declares, without editing `src/store/`.
 */
export interface NamespaceKey<V> {
  readonly name: string;
  /** A look into another room's namespace (evidence of whose a store is): it reads, and declares nothing. */
  readonly lookOnly?: true;
  /** Carries the value type; never set. */
  readonly valueType?: (value: V) => V;
}

const NAMESPACE_NAME = /^[a-z][a-z0-9-]{0,47}$/;

/**
 * Declares a namespace of the store and the type of its values. Each name has one declaration: two owners of one name
 * would read each other's values as their own type, so a store refuses a second declaration of a name it has opened.
 * @throws Error for a name that is not lower-case ASCII (it becomes part of keys in a shared Redis).
 */
export function defineNamespace<V>(name: string): NamespaceKey<V> {
  if (!NAMESPACE_NAME.test(name)) throw new Error(`store namespace names are lower-case ASCII words: ${name}`);
  return Object.freeze({ name });
}

/** The declaration each namespace name was opened with on one store. */
export class NamespaceOwners {
  private readonly owners = new Map<string, object>();

  /** @throws Error when `key`'s name was opened on this store with another declaration. */
  check<V>(key: NamespaceKey<V>): void {
    if (key.lookOnly) return;
    const owner = this.owners.get(key.name);
    if (owner && owner !== key) throw new Error(`store namespace ${key.name} is declared twice`);
    this.owners.set(key.name, key);
  }
}

/** A key/value area of the store. Values are JSON-serialisable. */
export interface Namespace<V> {
  get(key: string): Promise<V | undefined>;
  /** Stores `value`; `ttlMs` makes it expire. */
  set(key: string, value: V, ttlMs?: number): Promise<void>;
  /** Removes `key`; true when it was there. */
  delete(key: string): Promise<boolean>;
  /** Every live entry (order unspecified). */
  entries(): AsyncIterable<[string, V]>;
}

/** The bot's persistent state: named namespaces plus an atomic "first caller wins" primitive. */
export interface Store {
  readonly kind: 'sqlite' | 'redis' | 'memory';
  namespace<V>(key: NamespaceKey<V>): Namespace<V>;
  /**
   * Atomically records `key` for `ttlMs`; resolves true for the first caller only, across every process sharing
   * the store (Redis `SET NX`). Used for dedup keys and "execute once" guards.
   */
  claim(key: string, ttlMs: number): Promise<boolean>;
  /**
   * Like {@link claim}, naming the claimant: records `holder` for `key` unless a live claim exists, and resolves with
   * the holder of the live claim (`holder` itself when this caller won). A caller that runs again after a crash can
   * so tell its own claim from another's.
   */
  claimFor(key: string, holder: string, ttlMs: number): Promise<string>;
  /**
   * Extends a live claim of `holder` to `ttlMs` from now; false when the claim lapsed or another holds it (a lease
   * renewed while it is held: one long connection per bot across instances).
   */
  renewFor(key: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Forgets a claim, so that a later `claim` of the same key succeeds again. */
  release(key: string): Promise<void>;
  /** The durable inbox of callbacks (see {@link Inbox}). */
  readonly inbox: Inbox;
  /** A time-indexed log (the audit log). */
  timeline<V>(name: 'audit'): Timeline<V>;
  /** Resolves when the backend answers a trivial command within its timeout; rejects otherwise (health checks). */
  ping(): Promise<void>;
  /** The store's record of itself (its corp, its schema version) and what migrations and the store tools need. */
  readonly admin: StoreAdmin;
  close(): Promise<void>;
}

/** The default prefix of every key the bot writes in a shared backend (Redis); STORE_PREFIX changes it. */
export const DEFAULT_KEY_PREFIX = 'wco';

/** How a store is opened besides its URL. */
export interface StoreOptions {
  /** The first part of every Redis key (STORE_PREFIX); default {@link DEFAULT_KEY_PREFIX}. */
  prefix?: string;
}

/**
 * What a store records about itself, as text fields: `corp` (the CorpID it belongs to, or `demo`), `boundAt` (when a
 * corp first used it, ISO), `process` (the SQLite store's running process, `pid@host`).
 */
export type StoreMeta = Partial<Record<'corp' | 'boundAt' | 'process', string>>;

/** One numbered change of what a store holds; applied once, in order, at start (see migrations.ts). */
export interface Migration {
  version: number;
  /** What it changes, for the log. */
  what: string;
  /** Runs inside the transaction that records the new version. */
  sqlite(db: import('node:sqlite').DatabaseSync): void;
  /** Must be safe to run twice: two instances may start at once. */
  redis(redis: RedisMigrationContext): Promise<void>;
}

/** What a Redis migration may use. */
export interface RedisMigrationContext {
  prefix: string;
  /** Every key under the prefix matching `pattern` (a Redis glob after the prefix). */
  keys(pattern: string): Promise<string[]>;
  /** The fields of the hash `key` (a whole key) with their values, a batch at a time (a hash may be large). */
  hashEntries(key: string): AsyncIterable<{ field: string; value: string }[]>;
  /** Sets one field of the hash `key` that is there (one deleted meanwhile, by a purge, is not brought back). */
  setHashEntry(key: string, field: string, value: string): Promise<void>;
  /** Renames every key of a store written before the hash tag (`prefix…` → `{prefix}…`); nothing on a store written after. */
  moveUnderHashTag(): Promise<void>;
}

/** The store's administration: schema version and migrations, its record of itself, emptiness, wiping. */
export interface StoreAdmin {
  /** The schema version the data was written in (0: written before versions were recorded). */
  schemaVersion(): Promise<number>;
  /**
   * Applies each of `migrations` above the stored version, in order, recording the version after each.
   * @returns the versions before and after.
   */
  migrate(migrations: readonly Migration[]): Promise<{ from: number; to: number }>;
  readMeta(): Promise<StoreMeta>;
  /** Sets the given fields (an empty string removes one). Only after the migrations ran. */
  writeMeta(meta: StoreMeta): Promise<void>;
  /**
   * Records `corp` as the store's unless one is recorded already, in one step (two starts of different corps on one new
   * store cannot both win). Resolves with the corp the store belongs to now.
   */
  claimCorp(corp: string): Promise<string>;
  /**
   * Takes the store for this process alone, for as long as it runs (SQLite: an exclusive lock the OS drops when the
   * process ends, however it ends); false when another process holds it. A store several instances share (Redis, or
   * one in memory) has nothing to lock: true.
   */
  lock(): Promise<boolean>;
  /** Lets the lock go (a clean stop; closing the store does it too). */
  unlock(): Promise<void>;
  /** True when the bot has written nothing here yet (a new store). */
  isEmpty(): Promise<boolean>;
  /** Deletes everything the bot wrote here (its record of itself too). */
  wipe(): Promise<void>;
}

/** One delivery waiting in (or taken from) the {@link Inbox}. */
export interface InboxEntry {
  /** The dedup key of the delivery (`msg:<MsgId>` or `evt:<hash>`). */
  key: string;
  /** Entries of one lane run one after another, in arrival order (one member's commands). */
  lane: string;
  /** Urgent lanes are taken first (a welcome message's code lives 20 s). */
  urgent: boolean;
  /** The parsed inbound, as JSON. */
  payload: string;
  /** How many times the entry has been taken, this time included (more than one after a crash or a deferral). */
  attempts: number;
  /** How many of those runs ended put off for later (see {@link Inbox.defer}); 0 when none. */
  deferred?: number;
}

/** What {@link Inbox.enqueue} did with a delivery. */
export type EnqueueOutcome = 'accepted' | 'duplicate' | 'full';

/**
 * The durable inbox: the dedup record and the queued work are one write, so a delivery acknowledged with 200 is
 * handled even if the process dies right after. An entry is ready, then leased to one worker, then done; a done
 * entry stays as the dedup record until its TTL ends.
 */
export interface Inbox {
  /**
   * In one atomic step: `duplicate` when the key is known (waiting, running, or done within its TTL); `full` when
   * `capacity` entries wait or run (nothing is recorded, so WeCom's retry is handled later); else `accepted`.
   */
  enqueue(entry: Omit<InboxEntry, 'attempts'>, capacity: number): Promise<EnqueueOutcome>;
  /** Leases up to `max` entries to `owner` for `leaseMs`: the head of each lane that nobody holds, urgent lanes first. */
  take(owner: string, max: number, leaseMs: number): Promise<InboxEntry[]>;
  /** Extends the leases `owner` holds on these entries' lanes. */
  renew(owner: string, entries: readonly InboxEntry[], leaseMs: number): Promise<void>;
  /**
   * Gives a leased entry back, to be taken again (first in its lane) once `untilMs` has passed, its deferrals counted:
   * work that waits for WeCom (a blocked API) or for the store without holding a worker. The lane waits meanwhile.
   */
  defer(owner: string, entry: InboxEntry, untilMs: number): Promise<void>;
  /** Marks an entry done, kept as the dedup record for `dedupTtlMs`; its lane's next entry becomes ready. */
  complete(owner: string, entry: InboxEntry, dedupTtlMs: number): Promise<void>;
  /** Entries waiting or running. */
  backlog(): Promise<number>;
  /**
   * When the oldest entry waiting or running arrived (ms since the epoch; a deferred one counts from the end of its
   * wait), or undefined when there is none: an old one means the inbox does not drain.
   */
  oldest(): Promise<number | undefined>;
  /** Up to `max` entries waiting or running, without taking them (which corp a store's work is for; operators). */
  peek(max: number): Promise<InboxEntry[]>;
  /**
   * Makes entries whose lease ended ready again (their worker died). `all` takes over every lease: for a store
   * only one process uses (SQLite, memory), a lease found at start belongs to a process that is gone.
   */
  recover(all: boolean): Promise<number>;
}

/**
 * An append-only log indexed by time (and by one tag, such as the member an entry is about): the newest entries
 * come from an index, never from a scan of the whole log. Entries older than their retention are purged.
 */
export interface Timeline<V> {
  /** Adds `value` at time `at` (ms), findable by `tag`; it is purged once `retentionMs` has passed. */
  append(at: number, tag: string, value: V, retentionMs: number): Promise<void>;
  /** The newest `limit` entries, newest first; only those of `tag` when given. */
  newest(opts: { limit: number; tag?: string }): Promise<V[]>;
}
