/** How far apart two words people type are: for "did you mean", over command names and member names alike. */

/** Levenshtein distance over code points (CJK names are one code point a character). */
export function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let previous = Array.from({ length: y.length + 1 }, (_, i) => i);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[y.length] as number;
}

/**
 * The candidates closest to `word`: within a distance that grows with the word (1 for up to 3 characters, then a
 * third of its length), best first, at most `limit`.
 */
export function closest(word: string, candidates: string[], limit = 3): string[] {
  const w = word.toLowerCase();
  const allowed = Math.max(1, Math.floor([...w].length / 3));
  return candidates
    .map((c) => ({ c, d: editDistance(w, c.toLowerCase()) }))
    .filter(({ d }) => d <= allowed)
    .sort((a, b) => a.d - b.d || a.c.localeCompare(b.c))
    .slice(0, limit)
    .map(({ c }) => c);
}

/**
 * The items whose key is closest to `word` (see {@link closest}), best first: every item of a near key, at most
 * `limit` items. `keysOf` may give an item several keys (a name and how it sounds); each word in `words` is tried.
 */
export function nearest<T>(words: readonly string[], items: readonly T[], keysOf: (item: T) => string[], limit = 3): T[] {
  const byKey = new Map<string, T[]>();
  for (const item of items) {
    for (const key of keysOf(item)) if (key !== '' && !(byKey.get(key) ?? []).includes(item)) byKey.set(key, [...(byKey.get(key) ?? []), item]);
  }
  const keys = [...byKey.keys()];
  return [...new Set(words.flatMap((w) => closest(w, keys, limit)).flatMap((key) => byKey.get(key) ?? []))].slice(0, limit);
}
