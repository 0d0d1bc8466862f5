import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOCALES, type Locale } from '../config.js';

export { LOCALES, type Locale };

/** A locale file: nested objects whose leaves are strings (or string lists, e.g. examples). */
export interface Messages {
  [key: string]: string | string[] | Messages;
}

/** The project's `locales/` folder (beside `src/` in the sources and in `dist/`). */
export const LOCALES_DIR = fileURLToPath(new URL('../../locales/', import.meta.url));

/** Every locale's messages, read at start from {@link LOCALES_DIR} (and any folder added with {@link addLocaleDir}). */
export const catalogs: Record<Locale, Messages> = { 'zh-Hans': {}, 'zh-Hant': {}, en: {} };

/**
 * Reads a locales folder into the catalogs: `<dir>/<locale>.json` holds the shared strings at the root (`common.*`,
 * `errors.*`, `confirm.*`); each `<dir>/<locale>/<id>.json` holds the strings of the command with that id, found under
 * `commands.<id>.*`. A command kept outside `commands/` (a plugin, a test's fixture) brings its own folder.
 * @throws Error when a file defines a command's strings that another folder defined already.
 */
export function addLocaleDir(dir: string): void {
  for (const locale of LOCALES) {
    const catalog = catalogs[locale];
    const shared = join(dir, `${locale}.json`);
    if (existsSync(shared)) Object.assign(catalog, JSON.parse(readFileSync(shared, 'utf8')) as Messages);
    const folder = join(dir, locale);
    if (!existsSync(folder)) continue;
    for (const file of readdirSync(folder)
      .filter((f) => f.endsWith('.json'))
      .sort()) {
      const messages = JSON.parse(readFileSync(join(folder, file), 'utf8')) as Messages;
      const name = file.slice(0, -'.json'.length);
      catalog.commands ??= {};
      const commands = catalog.commands as Messages;
      if (commands[name] !== undefined && commands[name] !== messages) {
        if (JSON.stringify(commands[name]) === JSON.stringify(messages)) continue; // the same folder read twice
        throw new Error(`${join(folder, file)}: the strings of command ${name} are defined twice`);
      }
      commands[name] = messages;
    }
  }
}

addLocaleDir(LOCALES_DIR);

/** Looks up a dotted key in one locale; undefined when absent. */
export function lookup(locale: Locale, key: string): string | string[] | Messages | undefined {
  let node: string | string[] | Messages | undefined = catalogs[locale];
  for (const part of key.split('.')) {
    if (node === undefined || typeof node === 'string' || Array.isArray(node)) return undefined;
    node = node[part];
  }
  return node;
}

/** True when `key` names a string in `locale`. */
export function has(locale: Locale, key: string): boolean {
  return typeof lookup(locale, key) === 'string';
}

/** `{count|customer|customers}`: the first form when the parameter is 1, else the second (English plurals). */
const PLURAL = /\{(\w+)\|([^|{}]*)\|([^|{}]*)\}/g;

/**
 * The message `key` in `locale` with `{name}` placeholders filled from `params`. Falls back to zh-Hans, then to
 * the key itself, so a missing string shows up instead of crashing a reply (a test keeps the locales complete).
 */
export function t(locale: Locale, key: string, params: Record<string, string | number> = {}): string {
  const found = lookup(locale, key);
  const fallback = lookup('zh-Hans', key);
  const template = typeof found === 'string' ? found : typeof fallback === 'string' ? fallback : key;
  const text = template
    .replace(PLURAL, (whole, name: string, one: string, other: string) => (name in params ? (Number(params[name]) === 1 ? one : other) : whole))
    .replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
  // Templates space a value from the Chinese around it ("{user} 的客户"); after a label that ends in a full-width
  // bracket ("王五（wangwu）") that space is one too many: "王五（wangwu）的客户".
  return locale === 'en' ? text : text.replace(FULL_WIDTH_CLOSE_SPACE, '$1');
}

const FULL_WIDTH_CLOSE_SPACE = /([）」』]) (?=\p{Script=Han})/gu;

/** A list of strings at `key` (examples), in `locale`, falling back to zh-Hans; empty when absent. */
export function tList(locale: Locale, key: string): string[] {
  const found = lookup(locale, key) ?? lookup('zh-Hans', key);
  return Array.isArray(found) ? found : [];
}

/** Words people type for a locale, besides its code. */
const LOCALE_WORDS: Record<string, Locale> = {
  'zh-hans': 'zh-Hans',
  'zh-cn': 'zh-Hans',
  'zh-sg': 'zh-Hans',
  zh: 'zh-Hans',
  简体: 'zh-Hans',
  简体中文: 'zh-Hans',
  簡體: 'zh-Hans',
  'zh-hant': 'zh-Hant',
  'zh-tw': 'zh-Hant',
  'zh-hk': 'zh-Hant',
  繁体: 'zh-Hant',
  繁體: 'zh-Hant',
  繁體中文: 'zh-Hant',
  en: 'en',
  english: 'en',
  英文: 'en',
};

/** The locale a word names (`zh-TW`, `繁體`, `English` …), if any. */
export function localeFromWord(word: string): Locale | undefined {
  return LOCALE_WORDS[word.trim().toLowerCase()] ?? LOCALES.find((l) => l.toLowerCase() === word.trim().toLowerCase());
}
