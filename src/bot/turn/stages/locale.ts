import type { Locale } from '../../../config.js';
import { scriptOf } from '../../../i18n/script.js';
import { replyLocale, typedScript, type LocaleClues } from '../../locale.js';
import type { Stage, Turn, TurnServices } from '../turn.js';

/** What decides a turn's language besides the command word: the member's choice, the script they last typed, the default. */
export function clues(turn: Turn, services: TurnServices): Omit<LocaleClues, 'named' | 'written'> {
  return { chosen: turn.prefs.locale, lastTyped: turn.prefs.lastTyped, fallback: services.defaultLocale };
}

/**
 * The turn's language once the command word is known (`named`: the locales whose name of it was typed); the script
 * the member typed in is remembered for the next turn.
 */
export async function settleLocale(turn: Turn, services: TurnServices, named: readonly Locale[]): Promise<Locale> {
  const typed = typedScript(named, turn.written);
  if (typed) await services.prefs.noteTyped(turn.user, turn.prefs, typed);
  turn.locale = replyLocale({ ...clues(turn, services), named, written: turn.written });
  return turn.locale;
}

/** Reads the member's stored choices and the script of the line: a first guess at the reply's language. */
export const readLocale: Stage = {
  name: 'locale',
  async run(turn, services) {
    turn.prefs = await services.prefs.of(turn.user);
    turn.written = scriptOf(turn.text);
    turn.locale = replyLocale({ ...clues(turn, services), named: [], written: turn.written });
    return 'next';
  },
};
