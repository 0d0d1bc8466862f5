import { simError } from './errors.js';

/** Encodes a list position as an opaque cursor bound to one query (a cursor of another query is refused). */
export function encodeCursor(offset: number, scope: string): string {
  return Buffer.from(`${scope}|${offset}`, 'utf8').toString('base64url');
}

/** The position of a cursor ('' = start). @throws 40058 for a cursor that is not ours or not of this query. */
export function decodeCursor(cursor: unknown, scope: string): number {
  if (cursor === undefined || cursor === null || cursor === '') return 0;
  if (typeof cursor !== 'string') throw simError(40058, 'invalid cursor');
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const at = text.lastIndexOf('|');
  const offset = Number(text.slice(at + 1));
  if (at < 0 || text.slice(0, at) !== scope || !Number.isInteger(offset) || offset < 0) {
    throw simError(40058, 'invalid cursor');
  }
  return offset;
}

/** One page of `items` from `cursor`, with the next cursor ('' when done). */
export function pageOf<T>(items: readonly T[], cursor: unknown, limit: number, scope: string): { page: T[]; next_cursor: string } {
  const start = decodeCursor(cursor, scope);
  const page = items.slice(start, start + limit);
  const end = start + page.length;
  return { page, next_cursor: end < items.length ? encodeCursor(end, scope) : '' };
}
