/**
 * Runs `fn` over `items` with at most `limit` calls in flight, and resolves with the results in the items' order
 * whichever finished first (WeCom's APIs answer faster several at a time, within their per-minute limits).
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await fn(items[i]!, i);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
