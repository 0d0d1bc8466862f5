import { pageOf } from '../cursor.js';
import { dayStart, type Corp } from '../corp.js';
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

/** While its owner works there, a chat may change owner at most twice in 90 days (doc 95703). */
const ONJOB_MOVES_PER_WINDOW = 2;
const ONJOB_WINDOW_SECONDS = 90 * 86400;
/** One new owner takes at most this many chats a day (doc 95703). */
const CHATS_PER_OWNER_PER_DAY = 300;

function transferChats(req: SimRequest, corp: Corp, kind: 'resigned' | 'onjob') {
  const chatIds = stringList(req.body, 'chat_id_list', { max: 100, required: true });
  const newOwner = corp.member(requireString(req.body, 'new_owner', 41009));
  if (newOwner.status !== 'active') throw simError(60111, `new owner has resigned: ${newOwner.userid}`);
  // The new owner must be someone the app sees, with 客户联系, as for customers (docs 92127, 95703).
  if (!corp.inRange(newOwner)) throw simError(60011, `new owner is outside the app's visible range: ${newOwner.userid}`);
  if (newOwner.customerContact === false) throw simError(84074, `new owner has no customer contact: ${newOwner.userid}`);
  const now = corp.nowSeconds();
  const today = dayStart(now);
  let takenToday = [...corp.groupChats.values()].flatMap((c) => c.transfers).filter((t) => t.to === newOwner.userid && t.at >= today).length;
  const failed: { chat_id: string; errcode: number; errmsg: string }[] = [];
  for (const id of chatIds) {
    const chat = corp.groupChats.get(id);
    const owner = chat ? corp.members.get(chat.owner) : undefined;
    const fail = (errcode: number, detail?: string) => failed.push({ chat_id: id, errcode, errmsg: simError(errcode, detail).errmsg });
    if (!chat) fail(86003);
    else if (!chat.external) fail(90501);
    else if (chat.owner === newOwner.userid) fail(90504);
    else if (kind === 'resigned' && chat.status === 3) fail(90508);
    else if (kind === 'resigned' && owner?.status !== 'resigned') fail(90500);
    else if (kind === 'onjob' && owner?.status === 'resigned') fail(90502);
    else if (kind === 'onjob' && chat.transfers.filter((t) => t.onjob && t.at > now - ONJOB_WINDOW_SECONDS).length >= ONJOB_MOVES_PER_WINDOW) fail(40128);
    else if (takenToday >= CHATS_PER_OWNER_PER_DAY) fail(45009, `one new owner takes at most ${CHATS_PER_OWNER_PER_DAY} chats a day`);
    else {
      takenToday += 1;
      chat.members = chat.members.filter((m) => m.userid !== newOwner.userid);
      chat.members.unshift({ userid: newOwner.userid, type: 1, join_time: corp.nowSeconds(), join_scene: 1 });
      chat.owner = newOwner.userid;
      chat.status = kind === 'resigned' ? 3 : 0;
      chat.transfers.push({ at: now, to: newOwner.userid, onjob: kind === 'onjob' });
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
