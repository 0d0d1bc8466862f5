import { action, defineCommand, hasRole, PermissionDenied, UserError, type CommandContext } from '../src/bot/command.js';
import { dayStartOf, formatDate, WECOM_DAYS_ZONE, zoneOffsetMs } from '../src/render/format.js';
import { bold, code, color, type Inline, type Line } from '../src/render/markdown.js';
import { row, type Reply, type Section } from '../src/render/reply.js';
import { mapLimit, type GroupChatStatData } from '../src/wecom/index.js';
import {
  addBehaviour,
  bucketed,
  bucketLabel,
  emptyTotals,
  grainOf,
  memberTotals,
  mergeTotals,
  RANKED_MEMBERS_MAX,
  rates,
  type Totals,
} from './_lib/behaviour.js';
import { sparkline, untilYesterday, windows, type DayRange } from './_lib/dates.js';
import { shiftDay, todayIn } from './_lib/periods.js';
import { fitPeriod, readReportWords } from './_lib/reportPeriod.js';
import { chunk } from './_lib/transfers.js';
import { departmentNames, planByDepartment, readDepartments, type Scope } from './_lib/departments.js';
import { memberLabels, resolveMembers } from './_lib/directory.js';

/** The words for oneself among the members of a report. */
const SELF = /^(?:我|自己|me|myself)$/i;

/** WeCom's limits: 30 days a call, 180 days of history, 100 members a call. */
const WINDOW_DAYS = 30;
const HISTORY_DAYS = 180;
const MEMBERS_PER_CALL = 100;

/** The words after /统计: a period as people say it, and members' UserIDs; anything else is refused in words. */
async function request(ctx: CommandContext<{ words?: string[]; from?: string; to?: string }>, members: 'allowed' | 'none') {
  const today = todayIn(ctx.timeZone);
  // A word that names a member is that member, even where it reads as a period too (a member called may).
  const words = ctx.args.words ?? [];
  const named = new Set<string>();
  for (const word of words) if ((await ctx.services.members.named(word)).length > 0) named.add(word);
  const { period, others } = readReportWords(
    words.filter((w) => !named.has(w)),
    today,
  );
  others.unshift(...words.filter((w) => named.has(w)));
  let users: string[] = [];
  if (others.length > 0) {
    // Members by UserID or by name; 我 / me is the asker.
    const named = others.map((w) => (SELF.test(w) ? ctx.user : w));
    others.splice(0, others.length, ...(await resolveMembers(ctx, named, { keepUnknown: true })));
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

/** Statistics calls in flight at once (a corp of 10,000 members is 100 calls a window). */
const CALLS_AT_ONCE = 8;

/** Named members and departments as calls take them: 100 members and 100 departments a call, together (a member of a
 * department named in the same call is counted once). */
function scopesOf(users: readonly string[], parties: readonly number[]): Scope[] {
  const byUsers = chunk(users, MEMBERS_PER_CALL);
  const byParties = chunk(parties, MEMBERS_PER_CALL);
  return Array.from({ length: Math.max(byUsers.length, byParties.length) }, (_, i) => ({ users: byUsers[i] ?? [], parties: byParties[i] ?? [] }));
}

/**
 * Each scope's daily totals over `range`, as WeCom answers them: 30 days a call, {@link CALLS_AT_ONCE} calls at a time,
 * summed in the same order whichever answered first.
 */
async function scopeTotals(ctx: CommandContext, scopes: readonly Scope[], range: DayRange): Promise<Map<number, Totals>[]> {
  const calls = scopes.flatMap((scope, i) => windows(range, WINDOW_DAYS).map((w) => ({ i, scope, w })));
  const answers = await mapLimit(
    calls,
    CALLS_AT_ONCE,
    async ({ scope, w }) => (await ctx.client.externalContactStatistics.userBehavior([...scope.users], w.from, w.to, [...scope.parties])).behavior_data,
  );
  const perScope = scopes.map(() => new Map<number, Totals>());
  for (const [k, rows] of answers.entries()) {
    const byDay = perScope[calls[k]!.i]!;
    for (const d of rows) {
      const t = byDay.get(d.stat_time) ?? emptyTotals();
      addBehaviour(t, d);
      byDay.set(d.stat_time, t);
    }
  }
  return perScope;
}

/** Day by day, the sum of several scopes' totals, each counted by its weight. */
function mergedDays(scopes: readonly Scope[], perScope: readonly ReadonlyMap<number, Totals>[]): Map<number, Totals> {
  const byDay = new Map<number, Totals>();
  for (const [i, days] of perScope.entries()) {
    for (const [day, t] of days) {
      const sum = byDay.get(day) ?? emptyTotals();
      mergeTotals(sum, t, scopes[i]!.weight ?? 1);
      byDay.set(day, sum);
    }
  }
  return new Map([...byDay].sort((a, b) => a[0] - b[0]));
}

/**
 * How a report is asked: by the members and departments named; for the whole corp of more members than a ranking
 * takes, by department when that takes fewer calls (a call per branch and 30 days, not per 100 members: a corp of
 * 10,000 members in 10 regions is 10 calls, not 100), each branch of the corp ranked against the others. Without the
 * department list (the contacts unreadable) or the members' departments, by members.
 */
async function planOf(
  ctx: CommandContext,
  users: readonly string[],
  parties: readonly number[],
  wholeCorp: boolean,
): Promise<{ scopes: Scope[]; branches?: number[] }> {
  const byMembers = { scopes: scopesOf(users, parties) };
  if (!wholeCorp || users.length <= RANKED_MEMBERS_MAX) return byMembers;
  const departments = await readDepartments(ctx);
  const plan = departments && planByDepartment(departments, await ctx.services.members.entries(), users);
  // By department only when it takes fewer calls than by members (a flat corp of 50 departments does not).
  return plan && plan.scopes.length < byMembers.scopes.length ? plan : byMembers;
}

/** The sum of days' totals. */
function sumOf(byDay: ReadonlyMap<number, Totals>): Totals {
  const total = emptyTotals();
  for (const t of byDay.values()) mergeTotals(total, t);
  return total;
}

/** The period of the same length just before `range`, when WeCom still keeps it. */
function previousOf(range: DayRange, today: string): DayRange | undefined {
  const from = range.from - range.days * 86400;
  const oldest = dayStartOf(shiftDay(today, -(HISTORY_DAYS - 1)), WECOM_DAYS_ZONE);
  return from < oldest ? undefined : { from, to: range.from - 86400, days: range.days };
}

/** "环比 +5.2%": a count against the previous period's, as a percentage; nothing when there was none before. */
function versus(ctx: CommandContext, now: number, before: number | undefined, points = false): Inline[] {
  if (before === undefined || (!points && before === 0)) return [];
  const delta = points ? Math.round((now - before) * 10) / 10 : Math.round(((now - before) / before) * 1000) / 10;
  const signed = delta === 0 ? ctx.t('messages.same') : `${delta > 0 ? '+' : '−'}${Math.abs(delta)}${points ? '' : '%'}`;
  const change = points && delta !== 0 ? ctx.t('messages.points', { change: signed }) : signed;
  return [' ', color('comment', ctx.t('messages.versus', { change }))];
}

async function behaviour(ctx: CommandContext<{ words?: string[]; party?: string[]; from?: string; to?: string }>): Promise<Reply> {
  const { fitted, users: named } = await request(ctx, 'allowed');
  const range = fitted.range;
  const parties = (ctx.args.party ?? []).map(Number).filter((n) => Number.isInteger(n));
  let users = named;
  if (!hasRole(ctx.role, 'manager')) {
    // Staff see their own figures: anyone else's, or a department's, is a manager's to see.
    if (parties.length > 0 || users.some((u) => u.toLowerCase() !== ctx.user.toLowerCase())) throw new PermissionDenied('manager');
    users = [ctx.user];
  }
  const wholeCorp = users.length === 0 && parties.length === 0;
  if (wholeCorp) users = (await ctx.client.externalContact.getFollowUsers()).follow_user;
  const plan = await planOf(ctx, users, parties, wholeCorp);
  const perScope = await scopeTotals(ctx, plan.scopes, range);
  const byDay = mergedDays(plan.scopes, perScope);
  // Where the period ends, said the same way for every period word: today's figures still grow; yesterday's are whole.
  const today = todayIn(ctx.timeZone);
  const last = formatDate(range.to, WECOM_DAYS_ZONE);
  if (last === today) fitted.notes.push(ctx.t('messages.includesToday'));
  else if (last === shiftDay(today, -1)) fitted.notes.push(ctx.t('messages.endsYesterday'));
  // 环比: the period of the same length just before.
  const previous = previousOf(range, today);
  const before = previous ? sumOf(mergedDays(plan.scopes, await scopeTotals(ctx, plan.scopes, previous))) : undefined;
  const was = before ? rates(before) : undefined;
  const total = sumOf(byDay);
  const r = rates(total);
  // Rates compare only where both periods had chats: 0% of no chats is no rate.
  const rated = total.chat > 0 && before && before.chat > 0 ? was : undefined;
  const who = wholeCorp
    ? ctx.t('messages.wholeCorp', { count: users.length })
    : users.length > 0
      ? users.length <= 3
        ? users.map(await memberLabels(ctx)).join(ctx.listSeparator)
        : ctx.t('messages.members', { count: users.length })
      : ctx.t('messages.parties', { parties: parties.join(',') });
  // One message for any period: a row a day up to two weeks, a week up to two months, else a month.
  const grain = grainOf(range.days);
  const rows = bucketed(byDay, grain);
  const perRow = rows.map((row) => ({ label: bucketLabel(row, grain), t: row.totals, r: rates(row.totals) }));
  // The trend compares days: a week's row counts per day it holds, so a short first or last week is no collapse.
  const trend = bucketed(byDay, grain === 'month' ? 'week' : 'day').map((b) => ({
    chat: b.totals.chat / b.days,
    contacts: b.totals.contacts / b.days,
  }));
  return {
    title: ctx.t('messages.title', { who, from: formatDate(range.from, WECOM_DAYS_ZONE), to: formatDate(range.to, WECOM_DAYS_ZONE) }),
    sections: [
      ...(fitted.notes.length > 0 ? [{ lines: fitted.notes.map((n): Line => color('comment', n)) }] : []),
      {
        lines: [
          row(ctx.t('fields.chats'), [bold(total.chat), ...versus(ctx, total.chat, before?.chat)]),
          row(ctx.t('fields.messages'), [bold(total.messages), ...versus(ctx, total.messages, before?.messages)]),
          row(ctx.t('fields.replyRate'), [bold(`${r.reply}%`), ...versus(ctx, r.reply, rated?.reply, true)]),
          row(ctx.t('fields.firstReply'), [bold(ctx.t('messages.minutes', { minutes: r.minutes })), ...versus(ctx, r.minutes, rated?.minutes)]),
          row(ctx.t('fields.negative'), [bold(total.negative), ...versus(ctx, total.negative, before?.negative)]),
          row(ctx.t('fields.applies'), [bold(total.applies), ...versus(ctx, total.applies, before?.applies)]),
          row(ctx.t('fields.contacts'), [bold(total.contacts), ...versus(ctx, total.contacts, before?.contacts)]),
          ...(previous
            ? [
                color(
                  'comment',
                  ctx.t('messages.comparedWith', { from: formatDate(previous.from, WECOM_DAYS_ZONE), to: formatDate(previous.to, WECOM_DAYS_ZONE) }),
                ),
              ]
            : []),
        ],
      },
      {
        heading: [bold(ctx.t('messages.trend'))] as Line,
        lines: [
          [color('comment', ctx.t('fields.chats')), ' ', code(sparkline(trend.map((t) => t.chat)))],
          [color('comment', ctx.t('fields.contacts')), ' ', code(sparkline(trend.map((t) => t.contacts)))],
        ],
      },
      {
        heading: [bold(ctx.t(`messages.per.${grain}`))] as Line,
        lines: perRow.map(
          ({ label, t, r }): Line => [
            color('comment', label),
            ' ',
            ctx.t('messages.dayLine', { chats: t.chat, messages: t.messages, reply: r.reply, minutes: r.minutes, contacts: t.contacts }),
          ],
        ),
        table: {
          head: ['period', 'chats', 'messages', 'replyRate', 'firstReply', 'contacts'].map((field) => ctx.t(`fields.${field}`)),
          rows: perRow.map(({ label, t, r }) => [
            label,
            String(t.chat),
            String(t.messages),
            `${r.reply}%`,
            ctx.t('messages.minutes', { minutes: r.minutes }),
            String(t.contacts),
          ]),
        },
      },
      ...(plan.branches ? await branchRanking(ctx, plan.scopes, perScope, plan.branches) : await ranking(ctx, users, range)),
    ],
  };
}

/** Members shown at each end of a ranking. */
const RANK_SHOWN = 3;

/** Top and bottom members by new customers and by reply rate, when the report covers several members. */
async function ranking(ctx: CommandContext, users: readonly string[], range: DayRange): Promise<Section[]> {
  if (users.length < 2) return [];
  // Each member ranked is a call of its own: a report of more members ranks none, and says so.
  if (users.length > RANKED_MEMBERS_MAX) {
    return [{ lines: [color('comment', ctx.t('messages.notRanked', { count: users.length, max: RANKED_MEMBERS_MAX }))] }];
  }
  const { range: ranked, totals } = await memberTotals(ctx, users, range);
  const notes = ranked.from !== range.from ? [ctx.t('messages.rankedRecent', { from: formatDate(ranked.from, WECOM_DAYS_ZONE) })] : [];
  return [rankingSection(ctx, ctx.t('messages.ranking'), notes, rankEnds([...totals]), await memberLabels(ctx))];
}

/**
 * The corp's branches ranked against each other (a report of the whole corp by department): their totals come from
 * the report's own calls, so ranking costs only the names of the departments shown.
 */
async function branchRanking(
  ctx: CommandContext,
  scopes: readonly Scope[],
  perScope: readonly Map<number, Totals>[],
  heads: readonly number[],
): Promise<Section[]> {
  if (heads.length < 2) return [];
  const totals = new Map(heads.map((h) => [h, emptyTotals()]));
  for (const [i, scope] of scopes.entries()) {
    if (scope.branch === undefined || (scope.weight ?? 1) !== 1) continue;
    for (const t of perScope[i]!.values()) mergeTotals(totals.get(scope.branch)!, t);
  }
  const ends = rankEnds([...totals]);
  const shown = Object.values(ends).flatMap(({ top, bottom }) => [...top, ...bottom].map(([h]) => h));
  const names = await departmentNames(ctx, [...new Set(shown)]);
  const note = ctx.t('messages.rankedBranches', { count: heads.length });
  return [rankingSection(ctx, ctx.t('messages.departmentRanking'), [note], ends, (h) => names.get(h) ?? String(h))];
}

/** Each end of a ranking: the top and the bottom (never repeating the top: of five, three and two), with their figures. */
interface Ends<K> {
  top: [K, number][];
  bottom: [K, number][];
}

/** The ends of a ranking by new customers and by reply rate. */
function rankEnds<K>(entries: readonly [K, Totals][]): { contacts: Ends<K>; reply: Ends<K> } {
  const ends = (figure: (t: Totals) => number): Ends<K> => {
    const list = entries.map(([k, t]): [K, number] => [k, figure(t)]).sort((a, b) => b[1] - a[1]);
    return { top: list.slice(0, RANK_SHOWN), bottom: list.slice(Math.max(RANK_SHOWN, list.length - RANK_SHOWN)).reverse() };
  };
  return { contacts: ends((t) => t.contacts), reply: ends((t) => rates(t).reply) };
}

/** A ranking: the top and bottom by new customers and by reply rate, each called by `nameOf`. */
function rankingSection<K>(
  ctx: CommandContext,
  heading: string,
  notes: readonly string[],
  ends: ReturnType<typeof rankEnds<K>>,
  nameOf: (key: K) => string,
): Section {
  const line = (label: string, list: [K, number][], unit: string): Line => [
    color('comment', label),
    ' ',
    list.map(([k, v]) => `${nameOf(k)} ${v}${unit}`).join(' · '),
  ];
  const { contacts, reply } = ends;
  return {
    heading: [bold(heading)] as Line,
    lines: [
      ...notes.map((n): Line => color('comment', n)),
      line(ctx.t('messages.mostContacts'), contacts.top, ''),
      ...(contacts.bottom.length > 0 ? [line(ctx.t('messages.fewestContacts'), contacts.bottom, '')] : []),
      line(ctx.t('messages.bestReply'), reply.top, '%'),
      ...(reply.bottom.length > 0 ? [line(ctx.t('messages.worstReply'), reply.bottom, '%')] : []),
    ],
  };
}

/** Group owners listed at most; beyond, the sum and these, most group messages first. */
const GROUP_OWNERS_SHOWN = 20;

/** Two owners' (or two groups of owners') figures together: their chats and members add up too. */
function addOwners(a: GroupChatStatData, b: GroupChatStatData): GroupChatStatData {
  return { ...sumStats(a, b), chat_total: a.chat_total + b.chat_total, member_total: a.member_total + b.member_total };
}

/** Group-chat figures of nothing. */
function emptyGroupStats(): GroupChatStatData {
  return { new_chat_cnt: 0, chat_total: 0, chat_has_msg: 0, new_member_cnt: 0, member_total: 0, member_has_msg: 0, msg_total: 0, migrate_trainee_chat_cnt: 0 };
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
  // 100 owners and 30 days a call, a few calls at a time (a corp of 10,000 owners is 100 calls a window).
  const calls = chunk(owners, MEMBERS_PER_CALL).flatMap((batch) => windows(range, WINDOW_DAYS).map((w) => ({ batch, w })));
  const period = ctx.t('messages.period', { from: formatDate(range.from, WECOM_DAYS_ZONE), to: formatDate(range.to, WECOM_DAYS_ZONE) });
  if (ctx.args.by === 'day') {
    const byDay = new Map<number, GroupChatStatData>();
    const answers = await mapLimit(calls, CALLS_AT_ONCE, async ({ batch, w }) => (await api.groupChatStatisticGroupByDay(w.from, w.to, batch)).items);
    for (const item of answers.flat()) {
      const prev = byDay.get(item.stat_time);
      byDay.set(item.stat_time, prev ? addOwners(prev, item.data) : item.data);
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
  const answers = await mapLimit(calls, CALLS_AT_ONCE, async ({ batch, w }) => {
    const items = [];
    for await (const page of api.iterateGroupChatStatistic({ day_begin_time: w.from, day_end_time: w.to, owner_filter: { userid_list: batch }, limit: 1000 })) {
      items.push(...page.items);
    }
    return items;
  });
  for (const item of answers.flat()) {
    const prev = byOwner.get(item.owner);
    byOwner.set(item.owner, prev ? sumStats(prev, item.data) : item.data);
  }
  const sorted = [...byOwner.entries()].sort((a, b) => b[1].msg_total - a[1].msg_total);
  const person = await memberLabels(ctx);
  const line = (s: GroupChatStatData) =>
    ctx.t('messages.groupOwnerLine', {
      chats: s.chat_total,
      newChats: s.new_chat_cnt,
      members: s.member_total,
      newMembers: s.new_member_cnt,
      messages: s.msg_total,
    });
  // Every owner of a big corp would be hundreds of messages: the sum, and the owners with the most group messages.
  const total = sorted.reduce((sum, [, s]) => addOwners(sum, s), emptyGroupStats());
  const shown = sorted.slice(0, GROUP_OWNERS_SHOWN);
  return {
    title: ctx.t('messages.groupsTitle', { owners: sorted.length, period }),
    sections: [
      ...note,
      ...(sorted.length > shown.length
        ? [
            {
              lines: [
                [bold(ctx.t('messages.groupsTotal')), ' ', line(total)] as Line,
                color('comment', ctx.t('messages.groupsTopOwners', { shown: shown.length, owners: sorted.length })),
              ],
            },
          ]
        : []),
      { lines: shown.map(([owner, s]): Line => [bold(person(owner)), ' ', line(s)]) },
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
      // Staff see their own figures; managers anyone's, the team's, a department's.
      role: 'staff',
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
