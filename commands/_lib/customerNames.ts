import { UserError, type CommandContext } from '../../src/bot/command.js';
import { looksLikeCustomerId } from './checks.js';
import { displayMember } from './directory.js';

/** Customers listed when a name matches several. */
const SHOW_MATCHES = 5;

/**
 * The customer a word means: an external_userid as it is, else a customer of `member` whose name or remark is the
 * word (`/客户 详情 孙丽`). Several matches are listed, each with its id, so the next message can name one.
 * @throws UserError when none or several of the member's customers are called so.
 */
export async function findCustomer(ctx: CommandContext, word: string, member: string): Promise<string> {
  if (looksLikeCustomerId(word)) return word;
  const wanted = word.trim().toLowerCase();
  const matches: { id: string; name: string; remark: string }[] = [];
  for await (const page of ctx.client.externalContact.iterateBatchGetByUser([member])) {
    for (const item of page.external_contact_list) {
      const name = item.external_contact.name;
      const remark = item.follow_info.remark;
      if (name.toLowerCase() === wanted || (remark !== '' && remark.toLowerCase() === wanted)) {
        matches.push({ id: item.external_contact.external_userid, name, remark });
      }
    }
  }
  if (matches.length === 1) return matches[0]!.id;
  if (matches.length === 0) throw new UserError('common.customerNotFound', { value: word, user: await displayMember(ctx, member) });
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
  for await (const page of ctx.client.externalContact.iterateBatchGetByUser([member])) {
    for (const item of page.external_contact_list) {
      const id = item.external_contact.external_userid;
      if (wanted.has(id)) names.set(id, item.external_contact.name);
    }
    if (names.size === wanted.size) break;
  }
  return names;
}
