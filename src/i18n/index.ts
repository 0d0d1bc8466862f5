import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LOCALES, type Locale } from '../config.js';

export { LOCALES, type Locale };

/** A locale file: nested objects whose leaves are strings (or string lists, e.g. examples). */
export interface Messages {
  [key: string]: string | string[] | Messages;
}

const localeDir = fileURLToPath(new URL('../../locales/', import.meta.url));

function loadLocale(locale: Locale): Messages {
  return JSON.parse(readFileSync(`${localeDir}${locale}.json`, 'utf8')) as Messages;
}

/** Every locale's messages, read once at start. */
export const catalogs: Record<Locale, Messages> = {
  'zh-Hans': loadLocale('zh-Hans'),
  'zh-Hant': loadLocale('zh-Hant'),
  en: loadLocale('en'),
};

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

/**
 * The message `key` in `locale` with `{name}` placeholders filled from `params`. Falls back to zh-Hans, then to
 * the key itself, so a missing string shows up instead of crashing a reply (a test keeps the locales complete).
 */
export function t(locale: Locale, key: string, params: Record<string, string | number> = {}): string {
  const found = lookup(locale, key);
  const fallback = lookup('zh-Hans', key);
  const template = typeof found === 'string' ? found : typeof fallback === 'string' ? fallback : key;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** A list of strings at `key` (examples), in `locale`, falling back to zh-Hans; empty when absent. */
export function tList(locale: Locale, key: string): string[] {
  const found = lookup(locale, key) ?? lookup('zh-Hans', key);
  return Array.isArray(found) ? found : [];
}

/** A map of strings at `key` (option descriptions), in `locale`, falling back to zh-Hans; empty when absent. */
export function tMap(locale: Locale, key: string): Record<string, string> {
  const found = lookup(locale, key) ?? lookup('zh-Hans', key);
  if (!found || typeof found !== 'object' || Array.isArray(found)) return {};
  return Object.fromEntries(Object.entries(found).filter((e): e is [string, string] => typeof e[1] === 'string'));
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
