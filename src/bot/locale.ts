import { LOCALES, type Locale } from '../config.js';
import type { Namespace, Store } from '../store/index.js';

/** What a member chose with /语言. */
interface UserPrefs {
  locale?: Locale;
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
