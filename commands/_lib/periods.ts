import { foldScript } from '../../src/bot/command.js';

/** A closed range of calendar days, as `YYYY-MM-DD`. */
export interface Period {
  from: string;
  to: string;
}

const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` of a UTC date. */
function iso(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** A calendar day as a UTC midnight, for arithmetic on days. */
function day(text: string): Date {
  return new Date(`${text}T00:00:00Z`);
}

/** `text` moved by `days` calendar days. */
export function shiftDay(text: string, days: number): string {
  return iso(new Date(day(text).getTime() + days * DAY_MS));
}

/** A real calendar date (2026-02-30 is not), as `YYYY-MM-DD`. */
function valid(y: number, m: number, d: number): string | undefined {
  const text = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  if (m < 1 || m > 12 || d < 1 || d > 31) return undefined;
  const date = day(text);
  return !Number.isNaN(date.getTime()) && iso(date) === text ? text : undefined;
}

function monthOf(y: number, m: number): Period | undefined {
  const first = valid(y, m, 1);
  if (!first) return undefined;
  const next = m === 12 ? valid(y + 1, 1, 1) : valid(y, m + 1, 1);
  return next ? { from: first, to: shiftDay(next, -1) } : undefined;
}

/** The calendar day it is now in `timeZone` (an IANA name such as Asia/Shanghai). */
export function todayIn(timeZone: string, now: number = Date.now()): string {
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** Monday of the week of `text` (weeks start on Monday). */
function monday(text: string): string {
  const weekday = (day(text).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return shiftDay(text, -weekday);
}

/** The last `n` days ending yesterday. */
function lastDays(today: string, n: number): Period {
  return { from: shiftDay(today, -n), to: shiftDay(today, -1) };
}

const NAMED: Record<string, (today: string) => Period> = {
  今天: (t) => ({ from: t, to: t }),
  today: (t) => ({ from: t, to: t }),
  昨天: (t) => ({ from: shiftDay(t, -1), to: shiftDay(t, -1) }),
  yesterday: (t) => ({ from: shiftDay(t, -1), to: shiftDay(t, -1) }),
  本周: (t) => ({ from: monday(t), to: t }),
  本週: (t) => ({ from: monday(t), to: t }),
  'this week': (t) => ({ from: monday(t), to: t }),
  上周: (t) => ({ from: shiftDay(monday(t), -7), to: shiftDay(monday(t), -1) }),
  上週: (t) => ({ from: shiftDay(monday(t), -7), to: shiftDay(monday(t), -1) }),
  'last week': (t) => ({ from: shiftDay(monday(t), -7), to: shiftDay(monday(t), -1) }),
  本月: (t) => ({ from: `${t.slice(0, 8)}01`, to: t }),
  'this month': (t) => ({ from: `${t.slice(0, 8)}01`, to: t }),
  上月: (t) => monthOf(Number(t.slice(0, 4)) - (t.slice(5, 7) === '01' ? 1 : 0), t.slice(5, 7) === '01' ? 12 : Number(t.slice(5, 7)) - 1)!,
  'last month': (t) => monthOf(Number(t.slice(0, 4)) - (t.slice(5, 7) === '01' ? 1 : 0), t.slice(5, 7) === '01' ? 12 : Number(t.slice(5, 7)) - 1)!,
};

/** Other ways of saying a named period (after folding to Simplified): the name they stand for. */
const SAME_AS: Record<string, string> = {
  上个月: '上月',
  上一个月: '上月',
  上月份: '上月',
  这个月: '本月',
  这月: '本月',
  当月: '本月',
  本月份: '本月',
  这周: '本周',
  这个星期: '本周',
  这星期: '本周',
  本星期: '本周',
  这个礼拜: '本周',
  这礼拜: '本周',
  上个星期: '上周',
  上星期: '上周',
  上一周: '上周',
  上个礼拜: '上周',
  上礼拜: '上周',
  'previous week': 'last week',
  'previous month': 'last month',
  'past week': 'last 7 days',
  'the past week': 'last 7 days',
  'past month': 'last 30 days',
  'the past month': 'last 30 days',
};

/** Days back from today of the words for days before yesterday. */
const DAYS_AGO: Record<string, number> = { 前天: 2, 大前天: 3, 'day before yesterday': 2 };

/** Chinese numerals as people write them in periods (一 … 十二, 两). */
const CHINESE_NUMBERS: Record<string, number> = {
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
  十: 10,
  十一: 11,
  十二: 12,
};

/** A number written in digits or in Chinese (up to 十二). */
function numberOf(text: string): number | undefined {
  if (/^\d{1,3}$/.test(text)) return Number(text);
  return CHINESE_NUMBERS[text];
}

/** English month names and their short forms. */
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** The month an English name stands for (1–12): "oct", "Oct.", "october", "sept". */
function englishMonth(word: string): number | undefined {
  const w = word.replace(/\.$/, '');
  const i = MONTHS.findIndex((m) => w.length >= 3 && (m === w.slice(0, 3) || (m === 'sep' && w === 'sept')) && `${fullMonth(m)}`.startsWith(w));
  return i < 0 ? undefined : i + 1;
}

function fullMonth(short: string): string {
  return (
    {
      jan: 'january',
      feb: 'february',
      mar: 'march',
      apr: 'april',
      may: 'may',
      jun: 'june',
      jul: 'july',
      aug: 'august',
      sep: 'september',
      oct: 'october',
      nov: 'november',
      dec: 'december',
    } as Record<string, string>
  )[short]!;
}

/** A month of a year, or without its year the last one of that name (this year's, clipped to today). */
function monthAsSpoken(m: number, year: number | undefined, today: string): Period | undefined {
  if (year !== undefined) return monthOf(year, m);
  const thisYear = Number(today.slice(0, 4));
  const period = monthOf(thisYear, m);
  if (!period) return undefined;
  return period.from > today ? monthOf(thisYear - 1, m) : { from: period.from, to: period.to > today ? today : period.to };
}

/**
 * English dates: "Oct 1-15", "October 1 - October 15", "Oct 1 to Oct 15", "oct 3", "October", "Oct 2026", "1-15 Oct".
 */
function englishPeriod(word: string, today: string): Period | undefined {
  const month = /^([a-z]+\.?)(?: (\d{4}))?$/.exec(word);
  if (month) {
    const m = englishMonth(month[1]!);
    return m ? monthAsSpoken(m, month[2] ? Number(month[2]) : undefined, today) : undefined;
  }
  const day = (m: number, d: number) => dateOf(`${m}.${d}`, today);
  const single = /^([a-z]+\.?) (\d{1,2})(?:st|nd|rd|th)?$/.exec(word);
  if (single) {
    const m = englishMonth(single[1]!);
    const from = m ? day(m, Number(single[2])) : undefined;
    return from ? { from, to: from } : undefined;
  }
  const range = /^([a-z]+\.?) (\d{1,2})(?:st|nd|rd|th)? ?(?:-|–|—|~|to|until|through) ?(?:([a-z]+\.?) )?(\d{1,2})(?:st|nd|rd|th)?$/.exec(word);
  if (range) {
    const m1 = englishMonth(range[1]!);
    const m2 = range[3] ? englishMonth(range[3]) : m1;
    const from = m1 ? day(m1, Number(range[2])) : undefined;
    return from && m2 ? until(from, m2, Number(range[4])) : undefined;
  }
  // "1-15 Oct", "15 Oct".
  const dayFirst = /^(?:(\d{1,2}) ?(?:-|–|to) ?)?(\d{1,2}) ([a-z]+\.?)$/.exec(word);
  if (!dayFirst) return undefined;
  const m = englishMonth(dayFirst[3]!);
  if (!m) return undefined;
  const from = day(m, Number(dayFirst[1] ?? dayFirst[2]));
  return from ? until(from, m, Number(dayFirst[2])) : undefined;
}

/**
 * The period from `from` to day `d` of month `m`: the first such day on or after `from` (Dec 28 to Jan 3 crosses the
 * year; an end after today is moved to today by the report, with a note).
 */
function until(from: string, m: number, d: number): Period | undefined {
  const year = Number(from.slice(0, 4));
  // Only an earlier month crosses into the next year: Oct 15 to Oct 1 is a reversed range, not a year long.
  const end = m < Number(from.slice(5, 7)) ? valid(year + 1, m, d) : valid(year, m, d);
  return end && end >= from ? { from, to: end } : undefined;
}

/** `2026-10-01`, `2026/10/01` or `2026.10.01`. */
const FULL_DATE = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/;
/** `10.1` or `10/1` (this year). */
const SHORT_DATE = /^(\d{1,2})[./](\d{1,2})$/;

/** One day written as a date, with or without its year. */
function dateOf(text: string, today: string): string | undefined {
  const full = FULL_DATE.exec(text);
  if (full) return valid(Number(full[1]), Number(full[2]), Number(full[3]));
  const short = SHORT_DATE.exec(text);
  if (!short) return undefined;
  const thisYear = valid(Number(today.slice(0, 4)), Number(short[1]), Number(short[2]));
  // A day later in the year than today means last year's (people speak of the past).
  return thisYear && thisYear > today ? valid(Number(today.slice(0, 4)) - 1, Number(short[1]), Number(short[2])) : thisYear;
}

/**
 * Reads a period as people say it, in any of the three scripts: 今天 / 昨天 / 前天 / 本周 / 上周 / 本月 / 上月 and their
 * everyday forms (上个月, 上個月, 这周, 上星期 …), 近7天 / 最近一周 / 过去两周 / 最近一个月, 11月 / 十月, 2026-10, 2026/10/01,
 * 10.1-10.15, 2026-10-01~2026-10-15; today, yesterday, this week, last week, this month, last month, last 30 days,
 * past week, October, Oct 2026, Oct 3, Oct 1-15, Oct 1 to Nov 3. Weeks start on Monday; `today` is the corp's calendar day. A month
 * or a day without its year that lies ahead this year means last year's.
 * @returns the period, or undefined when the text is not one.
 */
export function parsePeriod(text: string, today: string): Period | undefined {
  const typed = foldScript(text).replace(/\s+/g, ' ').replace(/^the /, '');
  if (typed === '') return undefined;
  const word = SAME_AS[typed] ?? typed;
  const named = NAMED[word];
  if (named) return named(today);
  const ago = DAYS_AGO[word];
  if (ago !== undefined) return { from: shiftDay(today, -ago), to: shiftDay(today, -ago) };
  // 近7天, 最近一周, 过去两周, 最近一个月, last 30 days, past 2 weeks: whole days ending yesterday.
  const recent = /^(?:最近|近|过去|last|past) ?(\d{1,3}|[一二两三四五六七八九十]) ?(天|日|周|个星期|个月|days?|weeks?|months?)$/.exec(word);
  if (recent) {
    const n = numberOf(recent[1]!) ?? 0;
    const unit = recent[2]!;
    const days = /^(?:周|个星期|weeks?)$/.test(unit) ? n * 7 : /^(?:个月|months?)$/.test(unit) ? n * 30 : n;
    return days >= 1 && days <= 366 ? lastDays(today, days) : undefined;
  }
  const month = /^(\d{1,2}|十[一二]?|[一二三四五六七八九]) ?月(?:份)?$/.exec(word);
  if (month) return monthAsSpoken(numberOf(month[1]!) ?? 0, undefined, today);
  if (/[a-z]/.test(word)) {
    const english = englishPeriod(word, today);
    if (english) return english;
  }
  const yearMonth = /^(\d{4})[-/.](\d{1,2})$/.exec(word);
  if (yearMonth) return monthOf(Number(yearMonth[1]), Number(yearMonth[2]));
  const single = dateOf(word, today);
  if (single) return { from: single, to: single };
  // A range: any separator position where both sides read as days (`2026-10-01~2026-10-15`, `10.1-10.15`, `10.1-15`).
  for (const m of word.matchAll(/ ?(?:-|—|–|~|～|至|到|to) ?/g)) {
    const left = word.slice(0, m.index);
    const right = word.slice(m.index + m[0].length);
    const from = dateOf(left, today);
    if (!from) continue;
    // `10.1-15` ends on the 15th of the same month.
    const short = SHORT_DATE.exec(right);
    const to = /^\d{1,2}$/.test(right)
      ? valid(Number(from.slice(0, 4)), Number(from.slice(5, 7)), Number(right))
      : short
        ? until(from, Number(short[1]), Number(short[2]))?.to
        : dateOf(right, today);
    if (to && from <= to) return { from, to };
  }
  return undefined;
}

/** The default period of a report: the last 7 days, ending yesterday. */
export function defaultPeriod(today: string): Period {
  return lastDays(today, 7);
}

/** Days from `from` to `to`, both counted. */
export function daysIn(period: Period): number {
  return Math.round((day(period.to).getTime() - day(period.from).getTime()) / DAY_MS) + 1;
}
