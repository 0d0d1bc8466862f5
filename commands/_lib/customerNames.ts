import { foldScript, UserError, type CommandContext } from '../../src/bot/command.js';
import { mapLimit } from '../../src/wecom/index.js';
import { departmentsUnder, readDepartments } from './departments.js';
import { looksLikeCustomerId } from './checks.js';
import { displayMember } from './directory.js';
import { simpleReply } from '../../src/render/reply.js';

/** Up to this many customers are named by reading each (externalcontact/get), not the member's pages. */
const FEW_BY_ID = 5;

/** Customers listed when a name matches several. */
const SHOW_MATCHES = 5;

/**
 * The customer a word means: an external_userid as it is, else a customer of `member` whose name or remark is the
 * word (`/客户 详情 孙丽`). Several matches are listed, each with its id, so the next message can name one.
 * @throws UserError when none or several of the member's customers are called so.
 */
export async function findCustomer(ctx: CommandContext, word: string, member: string): Promise<string> {
  if (looksLikeCustomerId(word)) return word;
  const matches = await customersCalled(ctx, word, [member]);
  if (matches.length === 1) return matches[0]!.id;
  if (matches.length === 0) throw new UserError('common.customerNotFound', { value: word, user: await displayMember(ctx, member) });
  return ambiguous(ctx, word, matches);
}

/**
 * {@link findCustomer} among every member's customers, for a manager who may open any of them (`/客户 详情 孙丽`
 * typed by a manager who does not follow 孙丽): first the asker's own, then everyone's — in a corp of more than
 * {@link EVERYONE_MAX} members, those of the manager's own departments, and the reply says how to name the member.
 * @throws UserError when none or several customers of the corp are called so.
 */
export async function findAnyCustomer(ctx: CommandContext, word: string): Promise<string> {
  if (looksLikeCustomerId(word)) return word;
  const own = await customersCalled(ctx, word, [ctx.user]);
  if (own.length === 1) return own[0]!.id;
  if (own.length > 1) return ambiguous(ctx, word, own);
  const { follow_user } = await ctx.client.externalContact.getFollowUsers();
  const others = follow_user.filter((u) => u.toLowerCase() !== ctx.user.toLowerCase());
  const searched = others.length > EVERYONE_MAX ? await colleagues(ctx, others) : others;
  const everyone = await customersCalled(ctx, word, searched);
  const unique = [...new Map(everyone.map((m) => [m.id, m])).values()];
  if (unique.length === 1) return unique[0]!.id;
  if (unique.length > 1) return ambiguous(ctx, word, unique);
  if (searched.length < others.length) throw new UserError('common.customerNotNearby', { value: word, members: searched.length, total: others.length + 1 });
  throw new UserError('common.customerNowhere', { value: word });
}

/**
 * Members whose customers a manager's look-up by name reads at most: each is a member's pages the first time (a big
 * corp's million customers would be ten thousand calls), so beyond it only the manager's own departments are read.
 */
const EVERYONE_MAX = 200;

/**
 * The members of `among` in the asker's departments and the departments under them (a regional head's teams), at most
 * {@link EVERYONE_MAX}; without the department list (the contacts unreadable), the asker's own departments.
 */
async function colleagues(ctx: CommandContext, among: readonly string[]): Promise<string[]> {
  const entries = await ctx.services.members.entries();
  const own = entries.find((m) => m.userid.toLowerCase() === ctx.user.toLowerCase())?.department ?? [];
  const near = departmentsUnder((await readDepartments(ctx)) ?? [], own);
  const ids = new Set(entries.filter((m) => !m.gone && (m.department ?? []).some((d) => near.has(d))).map((m) => m.userid.toLowerCase()));
  return among.filter((u) => ids.has(u.toLowerCase())).slice(0, EVERYONE_MAX);
}

/** A customer whose name or remark is the word, and who follows them. */
interface Match {
  id: string;
  name: string;
  remark: string;
  follower: string;
}

/** Members whose index is read at once (a manager's look-up among everyone's customers). */
const MEMBERS_AT_ONCE = 4;

/**
 * The customers of `members` whose name or remark is the word (case and script aside), from the index of names (read
 * from WeCom the first time a member's customers are looked through, then kept current by its events); a member whose
 * first reading is long (over 1,000 customers) is told about, so the asker knows to wait.
 */
async function customersCalled(ctx: CommandContext, word: string, members: string[]): Promise<Match[]> {
  const wanted = foldScript(word);
  const matches = await mapLimit(members, MEMBERS_AT_ONCE, async (member) => {
    const slow = () => void displayMember(ctx, member).then((who) => ctx.send(simpleReply(ctx.t('common.indexingCustomers', { user: who }), 'comment')));
    return (await ctx.services.customerNames.of(member, slow))
      .filter((c) => foldScript(c.name) === wanted || (c.remark !== '' && foldScript(c.remark) === wanted))
      .map((c) => ({ ...c, follower: member }));
  });
  return matches.flat();
}

/** Several customers answer to the word: listed, each with its id, and asked about. */
function ambiguous(ctx: CommandContext, word: string, matches: readonly Match[]): never {
  const listed = matches
    .slice(0, SHOW_MATCHES)
    .map((m) => ctx.t('common.customerCandidate', { name: m.name, id: m.id, remark: m.remark || '—' }))
    .join(ctx.t('common.clauseSeparator'));
  throw new UserError(
    'common.customerAmbiguous',
    { value: word, count: matches.length, candidates: listed },
    { word, choices: matches.map((m) => ({ value: m.id, label: m.remark || m.name })) },
  );
}

/**
 * The names of `ids` among the customers of `member`, read from batch/get_by_user page by page until every id is
 * found (ids that are not the member's customers stay unnamed).
 */
export async function customerNames(ctx: CommandContext, member: string, ids: readonly string[]): Promise<Map<string, string>> {
  const wanted = new Set(ids);
  const names = new Map<string, string>();
  if (wanted.size === 0) return names;
  // A few customers cost a call each; more, the member's pages until all are found (at most one call per 100).
  if (wanted.size <= FEW_BY_ID) {
    for (const id of wanted) {
      const found = await ctx.client.externalContact.get(id).catch(() => undefined);
      if (found) names.set(id, found.external_contact.name);
    }
    return names;
  }
  for await (const page of ctx.client.externalContact.iterateBatchGetByUser([member])) {
    for (const item of page.external_contact_list) {
      const id = item.external_contact.external_userid;
      if (wanted.has(id)) names.set(id, item.external_contact.name);
    }
    if (names.size === wanted.size) break;
  }
  return names;
}
