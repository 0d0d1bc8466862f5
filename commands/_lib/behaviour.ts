import { defineNamespace, type CommandContext } from '../../src/bot/command.js';
import { formatDate, WECOM_DAYS_ZONE } from '../../src/render/format.js';
import { mapLimit, type BehaviorData } from '../../src/wecom/index.js';
import { windows, type DayRange } from './dates.js';

/** Customer-contact behaviour summed over members and days. */
export interface Totals {
  chat: number;
  messages: number;
  negative: number;
  applies: number;
  contacts: number;
  /** Sums weighted by chats, for the averages. */
  replyWeighted: number;
  replyTimeWeighted: number;
}

/** Totals of nothing. */
export const emptyTotals = (): Totals => ({ chat: 0, messages: 0, negative: 0, applies: 0, contacts: 0, replyWeighted: 0, replyTimeWeighted: 0 });

/** Adds one day's WeCom row to `t`. */
export function addBehaviour(t: Totals, d: BehaviorData): void {
  const chats = d.chat_cnt ?? 0;
  t.chat += chats;
  t.messages += d.message_cnt ?? 0;
  t.negative += d.negative_feedback_cnt ?? 0;
  t.applies += d.new_apply_cnt ?? 0;
  t.contacts += d.new_contact_cnt ?? 0;
  t.replyWeighted += (d.reply_percentage ?? 0) * chats;
  t.replyTimeWeighted += (d.avg_reply_time ?? 0) * chats;
}

/** Adds `b` to `a`, `times` times (-1 takes it away). */
export function mergeTotals(a: Totals, b: Totals, times = 1): void {
  for (const key of Object.keys(a) as (keyof Totals)[]) a[key] += b[key] * times;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** The averages of totals: reply rate (%) and first-reply minutes, weighted by chats. */
export function rates(t: Totals): { reply: number; minutes: number } {
  return t.chat === 0 ? { reply: 0, minutes: 0 } : { reply: round1(t.replyWeighted / t.chat), minutes: round1(t.replyTimeWeighted / t.chat) };
}

/** How a report's rows are cut: a day each up to two weeks, a week each up to about two months, else a month each. */
export type Grain = 'day' | 'week' | 'month';

/** The grain that keeps a period in one message (at most about 14 rows). */
export function grainOf(days: number): Grain {
  return days <= 14 ? 'day' : days <= 62 ? 'week' : 'month';
}

/** The key of the row a day falls in: the day, the week's Monday, or the month. */
export function bucketOf(day: number, grain: Grain): string {
  const date = formatDate(day, WECOM_DAYS_ZONE);
  if (grain === 'day') return date;
  if (grain === 'month') return date.slice(0, 7);
  const weekday = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
  return formatDate(day - weekday * 86400, WECOM_DAYS_ZONE);
}

/** One row of a report: the days it holds (first and last, `YYYY-MM-DD`, and how many) and their totals. */
export interface Bucket {
  first: string;
  last: string;
  days: number;
  totals: Totals;
}

/** Totals by row, in order; a row holds only the days of the period that fall in it (a first week may be short). */
export function bucketed(byDay: ReadonlyMap<number, Totals>, grain: Grain): Bucket[] {
  const rows = new Map<string, Bucket>();
  for (const day of [...byDay.keys()].sort((a, b) => a - b)) {
    const key = bucketOf(day, grain);
    const date = formatDate(day, WECOM_DAYS_ZONE);
    const row = rows.get(key) ?? { first: date, last: date, days: 0, totals: emptyTotals() };
    mergeTotals(row.totals, byDay.get(day)!);
    row.last = date;
    row.days += 1;
    rows.set(key, row);
  }
  return [...rows.values()];
}

/**
 * A row's label, by the days it holds: `11-26` for a day, `11-23–11-29` for a week or part of one, `2026-10` for a
 * whole month, `10-01–10-15` for part of one.
 */
export function bucketLabel(row: Bucket, grain: Grain): string {
  if (row.first === row.last) return row.first.slice(5);
  const wholeMonth = grain === 'month' && row.first.endsWith('-01') && formatDate(Date.parse(`${row.last}T00:00:00Z`) / 1000 + 86400, 'UTC').endsWith('-01');
  return wholeMonth ? row.first.slice(0, 7) : `${row.first.slice(5)}–${row.last.slice(5)}`;
}

/** One member's totals over a 30-day window, as WeCom answered (past days do not change: kept half a day). */
const MEMBER_WINDOWS = defineNamespace<Totals>('stats-member-windows');
const MEMBER_WINDOW_TTL_MS = 12 * 3600_000;
/** Calls a ranking may make (members × 30-day windows); beyond it the ranking covers the last 30 days only. */
export const RANKING_CALLS = 60;
/** Members ranked at most; above that the report shows totals only. */
export const RANKED_MEMBERS_MAX = 50;
/** Calls in flight at once while ranking. */
const RANKING_CONCURRENCY = 4;

/**
 * Each member's totals over `range`, for a top and bottom list: one call per member per 30-day window, cached, at
 * most {@link RANKING_CALLS} calls (beyond it, the last 30 days of the range are ranked: `range` of the result says so).
 */
export async function memberTotals(
  ctx: CommandContext,
  members: readonly string[],
  range: DayRange,
): Promise<{ range: DayRange; totals: Map<string, Totals> }> {
  let ranked = range;
  if (members.length * windows(range, 30).length > RANKING_CALLS) ranked = { from: Math.max(range.from, range.to - 29 * 86400), to: range.to, days: 0 };
  ranked = { ...ranked, days: (ranked.to - ranked.from) / 86400 + 1 };
  const cache = ctx.state(MEMBER_WINDOWS);
  const jobs = members.flatMap((member) => windows(ranked, 30).map((w) => ({ member, w })));
  const windowTotals = await mapLimit(jobs, RANKING_CONCURRENCY, async ({ member, w }) => {
    const key = `${member}:${w.from}:${w.to}`;
    const cached = await cache.get(key);
    if (cached) return cached;
    const t = emptyTotals();
    for (const d of (await ctx.client.externalContactStatistics.userBehavior([member], w.from, w.to)).behavior_data) addBehaviour(t, d);
    await cache.set(key, t, MEMBER_WINDOW_TTL_MS);
    return t;
  });
  const totals = new Map<string, Totals>();
  for (const [i, { member }] of jobs.entries()) {
    const sum = totals.get(member) ?? emptyTotals();
    mergeTotals(sum, windowTotals[i]!);
    totals.set(member, sum);
  }
  return { range: ranked, totals };
}
