import type { CorpTag, CorpTagGroup } from '../../wecom/types/index.js';
import { simError } from '../errors.js';
import type { Endpoint } from './types.js';
import { followFromBody, intField, optionalString, requireString, stringList } from './validate.js';

const byOrder = <T extends { order: number }>(list: T[]) => [...list].sort((a, b) => b.order - a.order);

function tagName(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw simError(40058, 'tag name is empty');
  if ([...value].length > 30) throw simError(40058, 'tag name exceeds 30 characters');
  return value;
}

/** Corp tags: list, add, edit, delete, and marking customers. */
export const tagEndpoints: Endpoint[] = [
  {
    method: 'POST',
    path: 'externalcontact/get_corp_tag_list',
    token: 'any',
    handle: ({ body }, { corp }) => {
      const tagIds = stringList(body, 'tag_id', { max: 10_000 });
      const groupIds = stringList(body, 'group_id', { max: 10_000 });
      let groups: CorpTagGroup[] = corp.tagGroups;
      if (groupIds.length > 0) groups = groups.filter((g) => groupIds.includes(g.group_id));
      else if (tagIds.length > 0) {
        groups = groups.map((g) => ({ ...g, tag: g.tag.filter((t) => tagIds.includes(t.id)) })).filter((g) => g.tag.length > 0);
      }
      return { tag_group: byOrder(groups).map((g) => ({ ...g, tag: byOrder(g.tag) })) };
    },
  },
  {
    method: 'POST',
    path: 'externalcontact/add_corp_tag',
    token: 'any',
    handle: ({ body }, { corp }) => {
      const tags = body.tag;
      if (!Array.isArray(tags) || tags.length === 0) throw simError(40058, 'tag list is empty');
      const now = corp.nowSeconds();
      let group: CorpTagGroup | undefined;
      if (typeof body.group_id === 'string' && body.group_id !== '') {
        group = corp.tagGroups.find((g) => g.group_id === body.group_id);
        if (!group) throw simError(40068, 'invalid group_id');
      } else {
        const name = tagName(body.group_name);
        group = corp.tagGroups.find((g) => g.group_name === name);
        if (!group) {
          group = { group_id: corp.newId('et', 20), group_name: name, create_time: now, order: intField(body, 'order', 0, 0, 2 ** 32 - 1), tag: [] };
          corp.tagGroups.push(group);
          corp.appTagIds.add(group.group_id);
        }
      }
      const created: CorpTag[] = [];
      for (const raw of tags as { name?: unknown; order?: unknown }[]) {
        const name = tagName(raw?.name);
        if (group.tag.some((t) => t.name === name)) throw simError(40071, `tag name exists: ${name}`);
        // A name repeated within one request is one tag (doc 92117: merged, not refused).
        if (created.some((t) => t.name === name)) continue;
        created.push({ id: corp.newId('et', 20), name, create_time: now, order: intField(raw as Record<string, unknown>, 'order', 0, 0, 2 ** 32 - 1) });
      }
      // The corp's cap on tags (doc 92117; global error code 40126).
      if (corp.tagIndex().size + created.length > corp.tagCap) throw simError(40126);
      group.tag.push(...created);
      for (const tag of created) corp.appTagIds.add(tag.id);
      return { tag_group: { group_id: group.group_id, group_name: group.group_name, create_time: group.create_time, order: group.order, tag: created } };
    },
  },
  {
    method: 'POST',
    path: 'externalcontact/edit_corp_tag',
    token: 'any',
    handle: ({ body }, { corp }) => {
      const id = requireString(body, 'id', 40068);
      // An app edits only the tags it created: others answer as if they did not exist (doc 92117; 40068 as reported).
      if (!corp.appTagIds.has(id)) throw simError(40068, 'the app may edit only the tags it created');
      const name = body.name === undefined ? undefined : tagName(body.name);
      const order = body.order === undefined ? undefined : intField(body, 'order', 0, 0, 2 ** 32 - 1);
      optionalString(body, 'name', 30);
      const group = corp.tagGroups.find((g) => g.group_id === id);
      if (group) {
        if (name !== undefined && corp.tagGroups.some((g) => g !== group && g.group_name === name)) throw simError(40071);
        if (name !== undefined) group.group_name = name;
        if (order !== undefined) group.order = order;
        return {};
      }
      const owner = corp.tagGroups.find((g) => g.tag.some((t) => t.id === id));
      const tag = owner?.tag.find((t) => t.id === id);
      if (!owner || !tag) throw simError(40068);
      if (name !== undefined && owner.tag.some((t) => t !== tag && t.name === name)) throw simError(40071);
      if (name !== undefined) tag.name = name;
      if (order !== undefined) tag.order = order;
      return {};
    },
  },
  {
    method: 'POST',
    path: 'externalcontact/del_corp_tag',
    token: 'any',
    handle: ({ body }, { corp }) => {
      const tagIds = stringList(body, 'tag_id', { max: 10_000 });
      const groupIds = stringList(body, 'group_id', { max: 10_000 });
      if (tagIds.length === 0 && groupIds.length === 0) throw simError(40058, 'tag_id and group_id are both empty');
      const index = corp.tagIndex();
      for (const id of tagIds) if (!index.has(id) || !corp.appTagIds.has(id)) throw simError(40068, `invalid tag id (or not created by the app): ${id}`);
      for (const id of groupIds) {
        if (!corp.tagGroups.some((g) => g.group_id === id) || !corp.appTagIds.has(id))
          throw simError(40068, `invalid group id (or not created by the app): ${id}`);
      }
      const removed = new Set(tagIds);
      for (let i = corp.tagGroups.length - 1; i >= 0; i--) {
        const group = corp.tagGroups[i]!;
        if (groupIds.includes(group.group_id)) for (const t of group.tag) removed.add(t.id);
        group.tag = group.tag.filter((t) => !removed.has(t.id));
        if (group.tag.length === 0) corp.tagGroups.splice(i, 1);
      }
      corp.dropTags(removed);
      return {};
    },
  },
  {
    method: 'POST',
    path: 'externalcontact/mark_tag',
    token: 'any',
    handle: ({ body }, { corp }) => {
      const follow = followFromBody(body, corp);
      const add = stringList(body, 'add_tag', { max: 1000 });
      const remove = stringList(body, 'remove_tag', { max: 1000 });
      if (add.length === 0 && remove.length === 0) throw simError(40058, 'add_tag and remove_tag are both empty');
      const index = corp.tagIndex();
      for (const id of [...add, ...remove]) if (!index.has(id)) throw simError(40068, `invalid tag id: ${id}`);
      follow.tagIds = [...new Set([...follow.tagIds.filter((t) => !remove.includes(t)), ...add])];
      return {};
    },
  },
];
