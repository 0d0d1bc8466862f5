/** WeCom's own days: its statistics count Beijing days (Asia/Shanghai), whatever the corp's time zone. */
export const WECOM_DAYS_ZONE = 'Asia/Shanghai';

/** The calendar fields of an instant in `timeZone` (a formatter of about 40 µs a call: no cache kept in the module). */
function fieldsIn(ms: number, timeZone: string): Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number> {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const out: Record<string, number> = {};
  for (const p of format.formatToParts(ms)) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return out as Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number>;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** How far `timeZone` is ahead of UTC at the instant `ms` (daylight saving included). */
export function zoneOffsetMs(timeZone: string, ms: number): number {
  const f = fieldsIn(ms, timeZone);
  return Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second) - Math.floor(ms / 1000) * 1000;
}

/** `YYYY-MM-DD` of a unix time (seconds) in `timeZone` (BOT_TIMEZONE, or {@link WECOM_DAYS_ZONE} for WeCom's days). */
export function formatDate(unixSeconds: number, timeZone: string): string {
  const f = fieldsIn(unixSeconds * 1000, timeZone);
  return `${f.year}-${pad(f.month)}-${pad(f.day)}`;
}

/** `YYYY-MM-DD HH:mm` of a time (ms or an ISO string) in `timeZone`. */
export function formatDateTime(time: number | string, timeZone: string): string {
  const f = fieldsIn(typeof time === 'string' ? Date.parse(time) : time, timeZone);
  return `${f.year}-${pad(f.month)}-${pad(f.day)} ${pad(f.hour)}:${pad(f.minute)}`;
}

/** Unix seconds of 00:00 in `timeZone` of a `YYYY-MM-DD` date. */
export function dayStartOf(date: string, timeZone: string): number {
  const utcMidnight = Date.parse(`${date}T00:00:00Z`);
  // The zone's offset at that day, twice: once to land near its midnight, again in case daylight saving moved it.
  let start = utcMidnight - zoneOffsetMs(timeZone, utcMidnight);
  start = utcMidnight - zoneOffsetMs(timeZone, start);
  return Math.floor(start / 1000);
}

/** Pages of a list: the items of page `page` (1-based, clamped) and the page count. */
export function paginate<T>(items: readonly T[], page: number, size: number): { items: T[]; page: number; pages: number } {
  const pages = Math.max(1, Math.ceil(items.length / size));
  const current = Math.min(Math.max(1, page), pages);
  return { items: items.slice((current - 1) * size, current * size), page: current, pages };
}
