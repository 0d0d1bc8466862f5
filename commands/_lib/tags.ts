import { UserError, type BotServices, type CommandContext, type TagIndex } from '../../src/bot/command.js';

export type { TagIndex } from '../../src/bot/command.js';

/** What reading the corp's tags needs of a context: the bot's tags. */
type WithTags = { services: Pick<BotServices, 'tags'> };

/** The corp's tag list, indexed (see `ctx.services.tags`); `fresh` before a change. */
export function tagIndex(ctx: WithTags, fresh = false): Promise<TagIndex> {
  return ctx.services.tags.index(fresh);
}

/**
 * Refuses tags the bot did not create, before any card or call: WeCom would answer 40068 for them.
 * @throws UserError naming them and where they can be changed instead.
 */
export async function requireOwnTags(ctx: WithTags & Pick<CommandContext, 'listSeparator'>, index: TagIndex, ids: readonly string[]): Promise<void> {
  const foreign = (await ctx.services.tags.foreign(ids)).map((id) => index.byId.get(id)?.name ?? id);
  if (foreign.length > 0) throw new UserError('commands.tags.messages.notOwn', { tags: foreign.join(ctx.listSeparator) });
}

/**
 * The tag id meant by `word`: a tag id, or an exact tag name. An ambiguous name lists the candidates instead of
 * guessing.
 * @throws UserError for an unknown or ambiguous tag.
 */
export function resolveTag(index: TagIndex, word: string, ctx: Pick<CommandContext, 't'>): string {
  if (index.byId.has(word)) return word;
  const ids = index.byName.get(word) ?? [];
  if (ids.length === 1) return ids[0] as string;
  if (ids.length === 0) throw new UserError('common.tagUnknown', { name: word });
  const candidates = ids.map((id) => `${index.byId.get(id)?.group}/${word} (${id})`).join(ctx.t('common.clauseSeparator'));
  throw new UserError('common.tagAmbiguous', { name: word, candidates });
}
