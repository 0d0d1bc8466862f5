import { fileURLToPath } from 'node:url';
import { LOCALES, type Locale } from '../config.js';
import { Catalog, type Messages } from './catalog.js';

export { LOCALES, type Locale };

export { Catalog, type Messages } from './catalog.js';

/** The project's `locales/` folder (beside `src/` in the sources and in `dist/`). */
export const LOCALES_DIR = fileURLToPath(new URL('../../locales/', import.meta.url));

/** The project's own strings, read once at start and never changed (a bot running other commands has its own catalog). */
export const projectCatalog = new Catalog([LOCALES_DIR]);

/** Looks up a dotted key of the project's strings in one locale; undefined when absent. */
export function lookup(locale: Locale, key: string): string | string[] | Messages | undefined {
  return projectCatalog.lookup(locale, key);
}

/** True when `key` names a string of the project in `locale`. */
export function has(locale: Locale, key: string): boolean {
  return projectCatalog.has(locale, key);
}

/** The project's message `key` in `locale`, its placeholders filled (see {@link Catalog.t}). */
export function t(locale: Locale, key: string, params: Record<string, string | number> = {}): string {
  return projectCatalog.t(locale, key, params);
}

/** A list of the project's strings at `key` (examples), in `locale`. */
export function tList(locale: Locale, key: string): string[] {
  return projectCatalog.tList(locale, key);
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
