import type { Locale } from '../config.js';
import { defineNamespace, type Namespace, type Store } from '../store/index.js';

/** Each member's own settings (their reply language). */
const PREFS = defineNamespace<UserPrefs>('prefs');

/** What a member chose with /语言, and the script they last typed in. */
export interface UserPrefs {
  locale?: Locale;
  lastTyped?: Locale;
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

  /** Both settings in one read: the member's choice, and the script of what they last typed. */
  async of(userid: string): Promise<UserPrefs> {
    return (await this.prefs.get(userid)) ?? {};
  }

  /**
   * The language of a message the member did not just type (events, clicks): their choice, else the script they last
   * typed, else `fallback`.
   */
  async standingLocale(userid: string, fallback: Locale): Promise<Locale> {
    const prefs = await this.of(userid);
    return prefs.locale ?? prefs.lastTyped ?? fallback;
  }

  /** Remembers the script `userid` typed in; writes only when it changed. */
  async noteTyped(userid: string, prefs: UserPrefs, typed: Locale): Promise<void> {
    if (prefs.lastTyped !== typed) await this.prefs.set(userid, { ...prefs, lastTyped: typed });
  }
}
