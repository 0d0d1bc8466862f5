import { UserError, type BotServices, type CommandContext, type DirectoryEntry } from '../../src/bot/command.js';

/** What reading the directory needs of a context: the bot's members. */
type WithMembers = { services: Pick<BotServices, 'members'> };

/**
 * Every member the bot knows (the directory of its contacts, read at most once a day; members who left kept a year).
 */
export function memberDirectory(ctx: WithMembers): Promise<DirectoryEntry[]> {
  return ctx.services.members.entries();
}

/** "张三（zhangsan）" for display. */
export function labelOf(entry: DirectoryEntry | undefined, userid: string, ctx: Pick<CommandContext, 't'>): string {
  return entry && entry.name !== userid ? ctx.t('common.memberLabel', { name: entry.name, userid }) : userid;
}

/**
 * The UserID a member is called by: a UserID (any case) as it is, else a display name in either Chinese script, else
 * an English name or alias from the directory. An unknown UserID is returned unchanged (the command's own checks then
 * say what is wrong).
 * @throws UserError when several members share the name, listing them; when a name matches nobody, with the nearest.
 */
export async function resolveMember(ctx: WithMembers & Pick<CommandContext, 't'>, word: string): Promise<string> {
  const named = await ctx.services.members.named(word);
  if (named.length === 1) return named[0]!.userid;
  if (named.length > 1) {
    throw new UserError(
      'common.memberAmbiguous',
      { name: word, candidates: named.map((m) => labelOf(m, m.userid, ctx)).join(ctx.t('common.listSeparator')) },
      { word, choices: named.map((m) => ({ value: m.userid, label: m.userid })) },
    );
  }
  // A UserID the directory does not know (outside it, or gone before the bot came) goes on to the command's own
  // checks; a name never does: it is said to match nobody, with the nearest names to pick from.
  if (!USERID.test(word.trim())) {
    const near = await ctx.services.members.closest(word);
    const candidates = near.map((m) => labelOf(m, m.userid, ctx)).join(ctx.t('common.listSeparator'));
    if (near.length === 0) throw new UserError('common.memberUnknown', { name: word });
    throw new UserError(
      'common.memberUnknownNear',
      { name: word, candidates },
      { word, choices: near.map((m) => ({ value: m.userid, label: labelOf(m, m.userid, ctx) })) },
    );
  }
  return word;
}

/** What a WeCom UserID may hold: letters, digits and _ - . @ (doc 90196), never a Chinese character. */
const USERID = /^[A-Za-z0-9_.@-]+$/;

/**
 * {@link resolveMember} for each word. With `keepUnknown`, a word that names nobody is kept as it is, for a command
 * whose words may be something else too (a period in /统计), which then says what it could not read.
 */
export async function resolveMembers(
  ctx: WithMembers & Pick<CommandContext, 't'>,
  words: readonly string[],
  opts: { keepUnknown?: boolean } = {},
): Promise<string[]> {
  const out: string[] = [];
  for (const word of words) {
    try {
      out.push(await resolveMember(ctx, word));
    } catch (err) {
      const unknown = UserError.is(err) && (err.key === 'common.memberUnknown' || err.key === 'common.memberUnknownNear');
      if (!opts.keepUnknown || !unknown) throw err;
      out.push(word);
    }
  }
  return out;
}

/** A member as people read them: "张三（zhangsan）", or the UserID when the name is not known. */
export async function displayMember(ctx: WithMembers & Pick<CommandContext, 't'>, userid: string): Promise<string> {
  return (await memberLabels(ctx))(userid);
}

/** The display name of each member (one directory read): userid → 张三, or undefined when the name is not known. */
export async function memberNames(ctx: WithMembers): Promise<(userid: string) => string | undefined> {
  const byId = new Map((await memberDirectory(ctx)).map((m) => [m.userid.toLowerCase(), m.name]));
  return (userid) => {
    const name = byId.get(userid.toLowerCase());
    return name && name !== userid ? name : undefined;
  };
}

/** A labeller for many members at once (one directory read): userid → "张三（zhangsan）", or the UserID. */
export async function memberLabels(ctx: WithMembers & Pick<CommandContext, 't'>): Promise<(userid: string) => string> {
  const byId = new Map((await memberDirectory(ctx)).map((m) => [m.userid.toLowerCase(), m]));
  return (userid) => labelOf(byId.get(userid.toLowerCase()), userid, ctx);
}

/**
 * How to write a member in a command line a reply suggests: their name when it names them alone (`--from 周八`), else
 * their UserID.
 */
export async function writtenAs(ctx: WithMembers, userid: string): Promise<string> {
  const name = (await memberNames(ctx))(userid);
  if (name === undefined || /\s/.test(name)) return userid;
  const named = await ctx.services.members.named(name);
  return named.length === 1 && named[0]?.userid === userid ? name : userid;
}
