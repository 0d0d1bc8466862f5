import type { GroupChatStatData } from '../../wecom/types/index.js';
import { dayStart, type Corp } from '../corp.js';
import { simError } from '../errors.js';
import { ownerFilter } from './groupchats.js';
import type { Endpoint, SimContext } from './types.js';
import { intField, requireInt, stringList } from './validate.js';

const DAY = 86400;

/**
 * The days (Asia/Shanghai midnights) of a closed range, checked against WeCom's 30-day span and 180-day history;
 * `untilYesterday` refuses today (group-chat statistics are computed once a day is over).
 */
function days(corp: Corp, start: number, end: number, untilYesterday = false): number[] {
  const first = dayStart(start);
  const last = dayStart(end);
  if (untilYesterday && last >= dayStart(corp.nowSeconds())) throw simError(40058, 'group statistics cover days up to yesterday');
  if (last < first) throw simError(40058, 'end_time is before start_time');
  if ((last - first) / DAY + 1 > 30) throw simError(40058, 'the time span must be at most 30 days');
  if (first < dayStart(corp.nowSeconds()) - 180 * DAY) throw simError(40058, 'only the last 180 days are kept');
  const list: number[] = [];
  for (let d = first; d <= last; d += DAY) list.push(d);
  return list;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

function sumStats(list: Required<GroupChatStatData>[]): GroupChatStatData {
  const sum = (key: keyof GroupChatStatData) => list.reduce((acc, d) => acc + (d[key] ?? 0), 0);
  const last = list[list.length - 1];
  return {
    new_chat_cnt: sum('new_chat_cnt'),
    chat_total: last?.chat_total ?? 0,
    chat_has_msg: sum('chat_has_msg'),
    new_member_cnt: sum('new_member_cnt'),
    member_total: last?.member_total ?? 0,
    member_has_msg: sum('member_has_msg'),
    msg_total: sum('msg_total'),
    migrate_trainee_chat_cnt: 0,
  };
}

/**
 * The days and owners a group-chat statistics request asks about, with each owner's chat count (counted once per
 * request: a corp-wide request over thousands of owners must not walk every chat per owner and day).
 */
function groupChatQuery(body: Record<string, unknown>, ctx: SimContext): { range: number[]; owners: string[]; counts: Map<string, number> } {
  const begin = requireInt(body, 'day_begin_time');
  const range = days(ctx.corp, begin, body.day_end_time === undefined ? begin : requireInt(body, 'day_end_time'), true);
  const filter = ownerFilter(body, ctx);
  const counts = ctx.corp.chatCounts();
  const owners = filter ? filter.filter((u) => ctx.corp.members.has(u)) : [...counts.keys()];
  return { range, owners, counts };
}

const ORDER_KEYS: (keyof GroupChatStatData)[] = ['new_chat_cnt', 'chat_total', 'chat_has_msg', 'new_member_cnt', 'member_total', 'member_has_msg', 'msg_total'];
/** What groupchat/statistic sorts by, for order_by 1 to 4. */
const ORDER_BY: (keyof GroupChatStatData)[] = ['new_chat_cnt', 'chat_total', 'new_member_cnt', 'member_total'];

/** Behaviour and group-chat statistics, derived deterministically from the corp's seed. */
export const statisticsEndpoints: Endpoint[] = [
  {
    method: 'POST',
    path: 'externalcontact/get_user_behavior_data',
    token: 'any',
    handle: ({ body }, { corp, partyReading }) => {
      const users = stringList(body, 'userid', { max: 100 });
      const parties = Array.isArray(body.partyid) ? (body.partyid as unknown[]).map(Number) : [];
      if (parties.length > 100) throw simError(40058, 'more than 100 departments');
      if (users.length === 0 && parties.length === 0) throw simError(40058, 'userid and partyid are both empty');
      for (const u of users) corp.member(u);
      const members = new Set(users);
      // A member who left is no longer in any department (WeCom removes them from the contacts).
      const inParty = (d: number) => parties.some((p) => (partyReading === 'recursive' ? corp.isWithin(d, p) : d === p));
      for (const m of corp.members.values()) if (m.status === 'active' && m.department.some(inParty)) members.add(m.userid);
      const range = days(corp, requireInt(body, 'start_time'), requireInt(body, 'end_time'));
      return {
        behavior_data: range.map((day) => {
          const rows = [...members].map((u) => corp.behavior(u, day));
          const chats = rows.reduce((a, r) => a + r.chat_cnt, 0);
          const weighted = (key: 'reply_percentage' | 'avg_reply_time') =>
            chats === 0 ? 0 : round2(rows.reduce((a, r) => a + r[key] * r.chat_cnt, 0) / chats);
          return {
            stat_time: day,
            chat_cnt: chats,
            message_cnt: rows.reduce((a, r) => a + r.message_cnt, 0),
            reply_percentage: weighted('reply_percentage'),
            avg_reply_time: weighted('avg_reply_time'),
            negative_feedback_cnt: rows.reduce((a, r) => a + r.negative_feedback_cnt, 0),
            new_apply_cnt: rows.reduce((a, r) => a + r.new_apply_cnt, 0),
            new_contact_cnt: rows.reduce((a, r) => a + r.new_contact_cnt, 0),
          };
        }),
      };
    },
  },
  {
    method: 'POST',
    path: 'externalcontact/groupchat/statistic',
    token: 'any',
    handle: ({ body }, ctx) => {
      const { corp } = ctx;
      const { range, owners, counts } = groupChatQuery(body, ctx);
      const orderBy = intField(body, 'order_by', 1, 1, 4);
      const asc = intField(body, 'order_asc', 0, 0, 1) === 1;
      const offset = intField(body, 'offset', 0, 0, 1_000_000);
      const limit = intField(body, 'limit', 500, 1, 1000);
      // order_by (doc 92133): 1 new chats, 2 chats, 3 new members, 4 members.
      const key = ORDER_BY[orderBy - 1] as keyof GroupChatStatData;
      const items = owners
        .map((owner) => ({ owner, data: sumStats(range.map((d) => corp.groupChatStat(owner, d, counts))) }))
        .sort((a, b) => ((a.data[key] ?? 0) - (b.data[key] ?? 0)) * (asc ? 1 : -1) || a.owner.localeCompare(b.owner));
      const page = items.slice(offset, offset + limit);
      return { total: items.length, next_offset: offset + page.length, items: page };
    },
  },
  {
    method: 'POST',
    path: 'externalcontact/groupchat/statistic_group_by_day',
    token: 'any',
    handle: ({ body }, ctx) => {
      const { corp } = ctx;
      const { range, owners, counts } = groupChatQuery(body, ctx);
      return {
        items: range.map((day) => {
          const stats = owners.map((o) => corp.groupChatStat(o, day, counts));
          const sum = (k: keyof GroupChatStatData) => stats.reduce((a, s) => a + (s[k] ?? 0), 0);
          return {
            stat_time: day,
            data: Object.fromEntries(ORDER_KEYS.map((k) => [k, sum(k)]).concat([['migrate_trainee_chat_cnt', 0]])) as unknown as GroupChatStatData,
          };
        }),
      };
    },
  },
];
