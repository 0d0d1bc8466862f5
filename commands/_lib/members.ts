import { UserError, type CommandContext } from '../../src/bot/command.js';

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
