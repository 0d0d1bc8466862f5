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
  return m >= 1 && m <= 12 && d >= 1 && iso(day(text)) === text ? text : undefined;
}

function monthOf(y: number, m: number): Period | undefined {
  const first = valid(y, m, 1);
  if (!first) return undefined;
  const next = m === 12 ? valid(y + 1, 1, 1)! : valid(y, m + 1, 1)!;
  return { from: first, to: shiftDay(next, -1) };
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
 * Reads a period as people say it, in any of the three scripts: 今天 / 昨天 / 本周 / 上周 / 本月 / 上月 (本週, 上週),
 * 近7天 / 近N天 / 最近N天, 11月, 2026-10, 2026/10/01, 10.1-10.15, 2026-10-01~2026-10-15; today, yesterday, this week,
 * last week, this month, last month, last 30 days. Weeks start on Monday; `today` is the corp's calendar day. A month
 * or a day without its year that lies ahead this year means last year's.
 * @returns the period, or undefined when the text is not one.
 */
export function parsePeriod(text: string, today: string): Period | undefined {
  const word = text.trim().toLowerCase().replace(/\s+/g, ' ');
  if (word === '') return undefined;
  const named = NAMED[word];
  if (named) return named(today);
  const recent = /^(?:最近|近|last|past) ?(\d{1,3}) ?(?:天|日|days?)$/.exec(word);
  if (recent) {
    const n = Number(recent[1]);
    return n >= 1 && n <= 366 ? lastDays(today, n) : undefined;
  }
  const month = /^(\d{1,2}) ?月(?:份)?$/.exec(word);
  if (month) {
    const m = Number(month[1]);
    const year = Number(today.slice(0, 4));
    const period = monthOf(year, m);
    if (!period) return undefined;
    return period.from > today ? monthOf(year - 1, m) : { from: period.from, to: period.to > today ? today : period.to };
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
    const to = /^\d{1,2}$/.test(right) ? valid(Number(from.slice(0, 4)), Number(from.slice(5, 7)), Number(right)) : dateOf(right, today);
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
