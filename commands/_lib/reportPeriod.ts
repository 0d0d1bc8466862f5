import { UserError, type CommandContext } from '../../src/bot/command.js';
import { dayStartOf, WECOM_DAYS_ZONE } from '../../src/render/format.js';
import type { DayRange } from './dates.js';
import { daysIn, defaultPeriod, parsePeriod, shiftDay, todayIn, type Period } from './periods.js';

/** Words read as a period when they run together (`last week` is two words on the command line). */
const MAX_PERIOD_WORDS = 5;

/** What the words of a report command say: a period (as people say it) and, among the other words, members. */
export interface ReportRequest {
  period: Period | undefined;
  /** Words that are not part of the period (members' UserIDs, or words the bot could not read). */
  others: string[];
}

/** Finds a period among `words` (one to three of them in a row, in any script); the rest are returned as they are. */
export function readReportWords(words: readonly string[], today: string): ReportRequest {
  for (let i = 0; i < words.length; i++) {
    for (let n = Math.min(MAX_PERIOD_WORDS, words.length - i); n >= 1; n--) {
      const period = parsePeriod(words.slice(i, i + n).join(' '), today);
      if (period) return { period, others: [...words.slice(0, i), ...words.slice(i + n)] };
    }
  }
  return { period: undefined, others: [...words] };
}

/** A period fitted to what WeCom serves, and the notes that say how it was moved. */
export interface FittedPeriod {
  range: DayRange;
  /** Localized lines: the end moved to today, the start moved to the oldest day kept. */
  notes: string[];
}

/**
 * The period of a report: the words' period, or `--from`/`--to` (either alone works), or the last 7 days ending
 * yesterday; then fitted to WeCom's data — an end in the future stops today, a start before the `historyDays`
 * WeCom keeps moves up to the oldest day — each with a note instead of a refusal.
 * @throws UserError when what is left holds no day.
 */
export function fitPeriod(
  ctx: Pick<CommandContext, 't' | 'timeZone'>,
  words: Period | undefined,
  options: { from?: string; to?: string },
  historyDays: number,
): FittedPeriod {
  const today = todayIn(ctx.timeZone);
  let period = words ?? defaultPeriod(today);
  if (options.from !== undefined || options.to !== undefined) {
    const to = options.to ?? (options.from !== undefined && options.from > shiftDay(today, -1) ? today : shiftDay(today, -1));
    period = { from: options.from ?? shiftDay(to, -6), to };
  }
  if (period.to < period.from) throw new UserError('common.dateOrder', { from: period.from, to: period.to });
  const notes: string[] = [];
  if (period.to > today) {
    notes.push(ctx.t('common.periodEndClamped', { date: period.to, today }));
    period = { ...period, to: today };
  }
  const oldest = shiftDay(today, -(historyDays - 1));
  if (period.from < oldest) {
    notes.push(ctx.t('common.periodStartClamped', { date: period.from, oldest, days: historyDays }));
    period = { ...period, from: oldest };
  }
  if (period.to < period.from) throw new UserError('common.periodOutside', { days: historyDays });
  // The period's dates as WeCom's days (Beijing's): WeCom's statistics count no other.
  return { range: { from: dayStartOf(period.from, WECOM_DAYS_ZONE), to: dayStartOf(period.to, WECOM_DAYS_ZONE), days: daysIn(period) }, notes };
}
