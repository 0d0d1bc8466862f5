import { UserError } from '../../src/bot/command.js';
import { dayStartOf, formatDate, WECOM_DAYS_ZONE } from '../../src/render/format.js';

const DAY = 86400;

/** A closed date range as day starts (unix seconds) in one time zone. */
export interface DayRange {
  from: number;
  to: number;
  days: number;
}

/**
 * `--from` and `--to` (declared dates) as a range, checked: in order, not in the future, and (when `historyDays` is
 * set) not older than WeCom keeps.
 * @throws UserError naming the date that is wrong.
 */
export function dayRange(fromText: string, toText: string, timeZone: string, historyDays?: number): DayRange {
  const from = dayStartOf(fromText, timeZone);
  const to = dayStartOf(toText, timeZone);
  if (to < from) throw new UserError('common.dateOrder', { from: fromText, to: toText });
  const today = todayStart(timeZone);
  if (to > today) throw new UserError('common.dateFuture', { date: toText });
  if (historyDays !== undefined && from < today - historyDays * DAY) throw new UserError('common.dateTooOld', { date: fromText, days: historyDays });
  return { from, to, days: (to - from) / DAY + 1 };
}

/** Midnight (unix seconds) of today in `timeZone`. */
function todayStart(timeZone: string): number {
  return dayStartOf(formatDate(Math.floor(Date.now() / 1000), timeZone), timeZone);
}

/**
 * A range cut to end yesterday, for data WeCom computes once a day is over (group-chat statistics): `clamped` says
 * that its end moved.
 * @throws UserError when the whole range is today.
 */
export function untilYesterday(range: DayRange): { range: DayRange; clamped: boolean } {
  // WeCom's group-chat statistics close its own days: Beijing's.
  const yesterday = todayStart(WECOM_DAYS_ZONE) - DAY;
  if (range.to <= yesterday) return { range, clamped: false };
  if (range.from > yesterday) throw new UserError('common.dateNotOver');
  return { range: { from: range.from, to: yesterday, days: (yesterday - range.from) / DAY + 1 }, clamped: true };
}

/** Splits a range into windows of at most `maxDays` days (WeCom's per-call span). */
export function windows(range: DayRange, maxDays: number): { from: number; to: number }[] {
  const out: { from: number; to: number }[] = [];
  for (let start = range.from; start <= range.to; start += maxDays * DAY) {
    out.push({ from: start, to: Math.min(range.to, start + (maxDays - 1) * DAY) });
  }
  return out;
}

const BARS = '▁▂▃▄▅▆▇█';

/** A compact text chart of a series (one bar per value), so a trend reads at a glance in WeCom's markdown. */
export function sparkline(values: number[]): string {
  const max = Math.max(...values, 0);
  if (max === 0) return BARS[0]!.repeat(values.length);
  return values.map((v) => BARS[Math.min(BARS.length - 1, Math.round((v / max) * (BARS.length - 1)))]).join('');
}
