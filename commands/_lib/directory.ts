import { defineNamespace, UserError, type CommandContext } from '../../src/bot/command.js';
import { WeComError, WeComTransportError } from '../../src/wecom/index.js';

/** A member as the bot knows them: UserID, display name, and whether they have left the contacts (resigned). */
export interface DirectoryEntry {
  userid: string;
  name: string;
  /** The English name or alias, when the admin set one. */
  alias?: string;
  /** Gone from the contacts (WeCom removes a member who resigns): kept, so their customers can still be named. */
  gone?: boolean;
  /** When the member was last seen in the contacts (ms). */
  seenAt: number;
}

interface Directory {
  refreshedAt: number;
  members: DirectoryEntry[];
}

/** The contacts are read at most once a day. */
const REFRESH_MS = 24 * 3600_000;
/** A member who left is remembered this long (a resigned member's customers wait for assignment for months). */
const KEEP_GONE_MS = 365 * 24 * 3600_000;
const KEY = 'corp';

/** The members' names, read from WeCom's contacts and kept in the store (shared by every instance). */
const DIRECTORY = defineNamespace<Directory>('member-directory');

/** Every member of the contacts (departments walked one by one, as WeCom asks), with their names. */
async function readContacts(ctx: Pick<CommandContext, 'client'>): Promise<{ userid: string; name: string; alias?: string }[]> {
  const { department_id } = await ctx.client.contacts.departments(1);
  const byId = new Map<string, { userid: string; name: string; alias?: string }>();
  for (const department of department_id) {
    for (const m of (await ctx.client.contacts.members(department.id)).userlist) {
      byId.set(m.userid, { userid: m.userid, name: m.name, ...(m.alias ? { alias: m.alias } : {}) });
    }
  }
  return [...byId.values()];
}

/**
 * The member directory: read from the contacts when older than a day; members who left stay in it (marked gone) for a
 * year. When the contacts cannot be read (no permission, WeCom unreachable), the last directory serves, or none.
 */
export async function memberDirectory(ctx: Pick<CommandContext, 'client' | 'store' | 'log'>): Promise<DirectoryEntry[]> {
  const cached = await ctx.store.namespace(DIRECTORY).get(KEY);
  if (cached && Date.now() - cached.refreshedAt < REFRESH_MS) return cached.members;
  // Replies that name several members run in parallel: a stale directory is read from the contacts once, not once each.
  const running = refreshing.get(ctx.store);
  if (running) return running;
  const refresh = refreshDirectory(ctx, cached).finally(() => refreshing.delete(ctx.store));
  refreshing.set(ctx.store, refresh);
  return refresh;
}

/** The directory refreshes running in this process, one per store. */
const refreshing = new WeakMap<object, Promise<DirectoryEntry[]>>();

async function refreshDirectory(ctx: Pick<CommandContext, 'client' | 'store' | 'log'>, cached: Directory | undefined): Promise<DirectoryEntry[]> {
  const store = ctx.store.namespace(DIRECTORY);
  const now = Date.now();
  let current: { userid: string; name: string; alias?: string }[];
  try {
    current = await readContacts(ctx);
  } catch (err) {
    if (!WeComError.is(err) && !WeComTransportError.is(err)) throw err;
    ctx.log.warn({ event: 'directory.unreadable', errcode: WeComError.is(err) ? err.errcode : undefined });
    return cached?.members ?? [];
  }
  const present = new Set(current.map((m) => m.userid));
  const members: DirectoryEntry[] = [
    ...current.map((m) => ({ ...m, seenAt: now })),
    ...(cached?.members ?? []).filter((m) => !present.has(m.userid) && now - m.seenAt < KEEP_GONE_MS).map((m) => ({ ...m, gone: true })),
  ];
  await store.set(KEY, { refreshedAt: now, members });
  return members;
}

/** "张三（zhangsan）" for display. */
export function labelOf(entry: DirectoryEntry | undefined, userid: string, ctx: Pick<CommandContext, 't'>): string {
  return entry && entry.name !== userid ? ctx.t('common.memberLabel', { name: entry.name, userid }) : userid;
}

/**
 * The UserID a member is called by: a UserID (any case) as it is, else a display name, else an English name or
 * alias from the directory. An
 * unknown word is returned unchanged (the command's own checks then say what is wrong).
 * @throws UserError when several members share the name, listing them.
 */
export async function resolveMember(ctx: Pick<CommandContext, 'client' | 'store' | 'log' | 't'>, word: string): Promise<string> {
  const members = await memberDirectory(ctx);
  const wanted = word.trim().toLowerCase();
  const byId = members.find((m) => m.userid.toLowerCase() === wanted);
  if (byId) return byId.userid;
  // By display name, else by English name or alias.
  let named = members.filter((m) => m.name.toLowerCase() === wanted);
  if (named.length === 0) named = members.filter((m) => m.alias?.toLowerCase() === wanted);
  if (named.length === 1) return named[0]!.userid;
  if (named.length > 1) {
    throw new UserError(
      'common.memberAmbiguous',
      { name: word, candidates: named.map((m) => labelOf(m, m.userid, ctx)).join(ctx.t('common.listSeparator')) },
      { word, choices: named.map((m) => ({ value: m.userid, label: m.userid })) },
    );
  }
  return word;
}

/** {@link resolveMember} for each word. */
export async function resolveMembers(ctx: Pick<CommandContext, 'client' | 'store' | 'log' | 't'>, words: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const word of words) out.push(await resolveMember(ctx, word));
  return out;
}

/** A member as people read them: "张三（zhangsan）", or the UserID when the name is not known. */
export async function displayMember(ctx: Pick<CommandContext, 'client' | 'store' | 'log' | 't'>, userid: string): Promise<string> {
  return (await memberLabels(ctx))(userid);
}

/** The display name of each member (one directory read): userid → 张三, or undefined when the name is not known. */
export async function memberNames(ctx: Pick<CommandContext, 'client' | 'store' | 'log'>): Promise<(userid: string) => string | undefined> {
  const byId = new Map((await memberDirectory(ctx)).map((m) => [m.userid.toLowerCase(), m.name]));
  return (userid) => {
    const name = byId.get(userid.toLowerCase());
    return name && name !== userid ? name : undefined;
  };
}

/** A labeller for many members at once (one directory read): userid → "张三（zhangsan）", or the UserID. */
export async function memberLabels(ctx: Pick<CommandContext, 'client' | 'store' | 'log' | 't'>): Promise<(userid: string) => string> {
  const byId = new Map((await memberDirectory(ctx)).map((m) => [m.userid.toLowerCase(), m]));
  return (userid) => labelOf(byId.get(userid.toLowerCase()), userid, ctx);
}
