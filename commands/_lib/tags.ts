import { defineNamespace, UserError, type CommandContext } from '../../src/bot/command.js';
import type { CorpTagGroup } from '../../src/wecom/index.js';

/** How long the corp's tag list is reused (names change rarely; a tag command refreshes it). */
const TAG_CACHE_MS = 5 * 60_000;
const KEY = 'corp';

/** The corp's tag list as get_corp_tag_list answered it, kept briefly. */
const TAG_CACHE = defineNamespace<CorpTagGroup[]>('tag-cache');

/** The corp's tags by id and by exact name. */
export interface TagIndex {
  groups: CorpTagGroup[];
  byId: Map<string, { name: string; group: string; groupId: string }>;
  byName: Map<string, string[]>;
}

/** Reads get_corp_tag_list through a short cache in the store. */
export async function tagIndex(ctx: CommandContext, fresh = false): Promise<TagIndex> {
  const cache = ctx.store.namespace(TAG_CACHE);
  let groups = fresh ? undefined : await cache.get(KEY);
  if (!groups) {
    groups = (await ctx.client.externalContact.getCorpTags()).tag_group;
    await cache.set(KEY, groups, TAG_CACHE_MS);
  }
  const byId = new Map<string, { name: string; group: string; groupId: string }>();
  const byName = new Map<string, string[]>();
  for (const group of groups) {
    for (const tag of group.tag) {
      byId.set(tag.id, { name: tag.name, group: group.group_name, groupId: group.group_id });
      byName.set(tag.name, [...(byName.get(tag.name) ?? []), tag.id]);
    }
  }
  return { groups, byId, byName };
}

/** What the bot keeps of a tag or tag group it created. */
interface OwnTag {
  name: string;
  by: string;
  at: number;
}

/**
 * Ids of the tags and tag groups the bot created: WeCom lets an app edit and delete only the tags it created
 * (docs 92117, 96320), so the bot keeps them, as it keeps its 「联系我」 ways.
 */
const OWN_TAGS = defineNamespace<OwnTag>('own-tags');

/** Records tags (and a group) the bot just created. */
export async function rememberOwnTags(ctx: CommandContext, created: readonly { id: string; name: string }[]): Promise<void> {
  const own = ctx.store.namespace(OWN_TAGS);
  for (const tag of created) await own.set(tag.id, { name: tag.name, by: ctx.user, at: Date.now() });
}

/** Forgets tags the bot deleted. */
export async function forgetOwnTags(ctx: CommandContext, ids: readonly string[]): Promise<void> {
  const own = ctx.store.namespace(OWN_TAGS);
  for (const id of ids) await own.delete(id);
}

/**
 * Refuses tags the bot did not create, before any card or call: WeCom would answer 40068 for them.
 * @throws UserError naming them and where they can be changed instead.
 */
export async function requireOwnTags(ctx: CommandContext, index: TagIndex, ids: readonly string[]): Promise<void> {
  const own = ctx.store.namespace(OWN_TAGS);
  const foreign: string[] = [];
  for (const id of ids) if ((await own.get(id)) === undefined) foreign.push(index.byId.get(id)?.name ?? id);
  if (foreign.length > 0) throw new UserError('commands.tags.messages.notOwn', { tags: foreign.join(ctx.listSeparator) });
}

/** Forgets the cached tag list (after a change by the bot or in the admin console). */
export async function forgetTags(target: { store: CommandContext['store'] }): Promise<void> {
  await target.store.namespace(TAG_CACHE).delete(KEY);
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
