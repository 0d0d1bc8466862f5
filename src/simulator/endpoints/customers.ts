import type { FollowUserTag } from '../../wecom/types/index.js';
import { decodeCursor, encodeCursor, pageOf } from '../cursor.js';
import type { Corp, SimFollow } from '../corp.js';
import { simError } from '../errors.js';
import { leftTooLongAgo } from './transfers.js';
import type { Endpoint } from './types.js';
import { followFromBody, intField, optionalString, stringList } from './validate.js';

function tagsOf(corp: Corp, follow: SimFollow): FollowUserTag[] {
  const index = corp.tagIndex();
  return follow.tagIds.flatMap((id) => {
    const found = index.get(id);
    return found ? [{ group_name: found.group.group_name, tag_name: found.name, tag_id: id, type: 1 as const }] : [];
  });
}

function followFields(f: SimFollow) {
  return {
    userid: f.userid,
    remark: f.remark,
    description: f.description,
    createtime: f.createtime,
    remark_corp_name: f.remark_corp_name,
    remark_mobiles: f.remark_mobiles,
    oper_userid: f.oper_userid,
    add_way: f.add_way,
    ...(f.state ? { state: f.state } : {}),
  };
}

/** Customers still waiting for a new owner after their member resigned. */
export function unassigned(corp: Corp): { handover_userid: string; external_userid: string; dimission_time: number }[] {
  const list: { handover_userid: string; external_userid: string; dimission_time: number }[] = [];
  for (const member of corp.members.values()) {
    // A member who left over a year ago is no longer listed: their customers cannot be handed over (doc 96331).
    if (member.status !== 'resigned' || leftTooLongAgo(corp, member)) continue;
    // A customer whose transfer waits for its takeover is still listed: WeCom's docs do not say it leaves the list
    // before the takeover, so the simulator takes the reading that gives a caller no help (see docs/wecom-conformance.md).
    for (const id of corp.customerIdsOf(member.userid)) {
      list.push({ handover_userid: member.userid, external_userid: id, dimission_time: member.dimissionTime ?? 0 });
    }
  }
  return list;
}

/**
 * One page of the follows of `users`, member after member, read a page at a time (a member with 20,000 derived
 * customers is not built whole for every page).
 */
function followsOfUsers(corp: Corp, users: string[], cursor: unknown, limit: number): { page: SimFollow[]; next_cursor: string } {
  const scope = `batch:${users.join(',')}`;
  const start = decodeCursor(cursor, scope);
  const page: SimFollow[] = [];
  let before = 0;
  for (const userid of users) {
    const count = corp.customerCount(userid);
    if (page.length < limit && start < before + count) {
      page.push(...corp.followPage(userid, Math.max(0, start - before), limit - page.length));
    }
    before += count;
  }
  const end = start + page.length;
  return { page, next_cursor: end < before ? encodeCursor(end, scope) : '' };
}

/** Members, customer lists, customer details, remarks, unassigned customers. */
export const customerEndpoints: Endpoint[] = [
  {
    method: 'GET',
    path: 'externalcontact/get_follow_user_list',
    token: 'any',
    // Only members in the app's visible range who have 客户联系 (doc 92571).
    handle: (_req, { corp }) => ({ follow_user: corp.followUsers().map((m) => m.userid) }),
  },
  {
    method: 'GET',
    path: 'externalcontact/list',
    token: 'any',
    handle: ({ query }, { corp }) => {
      corp.settleTransfers();
      const member = corp.member(query.userid);
      if (member.status === 'resigned') throw simError(60111, `userid resigned: ${member.userid}`);
      // WeCom's list has no paging: a member with 20,000 customers gets 20,000 ids.
      const ids = corp.customerIdsOf(member.userid);
      if (ids.length === 0) throw simError(84061);
      return { external_userid: ids };
    },
  },
  {
    method: 'GET',
    path: 'externalcontact/get',
    token: 'any',
    handle: ({ query }, { corp }) => {
      corp.settleTransfers();
      const customer = corp.customer(query.external_userid);
      const follows = corp.followersOf(customer.external_userid);
      const { page, next_cursor } = pageOf(follows, query.cursor, 500, `get:${customer.external_userid}`);
      return {
        external_contact: customer,
        follow_user: page.map((f) => ({ ...followFields(f), tags: tagsOf(corp, f) })),
        next_cursor,
      };
    },
  },
  {
    method: 'POST',
    path: 'externalcontact/batch/get_by_user',
    token: 'any',
    handle: ({ body }, { corp }) => {
      corp.settleTransfers();
      const users = stringList(body, 'userid_list', { max: 100, required: true, missingCode: 41009 });
      for (const u of users) corp.member(u);
      const limit = intField(body, 'limit', 50, 1, 100);
      const { page, next_cursor } = followsOfUsers(corp, users, body.cursor, limit);
      return {
        external_contact_list: page.map((f) => ({
          external_contact: corp.findCustomer(f.external_userid),
          follow_info: { ...followFields(f), tag_id: f.tagIds },
        })),
        next_cursor,
      };
    },
  },
  {
    method: 'POST',
    path: 'externalcontact/remark',
    token: 'any',
    handle: ({ body }, { corp }) => {
      const follow = followFromBody(body, corp);
      const remark = optionalString(body, 'remark', 20);
      const description = optionalString(body, 'description', 150);
      const company = optionalString(body, 'remark_company', 20);
      const mobiles = body.remark_mobiles === undefined ? undefined : stringList(body, 'remark_mobiles', { max: 10 });
      const pic = optionalString(body, 'remark_pic_mediaid');
      if ([remark, description, company, mobiles, pic].every((v) => v === undefined)) {
        throw simError(40058, 'remark, description, remark_company, remark_mobiles and remark_pic_mediaid are all empty');
      }
      if (remark !== undefined) follow.remark = remark;
      if (description !== undefined) follow.description = description;
      if (company !== undefined) follow.remark_corp_name = company;
      if (mobiles !== undefined) follow.remark_mobiles = mobiles.filter((m) => m !== '');
      return {};
    },
  },
  {
    method: 'POST',
    path: 'externalcontact/get_unassigned_list',
    token: 'any',
    handle: ({ body }, { corp }) => {
      corp.settleTransfers();
      const pageSize = intField(body, 'page_size', 1000, 1, 1000);
      const pageId = intField(body, 'page_id', 0, 0, 1_000_000);
      // Pages go by cursor (doc 92124: page_id is no longer honoured beyond the first page; stricter reading: refused).
      if (pageId > 0) throw simError(40058, 'page_id is no longer supported: page with cursor');
      const all = unassigned(corp);
      if (typeof body.cursor === 'string' && body.cursor !== '') {
        const { page, next_cursor } = pageOf(all, body.cursor, pageSize, 'unassigned');
        return { info: page, is_last: next_cursor === '', next_cursor };
      }
      const start = pageId * pageSize;
      const page = all.slice(start, start + pageSize);
      const more = start + page.length < all.length;
      return { info: page, is_last: !more, next_cursor: more ? encodeCursor(start + page.length, 'unassigned') : '' };
    },
  },
];
