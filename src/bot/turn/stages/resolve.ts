import { t } from '../../../i18n/index.js';
import { code } from '../../../render/markdown.js';
import { simpleReply } from '../../../render/reply.js';
import { hasRole, PermissionDenied, type CommandDefinition } from '../../command.js';
import { cutEcho, explainError } from '../../explain.js';
import { closest } from '../../../i18n/words.js';
import { tokenize } from '../../tokenize.js';
import type { Stage, Turn, TurnServices } from '../turn.js';
import { settleLocale } from './locale.js';

/** A command that is only its sub-commands, typed alone or with an unknown one: what it can do, for this member. */
async function listSubcommands(turn: Turn, services: TurnServices, command: CommandDefinition, word: string | undefined): Promise<void> {
  const { locale, user } = turn;
  const role = services.roles.of(user);
  const permitted = command.actions.filter((a) => hasRole(role, a.role));
  if (permitted.length === 0) return services.reply(user, explainError(new PermissionDenied(command.actions[0]?.role ?? 'admin'), locale));
  const name = `/${command.names[locale]}`;
  const title =
    word === undefined ? t(locale, 'common.subcommands', { command: name }) : t(locale, 'common.unknownSubcommand', { command: name, word: cutEcho(word) });
  // The usage lines of the sub-commands this member may run, generated from their declarations.
  const lines = services.registry
    .usage(command, locale)
    .filter((u) => permitted.includes(u.action))
    .map((u) => code(u.line));
  const help = services.registry.get('help')?.names[locale] ?? 'help';
  await services.reply(
    user,
    simpleReply(title, word === undefined ? undefined : 'warning', [...lines, t(locale, 'common.helpFor', { command: `/${help} ${command.names[locale]}` })]),
  );
}

/** A word that names no command: the closest names of commands this member may run. */
async function unknownCommand(turn: Turn, services: TurnServices, word: string): Promise<void> {
  const { locale } = turn;
  const permitted = new Set(services.registry.permitted(services.roles.of(turn.user)));
  const names = services.registry.names().filter(([, command]) => permitted.has(command));
  // The nearest commands, each by its name in the reply's script (not /客戶 · /客户 to a Simplified user).
  const near = closest(
    word,
    names.map(([name]) => name),
  ).map((name) => names.find(([n]) => n === name)![1]);
  const suggestions = [...new Set(near)].map((command) => command.names[locale]);
  const lines = suggestions.length > 0 ? [[t(locale, 'common.didYouMean'), ...suggestions.flatMap((s, i) => [i > 0 ? ' · ' : ' ', code(`/${s}`)])]] : [];
  await services.reply(turn.user, simpleReply(t(locale, 'common.unknownCommand', { word: cutEcho(word) }), 'warning', [...lines, t(locale, 'common.seeHelp')]));
}

/**
 * Reads the command line: its words, the command and action they name (in any locale), and with them the reply's
 * language. An unknown command gets "did you mean"; a command that is only sub-commands, what it can do.
 */
export const resolveCommand: Stage = {
  name: 'resolve',
  async run(turn, services) {
    if (turn.found) return 'next'; // the answer to a question: its command is known
    const { registry } = services;
    const { user, text } = turn;
    let words: string[];
    try {
      words = turn.words ?? tokenize(text);
    } catch (err) {
      // Answer in the script of the command word, if the line starts with one.
      const first =
        text
          .trim()
          .replace(/^[/／]/, '')
          .split(/[\s\u3000]/)[0] ?? '';
      await services.reply(user, explainError(err, await settleLocale(turn, services, registry.resolve(first)?.locales ?? [])));
      return 'done';
    }
    const [word, ...rest] = words;
    if (word === undefined || word === '') {
      await services.reply(user, simpleReply(t(await settleLocale(turn, services, []), 'common.hint')));
      return 'done';
    }
    const resolved = registry.resolve(word);
    const found = resolved ? registry.resolveAction(resolved.command, rest) : undefined;
    const named = !resolved
      ? []
      : found && found.subLocales.length > 0 && resolved.locales.some((l) => found.subLocales.includes(l))
        ? resolved.locales.filter((l) => found.subLocales.includes(l))
        : resolved.locales;
    await settleLocale(turn, services, named);
    if (!resolved) {
      await unknownCommand(turn, services, word);
      return 'done';
    }
    if (!found) {
      await listSubcommands(turn, services, resolved.command, rest[0]);
      return 'done';
    }
    turn.command = resolved.command;
    turn.found = found;
    return 'next';
  },
};
