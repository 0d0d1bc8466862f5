import { defineNamespace, type CommandContext } from '../../src/bot/command.js';

/** How long the cursor of a page shown is kept, so "next page" costs one call instead of a walk. */
const CURSOR_TTL_MS = 10 * 60_000;

/** The cursors of pages shown, by `<scope>:<page>`. */
const CURSORS = defineNamespace<string>('cursors');

/**
 * Fetches page `page` (1-based) of a cursor API. Cursors of pages already shown are kept briefly in the store; an
 * unknown page is reached by walking from the nearest known one.
 */
export async function cursorPage<P extends { next_cursor?: string }>(
  ctx: Pick<CommandContext, 'state'>,
  scope: string,
  page: number,
  fetch: (cursor: string) => Promise<P>,
): Promise<{ result: P; hasNext: boolean; page: number }> {
  const cache = ctx.state(CURSORS);
  const key = (n: number) => `${scope}:${n}`;
  let start = 1;
  let cursor = '';
  for (let n = page; n > 1; n--) {
    const known = await cache.get(key(n));
    if (known !== undefined) {
      start = n;
      cursor = known;
      break;
    }
  }
  let current = start;
  let result = await fetch(cursor);
  while (current < page && result.next_cursor) {
    current += 1;
    await cache.set(key(current), result.next_cursor, CURSOR_TTL_MS);
    result = await fetch(result.next_cursor);
  }
  if (result.next_cursor) await cache.set(key(current + 1), result.next_cursor, CURSOR_TTL_MS);
  return { result, hasNext: Boolean(result.next_cursor), page: current };
}
