import { defineNamespace, type Namespace, type Store } from '../store/index.js';
import type { CorpTagGroup, WeComClient } from '../wecom/index.js';

/** How long the corp's tag list is reused (names change rarely; a tag command refreshes it). */
const TAG_CACHE_MS = 5 * 60_000;
const KEY = 'corp';

/** The corp's tag list as get_corp_tag_list answered it, kept briefly. */
const TAG_CACHE = defineNamespace<CorpTagGroup[]>('tag-cache');

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

/** The corp's tags by id and by exact name. */
export interface TagIndex {
  groups: CorpTagGroup[];
  byId: Map<string, { name: string; group: string; groupId: string }>;
  byName: Map<string, string[]>;
}

/**
 * The corp's customer tags as one bot knows them: the list WeCom gives, through a short cache in the store (shared by
 * every instance), and which of them the bot created (the only ones WeCom lets it change).
 */
export class CorpTags {
  private readonly cache: Namespace<CorpTagGroup[]>;
  private readonly own: Namespace<OwnTag>;

  constructor(private readonly deps: { client: WeComClient; store: Store }) {
    this.cache = deps.store.namespace(TAG_CACHE);
    this.own = deps.store.namespace(OWN_TAGS);
  }

  /** The tag list, indexed; `fresh` reads it from WeCom whatever the cache holds (before a change). */
  async index(fresh = false): Promise<TagIndex> {
    let groups = fresh ? undefined : await this.cache.get(KEY);
    if (!groups) {
      groups = (await this.deps.client.externalContact.getCorpTags()).tag_group;
      await this.cache.set(KEY, groups, TAG_CACHE_MS);
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

  /** Forgets the cached list (after a change by the bot or in the admin console). */
  async forget(): Promise<void> {
    await this.cache.delete(KEY);
  }

  /** Records tags (and a group) the bot just created, for `by`. */
  async remember(created: readonly { id: string; name: string }[], by: string): Promise<void> {
    for (const tag of created) await this.own.set(tag.id, { name: tag.name, by, at: Date.now() });
  }

  /** Forgets tags the bot deleted. */
  async forgetOwn(ids: readonly string[]): Promise<void> {
    for (const id of ids) await this.own.delete(id);
  }

  /** The ids among `ids` that the bot did not create (WeCom would answer 40068 for them). */
  async foreign(ids: readonly string[]): Promise<string[]> {
    const out: string[] = [];
    for (const id of ids) if ((await this.own.get(id)) === undefined) out.push(id);
    return out;
  }
}
