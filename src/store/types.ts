/** The named areas of the store; every piece of state the bot keeps lives in one of them. */
export type NamespaceName =
  | 'tokens'
  | 'dedup'
  | 'claims'
  | 'pending'
  | 'audit'
  | 'prefs'
  | 'contact-ways'
  | 'welcome'
  | 'jobs'
  | 'transfers'
  | 'cache';

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
  namespace<V>(name: NamespaceName): Namespace<V>;
  /**
   * Atomically records `key` for `ttlMs`; resolves true for the first caller only, across every process sharing
   * the store (Redis `SET NX`). Used for dedup keys and "execute once" guards.
   */
  claim(key: string, ttlMs: number): Promise<boolean>;
  /** Forgets a claim, so that a later `claim` of the same key succeeds again. */
  release(key: string): Promise<void>;
  close(): Promise<void>;
}

/** The prefix of every key the bot writes in a shared backend (Redis). */
export const KEY_PREFIX = 'wco';
