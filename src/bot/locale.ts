import { LOCALES, type Locale } from '../config.js';
import type { Namespace, Store } from '../store/index.js';

/** What a member chose with /语言. */
interface UserPrefs {
  locale?: Locale;
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

/** Members' stored choices, kept in the store (a restart keeps them). */
export class Preferences {
  private readonly prefs: Namespace<UserPrefs>;

  constructor(store: Store) {
    this.prefs = store.namespace<UserPrefs>('prefs');
  }

  async locale(userid: string): Promise<Locale | undefined> {
    return (await this.prefs.get(userid))?.locale;
  }

  async setLocale(userid: string, locale: Locale): Promise<void> {
    const current = (await this.prefs.get(userid)) ?? {};
    await this.prefs.set(userid, { ...current, locale });
  }
}

/**
 * The locale of a reply, by the contract's three rules: the member's own choice; else the script of the command word
 * typed (when the word is a name in several locales, the default wins if it is one of them); else the default.
 */
export function replyLocale(chosen: Locale | undefined, typed: Locale[], fallback: Locale): Locale {
  if (chosen) return chosen;
  if (typed.length === 0) return fallback;
  return typed.includes(fallback) ? fallback : (typed[0] as Locale);
}
