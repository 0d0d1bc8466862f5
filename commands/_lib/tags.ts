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

/** Forgets the cached tag list (after a change by the bot or in the admin console). */
export async function forgetTags(target: { store: CommandContext['store'] }): Promise<void> {
  await target.store.namespace(TAG_CACHE).delete(KEY);
}

/**
 * The tag id meant by `word`: a tag id, or an exact tag name. An ambiguous name lists the candidates instead of
 * guessing.
 * @throws UserError for an unknown or ambiguous tag.
 */
export function resolveTag(index: TagIndex, word: string): string {
  if (index.byId.has(word)) return word;
  const ids = index.byName.get(word) ?? [];
  if (ids.length === 1) return ids[0] as string;
  if (ids.length === 0) throw new UserError('common.tagUnknown', { name: word });
  const candidates = ids.map((id) => `${index.byId.get(id)?.group}/${word} (${id})`).join('；');
  throw new UserError('common.tagAmbiguous', { name: word, candidates });
}
