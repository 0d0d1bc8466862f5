/**
 * Walks a cursor API: calls `fetchPage` with '' first, then with each `next_cursor`, until it is empty.
 * Yields every page as WeCom returned it.
 */
export async function* paginateCursor<P extends { next_cursor?: string }>(fetchPage: (cursor: string) => Promise<P>): AsyncGenerator<P> {
  let cursor = '';
  const seen = new Set<string>();
  for (;;) {
    const page = await fetchPage(cursor);
    yield page;
    const next = page.next_cursor ?? '';
    // An empty cursor ends the walk; a repeated one would loop forever on a misbehaving server.
    if (next === '' || seen.has(next)) return;
    seen.add(next);
    cursor = next;
  }
}

/**
 * Walks an offset API (groupchat/statistic): `offset` 0 first, then `next_offset`, until it reaches `total` or
 * stops moving.
 */
export async function* paginateOffset<P extends { total?: number; next_offset?: number }>(fetchPage: (offset: number) => Promise<P>): AsyncGenerator<P> {
  let offset = 0;
  for (;;) {
    const page = await fetchPage(offset);
    yield page;
    const next = page.next_offset ?? 0;
    if (page.total === undefined || next >= page.total || next <= offset) return;
    offset = next;
  }
}
