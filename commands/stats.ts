import { action, defineCommand, UserError, type CommandContext } from '../src/bot/command.js';
import { formatDate, WECOM_DAYS_ZONE, zoneOffsetMs } from '../src/render/format.js';
import { bold, code, color, type Line } from '../src/render/markdown.js';
import { row, type Reply, type Section } from '../src/render/reply.js';
import type { GroupChatStatData } from '../src/wecom/index.js';
import { addBehaviour, bucketed, emptyTotals, grainOf, memberTotals, mergeTotals, RANKED_MEMBERS_MAX, rates, type Totals } from './_lib/behaviour.js';
import { sparkline, untilYesterday, windows, type DayRange } from './_lib/dates.js';
import { todayIn } from './_lib/periods.js';
import { fitPeriod, readReportWords } from './_lib/reportPeriod.js';
import { chunk } from './_lib/transfers.js';
import { memberLabels, resolveMembers } from './_lib/directory.js';

/** WeCom's limits: 30 days a call, 180 days of history, 100 members a call. */
const WINDOW_DAYS = 30;
const HISTORY_DAYS = 180;
const MEMBERS_PER_CALL = 100;

/** The words after /统计: a period as people say it, and members' UserIDs; anything else is refused in words. */
async function request(ctx: CommandContext<{ words?: string[]; from?: string; to?: string }>, members: 'allowed' | 'none') {
  const today = todayIn(ctx.timeZone);
  const { period, others } = readReportWords(ctx.args.words ?? [], today);
  let users: string[] = [];
  if (others.length > 0) {
    // Members by UserID or by name.
    others.splice(0, others.length, ...(await resolveMembers(ctx, others, { keepUnknown: true })));
    const known =
      members === 'allowed' ? new Set((await ctx.client.externalContact.getFollowUsers()).follow_user.map((u) => u.toLowerCase())) : new Set<string>();
    const unread = others.filter((w) => !known.has(w.toLowerCase()));
    if (unread.length > 0) throw new UserError('commands.stats.messages.unreadable', { words: unread.join(' ') });
    users = others;
  }
  const fitted = fitPeriod(ctx, period, ctx.args, HISTORY_DAYS);
  // WeCom counts its statistics in Beijing days: a corp elsewhere is told its dates are read that way.
  const now = Date.now();
  if (zoneOffsetMs(ctx.timeZone, now) !== zoneOffsetMs(WECOM_DAYS_ZONE, now)) fitted.notes.push(ctx.t('messages.beijingDays', { zone: ctx.timeZone }));
  return { fitted, users };
}

async function behaviour(ctx: CommandContext<{ words?: string[]; party?: string[]; from?: string; to?: string }>): Promise<Reply> {
  const { fitted, users: named } = await request(ctx, 'allowed');
  const range = fitted.range;
  const parties = (ctx.args.party ?? []).map(Number).filter((n) => Number.isInteger(n));
  let users = named;
  if (users.length === 0 && parties.length === 0) users = (await ctx.client.externalContact.getFollowUsers()).follow_user;
  const byDay = new Map<number, Totals>();
  const batches = users.length > 0 ? chunk(users, MEMBERS_PER_CALL) : [[]];
  for (const batch of batches) {
    for (const w of windows(range, WINDOW_DAYS)) {
      const res = await ctx.client.externalContactStatistics.userBehavior(batch, w.from, w.to, batch === batches[0] ? parties : []);
      for (const d of res.behavior_data) {
        const t = byDay.get(d.stat_time) ?? emptyTotals();
        addBehaviour(t, d);
        byDay.set(d.stat_time, t);
      }
    }
  }
  const total = emptyTotals();
  for (const t of byDay.values()) mergeTotals(total, t);
  const r = rates(total);
  const who =
    users.length > 0
      ? users.length <= 3
        ? users.map(await memberLabels(ctx)).join(ctx.listSeparator)
        : ctx.t('messages.members', { count: users.length })
      : ctx.t('messages.parties', { parties: parties.join(',') });
  // One message for any period: a row a day up to two weeks, a week up to two months, else a month.
  const grain = grainOf(range.days);
  const rows = bucketed(byDay, grain);
  const trend = grain === 'month' ? bucketed(byDay, 'week') : [...byDay.entries()].sort((a, b) => a[0] - b[0]);
  return {
    title: ctx.t('messages.title', { who, from: formatDate(range.from, WECOM_DAYS_ZONE), to: formatDate(range.to, WECOM_DAYS_ZONE) }),
    sections: [
      ...(fitted.notes.length > 0 ? [{ lines: fitted.notes.map((n): Line => color('comment', n)) }] : []),
      {
        lines: [
          row(ctx.t('fields.chats'), bold(total.chat)),
          row(ctx.t('fields.messages'), bold(total.messages)),
          row(ctx.t('fields.replyRate'), bold(`${r.reply}%`)),
          row(ctx.t('fields.firstReply'), bold(ctx.t('messages.minutes', { minutes: r.minutes }))),
          row(ctx.t('fields.negative'), bold(total.negative)),
          row(ctx.t('fields.applies'), bold(total.applies)),
          row(ctx.t('fields.contacts'), bold(total.contacts)),
        ],
      },
      {
        heading: [bold(ctx.t('messages.trend'))] as Line,
        lines: [
          [color('comment', ctx.t('fields.chats')), ' ', code(sparkline(trend.map(([, t]) => t.chat)))],
          [color('comment', ctx.t('fields.contacts')), ' ', code(sparkline(trend.map(([, t]) => t.contacts)))],
        ],
      },
      {
        heading: [bold(ctx.t(`messages.per.${grain}`))] as Line,
        lines: rows.map(([label, t]): Line => {
          const dr = rates(t);
          return [
            color('comment', grain === 'day' ? label.slice(5) : grain === 'week' ? ctx.t('messages.weekOf', { date: label.slice(5) }) : label),
            ' ',
            ctx.t('messages.dayLine', { chats: t.chat, messages: t.messages, reply: dr.reply, minutes: dr.minutes, contacts: t.contacts }),
          ];
        }),
      },
      ...(await ranking(ctx, users, range)),
    ],
  };
}

/** Members shown at each end of a ranking. */
const RANK_SHOWN = 3;

/** Top and bottom members by new customers and by reply rate, when the report covers several members. */
async function ranking(ctx: CommandContext, users: readonly string[], range: DayRange): Promise<Section[]> {
  if (users.length < 2 || users.length > RANKED_MEMBERS_MAX) return [];
  const { range: ranked, totals } = await memberTotals(ctx, users, range);
  const entries = [...totals.entries()];
  const nameOf = await memberLabels(ctx);
  const line = (label: string, list: [string, number][], unit: string): Line => [
    color('comment', label),
    ' ',
    list.map(([u, v]) => `${nameOf(u)} ${v}${unit}`).join(' · '),
  ];
  const byContacts = entries.map(([u, t]): [string, number] => [u, t.contacts]).sort((a, b) => b[1] - a[1]);
  const byReply = entries.map(([u, t]): [string, number] => [u, rates(t).reply]).sort((a, b) => b[1] - a[1]);
  const ends = (list: [string, number][]) => ({
    top: list.slice(0, RANK_SHOWN),
    bottom: list.length > RANK_SHOWN ? list.slice(-RANK_SHOWN).reverse() : [],
  });
  const contacts = ends(byContacts);
  const reply = ends(byReply);
  return [
    {
      heading: [bold(ctx.t('messages.ranking'))] as Line,
      lines: [
        ...(ranked.from !== range.from ? [color('comment', ctx.t('messages.rankedRecent', { from: formatDate(ranked.from, WECOM_DAYS_ZONE) }))] : []),
        line(ctx.t('messages.mostContacts'), contacts.top, ''),
        ...(contacts.bottom.length > 0 ? [line(ctx.t('messages.fewestContacts'), contacts.bottom, '')] : []),
        line(ctx.t('messages.bestReply'), reply.top, '%'),
        ...(reply.bottom.length > 0 ? [line(ctx.t('messages.worstReply'), reply.bottom, '%')] : []),
      ],
    },
  ];
}

function sumStats(a: GroupChatStatData, b: GroupChatStatData): GroupChatStatData {
  return {
    new_chat_cnt: a.new_chat_cnt + b.new_chat_cnt,
    chat_total: b.chat_total,
    chat_has_msg: a.chat_has_msg + b.chat_has_msg,
    new_member_cnt: a.new_member_cnt + b.new_member_cnt,
    member_total: b.member_total,
    member_has_msg: a.member_has_msg + b.member_has_msg,
    msg_total: a.msg_total + b.msg_total,
  };
}

async function groupStats(ctx: CommandContext<{ words?: string[]; owner?: string[]; from?: string; to?: string; by?: 'day' | 'owner' }>): Promise<Reply> {
  const { fitted } = await request(ctx, 'none');
  // WeCom computes group-chat figures once a day is over: a range reaching today ends yesterday, and says so.
  const { range, clamped } = untilYesterday(fitted.range);
  const notes = [...fitted.notes, ...(clamped ? [ctx.t('messages.groupsUntilYesterday', { to: formatDate(range.to, WECOM_DAYS_ZONE) })] : [])];
  const note = notes.length > 0 ? [{ lines: notes.map((n): Line => color('comment', n)) }] : [];
  let owners = ctx.args.owner ?? [];
  if (owners.length === 0) owners = (await ctx.client.externalContact.getFollowUsers()).follow_user;
  const api = ctx.client.externalContactStatistics;
  const period = ctx.t('messages.period', { from: formatDate(range.from, WECOM_DAYS_ZONE), to: formatDate(range.to, WECOM_DAYS_ZONE) });
  if (ctx.args.by === 'day') {
    const byDay = new Map<number, GroupChatStatData>();
    for (const batch of chunk(owners, MEMBERS_PER_CALL)) {
      for (const w of windows(range, WINDOW_DAYS)) {
        for (const item of (await api.groupChatStatisticGroupByDay(w.from, w.to, batch)).items) {
          const prev = byDay.get(item.stat_time);
          byDay.set(
            item.stat_time,
            prev
              ? { ...sumStats(prev, item.data), chat_total: prev.chat_total + item.data.chat_total, member_total: prev.member_total + item.data.member_total }
              : item.data,
          );
        }
      }
    }
    const days = [...byDay.keys()].sort((a, b) => a - b);
    return {
      title: ctx.t('messages.groupsByDayTitle', { period }),
      sections: [
        ...note,
        { lines: [[color('comment', ctx.t('fields.groupMessages')), ' ', code(sparkline(days.map((d) => byDay.get(d)!.msg_total)))]] },
        {
          lines: days.map((d): Line => {
            const s = byDay.get(d)!;
            return [
              color('comment', formatDate(d, WECOM_DAYS_ZONE).slice(5)),
              ' ',
              ctx.t('messages.groupDayLine', { chats: s.chat_total, newMembers: s.new_member_cnt, messages: s.msg_total }),
            ];
          }),
        },
      ],
    };
  }
  const byOwner = new Map<string, GroupChatStatData>();
  for (const batch of chunk(owners, MEMBERS_PER_CALL)) {
    for (const w of windows(range, WINDOW_DAYS)) {
      for await (const page of api.iterateGroupChatStatistic({
        day_begin_time: w.from,
        day_end_time: w.to,
        owner_filter: { userid_list: batch },
        limit: 1000,
      })) {
        for (const item of page.items) {
          const prev = byOwner.get(item.owner);
          byOwner.set(item.owner, prev ? sumStats(prev, item.data) : item.data);
        }
      }
    }
  }
  const sorted = [...byOwner.entries()].sort((a, b) => b[1].msg_total - a[1].msg_total);
  const person = await memberLabels(ctx);
  return {
    title: ctx.t('messages.groupsTitle', { owners: sorted.length, period }),
    sections: [
      ...note,
      {
        lines: sorted.map(
          ([owner, s]): Line => [
            bold(person(owner)),
            ' ',
            ctx.t('messages.groupOwnerLine', {
              chats: s.chat_total,
              newChats: s.new_chat_cnt,
              members: s.member_total,
              newMembers: s.new_member_cnt,
              messages: s.msg_total,
            }),
          ],
        ),
      },
    ],
  };
}

const period = [
  { name: 'from', type: 'date' },
  { name: 'to', type: 'date' },
] as const;

/** The words after the command: a period as people say it (上周, 本月, last 30 days …) and, for /统计, members. */
const words = [{ name: 'words', type: 'list', rest: true }] as const;

/** /统计: customer-contact behaviour per member and group-chat figures, over any range in the last 180 days. */
const stats = defineCommand({
  id: 'stats',
  names: { 'zh-Hans': '统计', 'zh-Hant': '統計', en: 'stats' },
  actions: [
    action({
      role: 'manager',
      args: words,
      options: [{ name: 'party', type: 'list' }, ...period],
      run: behaviour,
    }),
    action({
      sub: { 'zh-Hans': '群', 'zh-Hant': '群', en: 'groups' },
      role: 'manager',
      args: words,
      options: [{ name: 'owner', type: 'list' }, ...period, { name: 'by', type: 'string', choices: ['day', 'owner'] }],
      run: groupStats,
    }),
  ],
});

export default stats;
