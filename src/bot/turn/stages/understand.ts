import type { Locale } from '../../../config.js';
import { t } from '../../../i18n/index.js';
import { foldScript } from '../../../i18n/script.js';
import { code, color, type Inline } from '../../../render/markdown.js';
import { simpleReply } from '../../../render/reply.js';
import { hasRole } from '../../command.js';
import { replyLocale } from '../../locale.js';
import { understand } from '../../plain/grammar.js';
import { lineOf } from '../../plain/line.js';
import { isCommand, tokenize } from '../../tokenize.js';
import type { Stage, Turn, TurnServices } from '../turn.js';
import { clues } from './locale.js';

/**
 * The command line a plain sentence asks for, written in the script it was typed in, and that script; undefined when
 * not understood.
 */
async function readPlain(turn: Turn, services: TurnServices): Promise<{ line: string; locale: Locale } | undefined> {
  const members = await services.members.entries();
  const read = understand(turn.text, {
    memberNames: members.flatMap((m) => [m.name, m.userid, ...(m.alias ? [m.alias] : [])]),
    isCommand: (word) => services.registry.resolve(word) !== undefined,
  });
  if (!read) return undefined;
  if ('line' in read) {
    const named = services.registry.resolve(tokenize(read.line)[0] ?? '')?.locales ?? [];
    return { line: read.line, locale: turn.written && named.includes(turn.written) ? turn.written : (named[0] ?? turn.locale) };
  }
  const locale = read.written ?? turn.written ?? turn.locale;
  const line = lineOf(read, services.registry, locale);
  return line === undefined ? undefined : { line, locale };
}

/** Commands the sentence names (a command word inside it), that the member may run: what they may have meant. */
function mentioned(turn: Turn, services: TurnServices): string[] {
  const folded = foldScript(turn.text);
  const permitted = new Set(services.registry.permitted(services.roles.of(turn.user)));
  const named = services.registry
    .names()
    .filter(
      ([name, command]) =>
        permitted.has(command) && (/^[a-z]/.test(name) ? new RegExp(`\\b${name}\\b`).test(folded) : name.length > 1 && folded.includes(name)),
    );
  return [...new Set(named.map(([, command]) => command))].map((command) => command.names[turn.written ?? turn.locale]);
}

/**
 * Asks the language model (BOT_LLM_*) for a command line, among the usage lines of what the member may run, and
 * proposes it: shown as a card with a button that runs it, nothing run before the member says yes. False when the
 * model proposes nothing the bot has.
 */
async function proposeByModel(turn: Turn, services: TurnServices, llm: NonNullable<TurnServices['llm']>): Promise<boolean> {
  const locale = turn.written ?? turn.locale;
  const role = services.roles.of(turn.user);
  const usage = services.registry
    .permitted(role)
    .flatMap((command) => services.registry.usage(command, locale).filter((u) => hasRole(role, u.action.role)))
    .map((u) => u.line);
  const line = await llm.propose(turn.text, usage);
  if (line === undefined) return false;
  let words: string[];
  try {
    words = tokenize(line);
  } catch {
    return false;
  }
  const [word = '', ...rest] = words;
  const resolved = services.registry.resolve(word);
  if (!resolved || !services.registry.resolveAction(resolved.command, rest)) return false;
  await services.conversations.suggest(turn.user, resolved.locales.includes(locale) ? locale : (resolved.locales[0] ?? locale), line.replace(/^／/, '/'));
  return true;
}

/**
 * A sentence without a slash that asks for something the bot can do ("张三有多少客户", "把周八的客户转给李四",
 * "上週的統計", "客户" without its slash) is read as the command it stands for: the member is shown the command line,
 * so they learn it, and the turn goes on with it (a write still answers with its confirmation card). A sentence the
 * grammar cannot read gets the hint, with examples and the commands it mentions.
 */
export const understandPlain: Stage = {
  name: 'understand',
  async run(turn, services) {
    if (turn.found || isCommand(turn.text)) return 'next';
    let read: Awaited<ReturnType<typeof readPlain>>;
    try {
      read = await readPlain(turn, services);
      if (read) turn.words = tokenize(read.line);
    } catch {
      read = undefined; // a line that cannot be read back (an unclosed quote) is no request
    }
    if (read && turn.words) {
      // An English colon takes a space after it; a Chinese one does not.
      const said = t(read.locale, 'plain.understood');
      await services.reply(turn.user, simpleReply([color('comment', read.locale === 'en' ? `${said} ` : said), code(read.line)]));
      return 'next';
    }
    if (services.llm && (await proposeByModel(turn, services, services.llm))) return 'done';
    // A Latin word or two that are no request (a UserID, "ok") do not turn a Chinese conversation English; a sentence does.
    const sentence = (turn.text.match(/[A-Za-z]+/g) ?? []).length >= 3;
    const plain = turn.written === 'en' && turn.prefs.lastTyped && !sentence ? turn.prefs.lastTyped : turn.written;
    const locale = replyLocale({ ...clues(turn, services), named: [], written: plain });
    const names = mentioned({ ...turn, locale, written: locale }, services);
    const lines = names.length > 0 ? [[t(locale, 'plain.mentions'), ...names.flatMap((n, i): Inline[] => [i > 0 ? ' · ' : ' ', code(`/${n}`)])]] : [];
    await services.reply(turn.user, simpleReply(t(locale, 'common.hint'), undefined, [...lines, t(locale, 'plain.hintExamples')]));
    return 'done';
  },
};
