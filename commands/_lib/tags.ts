import { foldScript, nearest, UserError, type BotServices, type CommandContext, type TagIndex } from '../../src/bot/command.js';

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
 * The tag id meant by `word`: a tag id, or a tag name in either script (重要, 轉介紹). A name several groups share is
 * asked about (group/name as buttons); a name no tag has offers the nearest names.
 * @throws UserError for an unknown or ambiguous tag.
 */
export function resolveTag(index: TagIndex, word: string, ctx: Pick<CommandContext, 't' | 'listSeparator'>): string {
  if (index.byId.has(word)) return word;
  const wanted = foldScript(word);
  const names = [...index.byName.keys()];
  const name = index.byName.has(word) ? word : names.find((n) => foldScript(n) === wanted);
  const ids = name === undefined ? [] : (index.byName.get(name) ?? []);
  if (ids.length === 1) return ids[0] as string;
  if (ids.length > 1) {
    const choices = ids.map((id) => ({ value: id, label: `${index.byId.get(id)?.group}/${name}` }));
    throw new UserError('common.tagAmbiguous', { name: word, candidates: choices.map((c) => c.label).join(ctx.listSeparator) }, { word, choices });
  }
  const near = nearest([wanted], names, (n) => [foldScript(n)]);
  if (near.length === 0) throw new UserError('common.tagUnknown', { name: word });
  throw new UserError(
    'common.tagUnknownNear',
    { name: word, candidates: near.join(ctx.listSeparator) },
    { word, choices: near.map((n) => ({ value: n, label: n })) },
  );
}
