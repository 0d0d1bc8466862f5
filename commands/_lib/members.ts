import { UserError, type AskChoice, type CommandContext } from '../../src/bot/command.js';
import { memberNames } from './directory.js';

/**
 * Refuses, before any card or call, members who cannot act for customer contact (not in get_follow_user_list: unknown,
 * resigned, or without customer contact), naming them and where to look them up.
 * @throws UserError with `key` and the unknown members.
 */
export async function requireContactMembers(ctx: CommandContext, users: readonly string[], key: string): Promise<void> {
  if (users.length === 0) return;
  const { follow_user } = await ctx.client.externalContact.getFollowUsers();
  const known = new Set(follow_user.map((u) => u.toLowerCase()));
  const unknown = users.filter((u) => !known.has(u.toLowerCase()));
  if (unknown.length > 0) throw new UserError(key, { users: unknown.join(ctx.listSeparator) });
}

/** Members in service with 客户联系, by name: the likely answers where a member who acts for customers is asked for. */
export async function contactMemberChoices(ctx: CommandContext): Promise<AskChoice[]> {
  const { follow_user } = await ctx.client.externalContact.getFollowUsers();
  const nameOf = await memberNames(ctx);
  return follow_user.map((userid): AskChoice => ({ value: userid, label: nameOf(userid) ?? userid }));
}
