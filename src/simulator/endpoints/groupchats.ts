import { pageOf } from '../cursor.js';
import type { Corp } from '../corp.js';
import { simError } from '../errors.js';
import type { Endpoint, SimContext, SimRequest } from './types.js';
import { intField, objectField, requireString, stringList } from './validate.js';

/** The owners a query is limited to, or undefined for all; 81017 when the corp is too large for "all". */
export function ownerFilter(body: Record<string, unknown>, ctx: SimContext): string[] | undefined {
  const filter = objectField(body, 'owner_filter');
  const owners = stringList(filter, 'userid_list', { max: 100 });
  if (owners.length === 0) {
    if (ctx.corp.members.size > ctx.ownerFilterThreshold) throw simError(81017);
    return undefined;
  }
  return owners;
}

function transferChats(req: SimRequest, corp: Corp, kind: 'resigned' | 'onjob') {
  const chatIds = stringList(req.body, 'chat_id_list', { max: 100, required: true });
  const newOwner = corp.member(requireString(req.body, 'new_owner', 41009));
  if (newOwner.status !== 'active') throw simError(60111, `new owner has resigned: ${newOwner.userid}`);
  const failed: { chat_id: string; errcode: number; errmsg: string }[] = [];
  for (const id of chatIds) {
    const chat = corp.groupChats.get(id);
    const owner = chat ? corp.members.get(chat.owner) : undefined;
    const fail = (errcode: number) => failed.push({ chat_id: id, errcode, errmsg: simError(errcode).errmsg });
    if (!chat) fail(86003);
    else if (!chat.external) fail(90501);
    else if (kind === 'resigned' && owner?.status !== 'resigned') fail(90500);
    else if (kind === 'onjob' && owner?.status === 'resigned') fail(90502);
    else {
      chat.members = chat.members.filter((m) => m.userid !== newOwner.userid);
      chat.members.unshift({ userid: newOwner.userid, type: 1, join_time: corp.nowSeconds(), join_scene: 1 });
      chat.owner = newOwner.userid;
      chat.status = kind === 'resigned' ? 3 : 0;
      chat.transfers.push({ at: corp.nowSeconds() });
    }
  }
  return { failed_chat_list: failed };
}

/** Customer group chats: list, detail, and the two transfer APIs. */
export const groupChatEndpoints: Endpoint[] = [
  {
    method: 'POST',
    path: 'externalcontact/groupchat/list',
    token: 'any',
    handle: ({ body }, ctx) => {
      if (body.limit === undefined) throw simError(40058, 'limit is required');
      const limit = intField(body, 'limit', 0, 1, 1000);
      const status = intField(body, 'status_filter', 0, 0, 3);
      const owners = ownerFilter(body, ctx);
      const chats = [...ctx.corp.groupChats.values()].filter((c) => (status === 0 || c.status === status) && (!owners || owners.includes(c.owner)));
      const { page, next_cursor } = pageOf(chats, body.cursor, limit, `groupchat:${status}:${owners?.join(',') ?? '*'}`);
      return { group_chat_list: page.map((c) => ({ chat_id: c.chat_id, status: c.status })), next_cursor };
    },
  },
  {
    method: 'POST',
    path: 'externalcontact/groupchat/get',
    token: 'any',
    handle: ({ body }, { corp }) => {
      const chat = corp.groupChats.get(requireString(body, 'chat_id'));
      if (!chat?.external) throw simError(86003);
      const needName = intField(body, 'need_name', 0, 0, 1) === 1;
      return {
        group_chat: {
          chat_id: chat.chat_id,
          name: chat.name,
          owner: chat.owner,
          create_time: chat.create_time,
          notice: chat.notice,
          member_list: chat.members.map(({ name, ...m }) => (needName && name ? { ...m, name } : m)),
          admin_list: chat.admins.map((userid) => ({ userid })),
          member_version: String(chat.members.length + chat.transfers.length),
        },
      };
    },
  },
  { method: 'POST', path: 'externalcontact/groupchat/transfer', token: 'any', handle: (req, { corp }) => transferChats(req, corp, 'resigned') },
  { method: 'POST', path: 'externalcontact/groupchat/onjob_transfer', token: 'any', handle: (req, { corp }) => transferChats(req, corp, 'onjob') },
];
