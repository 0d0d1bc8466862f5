/** Corp time zone: dates in commands and replies are Asia/Shanghai. */
const ZONE_OFFSET_MS = 8 * 3600 * 1000;

/** `YYYY-MM-DD` of a unix time (seconds) in Asia/Shanghai. */
export function formatDate(unixSeconds: number): string {
  return new Date(unixSeconds * 1000 + ZONE_OFFSET_MS).toISOString().slice(0, 10);
}

/** `YYYY-MM-DD HH:mm` of a time (ms or an ISO string) in Asia/Shanghai. */
export function formatDateTime(time: number | string): string {
  const ms = typeof time === 'string' ? Date.parse(time) : time;
  return new Date(ms + ZONE_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** Unix seconds of 00:00 Asia/Shanghai of a `YYYY-MM-DD` date. */
export function dayStartOf(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00+08:00`) / 1000);
}

/** Pages of a list: the items of page `page` (1-based, clamped) and the page count. */
export function paginate<T>(items: readonly T[], page: number, size: number): { items: T[]; page: number; pages: number } {
  const pages = Math.max(1, Math.ceil(items.length / size));
  const current = Math.min(Math.max(1, page), pages);
  return { items: items.slice((current - 1) * size, current * size), page: current, pages };
}
