import { foldScript } from '../i18n/script.js';
import { nearest } from '../i18n/words.js';
import type { Logger } from '../log.js';
import { defineNamespace, type Namespace, type Store } from '../store/index.js';
import { mapLimit, WeComError, WeComTransportError, type WeComClient } from '../wecom/index.js';

/** A member as the bot knows them: UserID, display name, and whether they have left the contacts (resigned). */
export interface DirectoryEntry {
  userid: string;
  name: string;
  /** The English name or alias, when the admin set one. */
  alias?: string;
  /** The departments the member is in, as the contacts list them. */
  department?: number[];
  /** Gone from the contacts (WeCom removes a member who resigns): kept, so their customers can still be named. */
  gone?: boolean;
  /** When the member was last seen in the contacts (ms). */
  seenAt: number;
}

interface Directory {
  refreshedAt: number;
  members: DirectoryEntry[];
}

/** Departments whose members are read at once (WeCom's per-minute limits leave room for far more). */
const DEPARTMENTS_AT_ONCE = 8;
/** How long this process trusts its own copy of the directory before it looks at the store again. */
const MEMO_MS = 60_000;
/** The contacts are read again after a day; a big corp's, after a week (see {@link refreshAfter}). */
const REFRESH_MS = 24 * 3600_000;
const BIG_REFRESH_MS = 7 * 24 * 3600_000;
/** Above this many members a directory is a big corp's: its daily reading would be hundreds of calls. */
const BIG_DIRECTORY = 1000;

/**
 * How long a directory serves before the contacts are read again. A self-built app cannot list the corp's member ids
 * alone (user/list_id takes the 通讯录同步 secret only, doc 96067), so a reading is every department's members: a big
 * corp's directory follows WeCom's change_contact events between weekly readings instead of being read daily.
 */
function refreshAfter(directory: Directory): number {
  // A directory read before members' departments were kept is read again at once (who is in which department counts).
  if (directory.members.length > 0 && !directory.members.some((m) => m.department !== undefined)) return 0;
  return directory.members.length > BIG_DIRECTORY ? BIG_REFRESH_MS : REFRESH_MS;
}
/** A member who left is remembered this long (a resigned member's customers wait for assignment for months). */
const KEEP_GONE_MS = 365 * 24 * 3600_000;
const KEY = 'corp';

/** A member as the contacts list them. */
type Contact = Pick<DirectoryEntry, 'userid' | 'name' | 'alias' | 'department'>;

/** The members' names, read from WeCom's contacts and kept in the store (shared by every instance). */
const DIRECTORY = defineNamespace<Directory>('member-directory');

/** A name an admin gave a member WeCom no longer names (resigned before the bot first read the contacts). */
interface GivenName {
  name: string;
  by: string;
  at: number;
}

/** The names admins gave, by UserID (lower case). */
const GIVEN_NAMES = defineNamespace<GivenName>('member-names');

/**
 * The member directory of one bot: read from the contacts when stale (a day; a big corp's a week, kept current by change
 * events between); members who left stay in it (marked
 * gone) for a year. When the contacts cannot be read (no permission, WeCom unreachable), the last directory serves,
 * or none. Replies that name several members run in parallel: a stale directory is read from the contacts once.
 */
export class MemberDirectory {
  private readonly kept: Namespace<Directory>;
  private readonly given: Namespace<GivenName>;
  private refreshing: Promise<DirectoryEntry[]> | undefined;

  constructor(private readonly deps: { client: WeComClient; store: Store; log: Logger; now?: () => number }) {
    this.kept = deps.store.namespace(DIRECTORY);
    this.given = deps.store.namespace(GIVEN_NAMES);
  }

  /**
   * Every member the bot knows: those of the contacts, those who left (kept a year), and those an admin named because
   * WeCom no longer does (the contacts' own name wins while a member is in them).
   */
  async entries(): Promise<DirectoryEntry[]> {
    const read = await this.read();
    const named: DirectoryEntry[] = [];
    for await (const [userid, given] of this.given.entries()) {
      const known = read.find((m) => m.userid.toLowerCase() === userid);
      if (!known || known.gone) named.push({ userid: known?.userid ?? userid, name: given.name, gone: true, seenAt: known?.seenAt ?? given.at });
    }
    if (named.length === 0) return read;
    const renamed = new Set(named.map((m) => m.userid.toLowerCase()));
    return [...read.filter((m) => !renamed.has(m.userid.toLowerCase())), ...named];
  }

  /**
   * Gives a member WeCom no longer names a name people can use (`/成员 备注 zhouba 周八`), for every instance.
   * @returns the contacts' own entry instead, when the member is in them (their name is WeCom's).
   */
  async giveName(userid: string, name: string, by: string): Promise<DirectoryEntry | undefined> {
    const present = (await this.read()).find((m) => m.userid.toLowerCase() === userid.toLowerCase() && !m.gone);
    if (present) return present;
    await this.given.set(userid.toLowerCase(), { name, by, at: this.now() });
    return undefined;
  }

  /** The directory as this process last read it, and when: read again from the store after {@link MEMO_MS}. */
  private memo: { at: number; directory: Directory } | undefined;

  /**
   * The directory of the contacts: from this process's copy for a minute (a big corp's directory is a megabyte a
   * read), else from the store while it is fresh ({@link refreshAfter}), else read again.
   */
  private async read(): Promise<DirectoryEntry[]> {
    const now = this.now();
    const memo = this.memo;
    if (memo && now - memo.at < MEMO_MS && now - memo.directory.refreshedAt < refreshAfter(memo.directory)) return memo.directory.members;
    const cached = await this.kept.get(KEY);
    if (cached && now - cached.refreshedAt < refreshAfter(cached)) {
      this.memo = { at: now, directory: cached };
      return cached.members;
    }
    this.refreshing ??= this.refresh(cached).finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  /**
   * The members `word` names: by UserID (any case); else by display name, in either Chinese script (张三 or 張三);
   * else by English name or alias. Several when a name is shared; none when nothing matches.
   */
  async named(word: string): Promise<DirectoryEntry[]> {
    const members = await this.entries();
    const wanted = foldScript(word);
    const byId = members.filter((m) => m.userid.toLowerCase() === word.trim().toLowerCase());
    if (byId.length > 0) return byId.slice(0, 1);
    const byName = members.filter((m) => foldScript(m.name) === wanted);
    return byName.length > 0 ? byName : members.filter((m) => m.alias !== undefined && foldScript(m.alias) === wanted);
  }

  /**
   * The members whose name is closest to `word` (a typo, a near name), best first, at most `limit`: by edit distance on
   * the name (either script) and on how it sounds in pinyin (李思 → 李四, "zhang san" → 张三).
   */
  async closest(word: string, limit = 3): Promise<DirectoryEntry[]> {
    const members = await this.entries();
    // The pinyin dictionary (about a megabyte) is loaded the first time a name matches nobody, not at start.
    const { soundOf } = await import('../i18n/pinyin.js');
    return nearest([foldScript(word), `~${soundOf(word)}`], members, (m) => [foldScript(m.name), `~${soundOf(m.name)}`], limit);
  }

  /**
   * Every member of the contacts, with their names: each department's members once (user/list, as WeCom asks), a few
   * departments at a time (a corp of 200 departments is read in about 25 round trips, not 200), in the order WeCom
   * lists the departments whichever answered first.
   */
  private async readContacts(): Promise<Contact[]> {
    const { client } = this.deps;
    const { department_id } = await client.contacts.departments(1);
    const lists = await mapLimit(department_id, DEPARTMENTS_AT_ONCE, async (d) => (await client.contacts.members(d.id)).userlist);
    const byId = new Map<string, Contact>();
    for (const list of lists) {
      for (const m of list) {
        byId.set(m.userid, { userid: m.userid, name: m.name, ...(m.alias ? { alias: m.alias } : {}), department: m.department });
      }
    }
    return [...byId.values()];
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  private async refresh(cached: Directory | undefined): Promise<DirectoryEntry[]> {
    const now = this.now();
    let current: Contact[];
    try {
      current = await this.readContacts();
    } catch (err) {
      if (!WeComError.is(err) && !WeComTransportError.is(err)) throw err;
      this.deps.log.warn({ event: 'directory.unreadable', errcode: WeComError.is(err) ? err.errcode : undefined });
      return cached?.members ?? [];
    }
    const present = new Set(current.map((m) => m.userid));
    const members: DirectoryEntry[] = [
      ...current.map((m) => ({ ...m, seenAt: now })),
      ...(cached?.members ?? []).filter((m) => !present.has(m.userid) && now - m.seenAt < KEEP_GONE_MS).map((m) => ({ ...m, gone: true })),
    ];
    await this.keep({ refreshedAt: now, members });
    return members;
  }

  private async keep(directory: Directory): Promise<void> {
    await this.kept.set(KEY, directory);
    this.memo = { at: this.now(), directory };
  }

  /**
   * A change of the contacts WeCom told (change_contact, doc 90970: create_user, update_user with only the fields that
   * changed, delete_user): the directory follows it at once, without reading the contacts again.
   */
  async applyChange(fields: Readonly<Record<string, string>>): Promise<void> {
    const userid = fields.UserID;
    const change = fields.ChangeType;
    if (!userid || !['create_user', 'update_user', 'delete_user'].includes(change ?? '')) return;
    const directory = this.memo?.directory ?? (await this.kept.get(KEY));
    // Nothing read yet: the first read takes the contacts as they are now.
    if (!directory) return;
    const now = this.now();
    const same = (m: DirectoryEntry) => m.userid.toLowerCase() === userid.toLowerCase();
    const known = directory.members.find(same);
    const others = directory.members.filter((m) => !same(m));
    let members: DirectoryEntry[];
    if (change === 'delete_user') members = known ? [...others, { ...known, gone: true }] : others;
    else {
      const name = fields.Name ?? known?.name ?? userid;
      const alias = fields.Alias ?? known?.alias;
      // The event names the departments when they changed ("1,2,3").
      const department = fields.Department ? fields.Department.split(',').map(Number).filter(Number.isInteger) : known?.department;
      const entry: DirectoryEntry = {
        userid: fields.NewUserID || userid,
        name,
        ...(alias ? { alias } : {}),
        ...(department ? { department } : {}),
        seenAt: now,
      };
      members = known ? directory.members.map((m) => (same(m) ? entry : m)) : [...others, entry];
    }
    await this.keep({ refreshedAt: directory.refreshedAt, members });
    this.deps.log.info({ event: 'directory.changed', change, user: userid });
  }
}
