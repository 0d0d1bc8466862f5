import type { Locale } from '../config.js';
import { defineNamespace, type Namespace, type Store } from '../store/index.js';

/** Each member's own settings (their reply language). */
const PREFS = defineNamespace<UserPrefs>('prefs');

/** What a member chose with /语言. */
interface UserPrefs {
  locale?: Locale;
}

/** Members' stored choices, kept in the store (a restart keeps them). */
export class Preferences {
  private readonly prefs: Namespace<UserPrefs>;

  constructor(store: Store) {
    this.prefs = store.namespace(PREFS);
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
