import { hostname } from 'node:os';
import { DEMO_CORP_ID } from '../config.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';
import type { NamespaceKey, Store } from './types.js';

/** Why a store is refused: a newer schema, another corp's, another corp's data from before schema 1, a live process. */
export type RefusalReason = 'newer' | 'otherCorp' | 'olderOtherCorp' | 'otherProcess';

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
  /** One process per store (SQLite): record this one, and refuse a store another live process on this host uses. */
  exclusive: boolean;
}

/** What {@link prepareStore} found and did. */
export interface PreparedStore {
  migrated: { from: number; to: number };
  /**
   * `new`: an empty store, now this corp's; `same`: it already was; `adopted`: written before stores recorded their
   * corp, nothing in it names another, so now this corp's (`evidence` says what showed it was, if anything).
   */
  binding: 'new' | 'same' | 'adopted';
  evidence?: 'token' | 'inbox';
  /** A record of another host's process that was taken over (it cannot be checked from here). */
  tookOverFrom?: string;
}

/** The demo corp's first members, as every version seeded them: a store whose directory has all three is the demo's. */
const DEMO_PEOPLE: readonly [string, string][] = [
  ['zhangsan', '张三'],
  ['lisi', '李四'],
  ['wangwu', '王五'],
];

/** Namespaces of other rooms, read here only as evidence of whose a store was (never written). */
const TOKENS = { name: 'tokens' } as NamespaceKey<unknown>;
const DIRECTORY = { name: 'member-directory' } as NamespaceKey<{ members?: { userid: string; name: string }[] }>;

const describe = (corp: string) => (corp === 'demo' ? 'the demo' : `corp ${corp}`);
const advice = 'give this corp a store of its own (STORE_URL), or back this one up and empty it (npm run store -- backup <file>, then npm run store -- reset)';

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

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
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
  tookOverFrom?: string;
}

/**
 * Decides, reading only, whether this start may use the store: refuses a store newer than this code, a store of another
 * corp (or written before schema 1 with another corp's work in it), and (SQLite) a store another live process on this
 * host uses. `npm run check` asks the same without changing anything.
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
  let binding: PreparedStore['binding'] = 'same';
  let evidence: PreparedStore['evidence'];
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
  } else if (await admin.isEmpty()) {
    binding = 'new';
  } else {
    const owner = await ownerOfOlderStore(store, claim);
    if (owner && owner.corp !== claim.corp) {
      const held = owner.corp === 'demo' ? "the demo's data (before this version the demo used the same file)" : `data of ${describe(owner.corp)}`;
      throw new StoreRefused(
        `the store ${claim.url} was written by an earlier version and holds ${held}, and this start is for ${describe(claim.corp)}: ${advice}`,
        'olderOtherCorp',
        { stored: owner.corp, current: claim.corp },
      );
    }
    binding = 'adopted';
    if (owner && owner.evidence !== 'directory') evidence = owner.evidence;
  }
  let tookOverFrom: string | undefined;
  if (claim.exclusive && meta.process && meta.process !== thisProcess()) {
    const [pid, host] = meta.process.split('@');
    if (host === hostname() && alive(Number(pid))) {
      throw new StoreRefused(
        `another process (pid ${pid}) is using the store ${claim.url}: one SQLite file serves one process; stop it first, or run several instances on Redis (STORE_URL=redis://…)`,
        'otherProcess',
        { pid: pid ?? '' },
      );
    }
    if (host !== hostname()) tookOverFrom = meta.process;
  }
  return { version, corp: meta.corp, binding, ...(evidence ? { evidence } : {}), ...(tookOverFrom ? { tookOverFrom } : {}) };
}

/**
 * Readies a store for a start, before anything else touches it: {@link assessStore} (a refused store is left as it
 * was), then the migrations, then the corp and this process recorded.
 * @throws StoreRefused with the one line to show.
 */
export async function prepareStore(store: Store, claim: StoreClaim): Promise<PreparedStore> {
  const { admin } = store;
  const { binding, evidence, tookOverFrom } = await assessStore(store, claim);
  const migrated = await admin.migrate(MIGRATIONS);
  await admin.writeMeta({
    ...(binding === 'same' ? {} : { corp: claim.corp, boundAt: new Date().toISOString() }),
    ...(claim.exclusive ? { process: thisProcess() } : {}),
  });
  return { migrated, binding, ...(evidence ? { evidence } : {}), ...(tookOverFrom ? { tookOverFrom } : {}) };
}

/** Forgets this process on the store (a clean stop), so the store tools know it is free. */
export async function releaseStore(store: Store): Promise<void> {
  const meta = await store.admin.readMeta();
  if (meta.process === thisProcess()) await store.admin.writeMeta({ process: '' });
}

/**
 * True when a store's recorded process (`pid@host`) is another process alive on this host (the store tools refuse to
 * restore or reset under a running bot).
 */
export function isLiveElsewhere(recorded: string | undefined): boolean {
  if (!recorded || recorded === thisProcess()) return false;
  const [pid, host] = recorded.split('@');
  return host === hostname() && alive(Number(pid));
}
