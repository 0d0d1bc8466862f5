import simplifiedToTraditional from 'opencc-js/dict/STCharacters';
import traditionalToSimplified from 'opencc-js/dict/TSCharacters';
import taiwanVariants from 'opencc-js/dict/TWVariants';
import type { Locale } from '../config.js';

/** An OpenCC table (`source target…|…`) as a map. */
function entries(table: string): Map<string, string[]> {
  return new Map(
    table.split('|').map((entry) => {
      const [source = '', ...targets] = entry.split(' ');
      return [source, targets];
    }),
  );
}

/**
 * The characters of an OpenCC table that only the source script writes: they map to something other than themselves,
 * even after Taiwan's variants (OpenCC's 羣 is 群 in Taiwan, so 群 belongs to both scripts).
 */
function scriptOnly(table: string): Set<string> {
  const taiwan = entries(taiwanVariants);
  const only = new Set<string>();
  for (const [source, targets] of entries(table)) {
    const forms = targets.flatMap((t) => [t, ...(taiwan.get(t) ?? [])]);
    if (source && !forms.includes(source)) only.add(source);
  }
  return only;
}

/** The characters only Simplified, and only Traditional, writes (built at start: about 15 ms). */
const TABLES = { simplified: scriptOnly(simplifiedToTraditional), traditional: scriptOnly(traditionalToSimplified) } as const;

const HAN = /\p{Script=Han}/u;
const LATIN_WORD = /[A-Za-z]{2,}/;

/**
 * The script a member wrote `text` in, when it tells: zh-Hans or zh-Hant by the characters only one of them writes
 * (OpenCC's tables), en for Latin words without any Han character. Text made only of characters both scripts share
 * (`群`, `我`, `你好`) tells nothing: undefined.
 */
export function scriptOf(text: string): Locale | undefined {
  if (!HAN.test(text)) return LATIN_WORD.test(text) ? 'en' : undefined;
  let simplified = 0;
  let traditional = 0;
  for (const char of text) {
    if (TABLES.simplified.has(char)) simplified++;
    else if (TABLES.traditional.has(char)) traditional++;
  }
  if (simplified === traditional) return undefined;
  return simplified > traditional ? 'zh-Hans' : 'zh-Hant';
}

/** Each Traditional character's Simplified form (OpenCC's first), and Taiwan's variants mapped back to OpenCC's. */
const TO_SIMPLIFIED: ReadonlyMap<string, string> = (() => {
  const map = new Map<string, string>();
  for (const [source, targets] of entries(traditionalToSimplified)) if (source && targets[0] && targets[0] !== source) map.set(source, targets[0]);
  for (const [standard, variants] of entries(taiwanVariants)) {
    const simplified = map.get(standard);
    for (const variant of variants) if (simplified && variant && !map.has(variant)) map.set(variant, simplified);
  }
  return map;
})();

/**
 * `text` as one script writes it, for matching what a person typed against a name in either script: 張三 and 张三
 * fold alike, as do Latin letters in any case (a name is compared, never shown, in this form).
 */
export function foldScript(text: string): string {
  let out = '';
  for (const char of text.trim().toLowerCase()) out += TO_SIMPLIFIED.get(char) ?? char;
  return out;
}
