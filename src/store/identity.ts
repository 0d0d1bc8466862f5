import { hostname } from 'node:os';
import { DEMO_CORP_ID } from '../config.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';
import type { NamespaceKey, Store, StoreMeta } from './types.js';

/**
 * Why a store is refused: a newer schema; another corp's; written before schema 1 with another corp's data, or with
 * nothing that shows whose it is (`unproven`: `npm run store -- adopt` says it is this corp's); another process holds it.
 */
export type RefusalReason = 'newer' | 'otherCorp' | 'olderOtherCorp' | 'unproven' | 'otherProcess';

/** A store that this start must not use; `message` is the one line the operator reads (English, for the log). */
export class StoreRefused extends Error {
  constructor(
    message: string,
    readonly reason: RefusalReason,
    /** What the message names: `stored` and `current` corps, `version` and `supported`, `pid`. */
    readonly params: Record<string, string | number>,
  ) {
    super(message);
    this.name = 'StoreRefused';
  }
}

/** Who is starting on a store. */
export interface StoreClaim {
  /** The corp: its CorpID, or `demo`. */
  corp: string;
  /** The CorpID WeCom addresses this start's callbacks to (in the demo, the simulator's). */
  wecomCorpId: string;
  /** Token-cache keys of this start's secrets: a live token under one shows an older store was this corp's. */
  tokenKeys: readonly string[];
  /** STORE_URL, for the messages. */
  url: string;
  /** One process per store (SQLite): take the store's lock for this process, and refuse a store another holds. */
  exclusive: boolean;
  /**
   * The operator says a store written before stores recorded their corp is this corp's (`npm run store -- adopt`),
   * though nothing in it shows so.
   */
  adopt?: boolean;
}

/** What {@link prepareStore} found and did. */
export interface PreparedStore {
  migrated: { from: number; to: number };
  /**
   * `new`: an empty store, now this corp's; `same`: it already was; `adopted`: written before stores recorded their
   * corp, nothing in it names another, so now this corp's (`evidence` says what showed it was, if anything).
   */
  binding: 'new' | 'same' | 'adopted';
  evidence?: 'token' | 'inbox' | 'operator';
}

/** The demo corp's first members, as every version seeded them: a store whose directory has all three is the demo's. */
const DEMO_PEOPLE: readonly [string, string][] = [
  ['zhangsan', '张三'],
  ['lisi', '李四'],
  ['wangwu', '王五'],
];

/** Namespaces of other rooms, read here only as evidence of whose a store was (never written). */
const TOKENS: NamespaceKey<unknown> = { name: 'tokens', lookOnly: true };
const DIRECTORY: NamespaceKey<{ members?: { userid: string; name: string }[] }> = { name: 'member-directory', lookOnly: true };

const describe = (corp: string) => (corp === 'demo' ? 'the demo' : `corp ${corp}`);
const advice = 'give this corp a store of its own (STORE_URL), or back this one up and empty it (npm run store -- backup <file>, then npm run store -- reset)';
const unproven =
  "nothing in it shows which corp wrote it (before this version the demo used the same file): if it is this corp's, run npm run store -- adopt; if not, ";

/**
 * Whose a store written before stores recorded their corp (schema 0) was, from what it holds: work waiting in the
 * inbox names the corp WeCom addressed it to; a live access token of this start's secrets is this corp's; a member
 * directory holding the demo's people is the demo's.
 */
async function ownerOfOlderStore(store: Store, claim: StoreClaim): Promise<{ corp: string; evidence: 'token' | 'inbox' | 'directory' } | undefined> {
  for (const entry of await store.inbox.peek(50)) {
    let to: unknown;
    try {
      to = (JSON.parse(entry.payload) as { toUserName?: unknown }).toUserName;
    } catch {
      continue;
    }
    if (typeof to !== 'string' || to === '') continue;
    if (to === claim.wecomCorpId) return { corp: claim.corp, evidence: 'inbox' };
    return { corp: to === DEMO_CORP_ID ? 'demo' : to, evidence: 'inbox' };
  }
  const tokens = store.namespace(TOKENS);
  for (const key of claim.tokenKeys) if ((await tokens.get(key)) !== undefined) return { corp: claim.corp, evidence: 'token' };
  const members = (await store.namespace(DIRECTORY).get('corp'))?.members ?? [];
  if (DEMO_PEOPLE.every(([userid, name]) => members.some((m) => m.userid === userid && m.name === name))) return { corp: 'demo', evidence: 'directory' };
  return undefined;
}

/** This process, as a store records it. */
export const thisProcess = (): string => `${process.pid}@${hostname()}`;

/** What {@link assessStore} found: whether a start may use the store, and how it would bind it. */
export interface StoreAssessment {
  version: number;
  /** The corp the store records, if any. */
  corp: string | undefined;
  binding: PreparedStore['binding'];
  evidence?: PreparedStore['evidence'];
}

/**
 * Decides, reading only, whether this start may use the store: refuses a store newer than this code, a store of another
 * corp, and a store written before schema 1 unless something in it shows it is this corp's (a live token of this
 * corp's secrets, work addressed to this corp) or the operator said so (`adopt`); what shows another corp's (the demo's
 * people, work addressed elsewhere) is named. `npm run check` asks the same without changing anything.
 * @throws StoreRefused with the one line to show.
 */
export async function assessStore(store: Store, claim: StoreClaim): Promise<StoreAssessment> {
  const { admin } = store;
  const version = await admin.schemaVersion();
  if (version > SCHEMA_VERSION) {
    throw new StoreRefused(
      `the store ${claim.url} was written in schema version ${version}, newer than this version of the bot knows (${SCHEMA_VERSION}): run the newer version, or restore a backup made for this one (npm run store -- restore <file>)`,
      'newer',
      { version, supported: SCHEMA_VERSION },
    );
  }
  const meta = await admin.readMeta();
  if (meta.corp) {
    if (meta.corp !== claim.corp) {
      throw new StoreRefused(
        `the store ${claim.url} belongs to ${describe(meta.corp)}, and this start is for ${describe(claim.corp)}: ${advice}`,
        'otherCorp',
        {
          stored: meta.corp,
          current: claim.corp,
        },
      );
    }
    return { version, corp: meta.corp, binding: 'same' };
  }
  if (await admin.isEmpty()) return { version, corp: undefined, binding: 'new' };
  const owner = await ownerOfOlderStore(store, claim);
  if (owner && owner.corp !== claim.corp) {
    const held = owner.corp === 'demo' ? "the demo's data (before this version the demo used the same file)" : `data of ${describe(owner.corp)}`;
    throw new StoreRefused(
      `the store ${claim.url} was written by an earlier version and holds ${held}, and this start is for ${describe(claim.corp)}: ${advice}`,
      'olderOtherCorp',
      { stored: owner.corp, current: claim.corp },
    );
  }
  if (owner && owner.evidence !== 'directory') return { version, corp: undefined, binding: 'adopted', evidence: owner.evidence };
  if (claim.adopt) return { version, corp: undefined, binding: 'adopted', evidence: 'operator' };
  throw new StoreRefused(`the store ${claim.url} was written by an earlier version and ${unproven}${advice}`, 'unproven', { current: claim.corp });
}

/**
 * Readies a store for a start, before anything else touches it: takes the store's lock (SQLite: one process at a time),
 * {@link assessStore} (a refused store is left as it was), the migrations, then the corp recorded (if two starts of
 * different corps raced on a new store, the loser is refused) and this process noted.
 * @throws StoreRefused with the one line to show.
 */
export async function prepareStore(store: Store, claim: StoreClaim): Promise<PreparedStore> {
  const { admin } = store;
  if (claim.exclusive && !(await admin.lock())) {
    const holder = (await admin.readMeta().catch(() => ({}) as StoreMeta)).process;
    const pid = holder?.split('@')[0] ?? '?';
    throw new StoreRefused(
      `another process (pid ${pid}) is using the store ${claim.url}: one SQLite file serves one process; stop it first, or run several instances on Redis (STORE_URL=redis://…)`,
      'otherProcess',
      { pid },
    );
  }
  try {
    const { binding, evidence } = await assessStore(store, claim);
    const migrated = await admin.migrate(MIGRATIONS);
    if (binding !== 'same') {
      const owner = await admin.claimCorp(claim.corp);
      if (owner !== claim.corp) {
        throw new StoreRefused(`the store ${claim.url} belongs to ${describe(owner)}, and this start is for ${describe(claim.corp)}: ${advice}`, 'otherCorp', {
          stored: owner,
          current: claim.corp,
        });
      }
      await admin.writeMeta({ boundAt: new Date().toISOString() });
    }
    if (claim.exclusive) await admin.writeMeta({ process: thisProcess() });
    return { migrated, binding, ...(evidence ? { evidence } : {}) };
  } catch (err) {
    if (claim.exclusive) await admin.unlock();
    throw err;
  }
}

/** Forgets this process on the store and lets its lock go (a clean stop). */
export async function releaseStore(store: Store): Promise<void> {
  const meta = await store.admin.readMeta();
  if (meta.process === thisProcess()) await store.admin.writeMeta({ process: '' });
  await store.admin.unlock();
}
