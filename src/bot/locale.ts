import type { Locale } from '../config.js';

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
