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

  /** Remembers the script `userid` typed in; writes only when it changed. */
  async noteTyped(userid: string, prefs: UserPrefs, typed: Locale): Promise<void> {
    if (prefs.lastTyped !== typed) await this.prefs.set(userid, { ...prefs, lastTyped: typed });
  }
}

/** What decides the script of a reply. */
export interface LocaleClues {
  /** The member's own choice (/语言): it always wins. */
  chosen?: Locale;
  /** The locales whose name of the command (and sub-command) the member typed; empty when the word is no command. */
  named: readonly Locale[];
  /** The script the whole line is written in, when it tells (see scriptOf). */
  written?: Locale;
  /** The script the member typed in last time. */
  lastTyped?: Locale;
  fallback: Locale;
}

/**
 * The locale of a reply: the member's own choice; else the script of what they typed (the command word, and where the
 * word is the same in several scripts, like 群, the rest of the line); else, for words that tell nothing, the script
 * they last typed, so one conversation stays in one language; else the default.
 */
export function replyLocale(clues: LocaleClues): Locale {
  if (clues.chosen) return clues.chosen;
  const { named, written, lastTyped, fallback } = clues;
  const typed = typedScript(named, written);
  if (typed) return typed;
  if (fits(named, lastTyped)) return lastTyped;
  if (fits(named, fallback)) return fallback;
  return named[0] ?? fallback;
}

/** The script a line was typed in, to remember: only what the line itself tells (its command word, or its text). */
export function typedScript(named: readonly Locale[], written: Locale | undefined): Locale | undefined {
  if (named.length === 1) return named[0];
  return fits(named, written) ? written : undefined;
}

/** A locale the command word allows: any when the word named none (no command), else one of its names. */
function fits(named: readonly Locale[], locale: Locale | undefined): locale is Locale {
  return locale !== undefined && (named.length === 0 || named.includes(locale));
}
