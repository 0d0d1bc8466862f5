import { code } from '../../../render/markdown.js';
import { t } from '../../../i18n/index.js';
import type { Locale } from '../../../config.js';
import { ParseError, type Action, type CommandDefinition, type FieldRef } from '../../command.js';
import type { ChoiceSource } from '../../conversation.js';
import { explainError, reasonOf } from '../../explain.js';
import { parseArgs } from '../../parse.js';
import type { Stage, TurnServices } from '../turn.js';

/** The likely answers of a missing field: the action's own, else the choices the field declares. */
export function choicesFor(action: Action, name: string): ChoiceSource | undefined {
  const own = action.ask?.[name];
  if (own) return own;
  const declared = [...(action.args ?? []), ...(action.options ?? [])].find((s) => s.name === name)?.choices;
  return declared ? async () => declared.map((value) => ({ value, label: value })) : undefined;
}

/** What asking for one field needs: who, in which language, which action and the words typed so far. */
export interface FieldQuestion {
  user: string;
  locale: Locale;
  command: CommandDefinition;
  action: Action;
  actionId: string;
  words: string[];
  field: FieldRef;
}

/** Asks the member for one value of the action, with its likely answers as buttons and its usage line. */
export async function askField(services: TurnServices, q: FieldQuestion): Promise<void> {
  await services.conversations.ask(
    services.context(q.user, q.locale, {}, q.command.id),
    q.command,
    q.actionId,
    q.words,
    q.field,
    choicesFor(q.action, q.field.name),
    services.registry.usageLine(q.command, q.action, q.locale),
  );
}

/**
 * Reads the arguments and options the action declares. A required value left out is asked for (with likely answers
 * as buttons); any other mistake is audited and explained, naming the field by its label, with the action's usage.
 */
export const parseOrAsk: Stage = {
  name: 'parse',
  async run(turn, services) {
    const { command, found, user, locale } = turn;
    if (!command || !found) return 'done';
    const { action, actionId } = found;
    try {
      turn.args = parseArgs(action, found.rest);
      return 'next';
    } catch (err) {
      if (!ParseError.is(err)) throw err;
      const named = (ref: FieldRef) => services.registry.fieldNameOf(command, ref, locale);
      const options = err.alternatives.map(named).join(t(locale, 'conversation.orSeparator'));
      if (err.alternatives.length > 0 && (err.key === 'errors.parse.missingOneOf' || err.key === 'errors.parse.missingAnyOf')) {
        // One of several options is wanted: which one is asked first, then its value.
        await services.conversations.askOption(
          services.context(user, locale, {}, command.id),
          command,
          actionId,
          found.rest,
          err.alternatives.map((ref) => ref.name),
          t(locale, err.key, { options }),
        );
        return 'done';
      }
      if (err.field && (err.key === 'errors.parse.missingOption' || err.key === 'errors.parse.missingArgument')) {
        await askField(services, { user, locale, command, action, actionId, words: found.rest, field: err.field });
        return 'done';
      }
      await services.audit.append({ userid: user, command: actionId, args: {}, decision: 'failed', reason: reasonOf(err) });
      // The field by its label ("缺少原成员（--from）。"), then the usage of this one action.
      const labels = Object.fromEntries(Object.entries(err.fields).map(([param, ref]) => [param, services.registry.fieldNameOf(command, ref, locale)]));
      const explained = new ParseError(err.key, {
        ...err.params,
        ...labels,
        ...(err.field ? { field: named(err.field) } : {}),
        ...(err.alternatives.length > 0 ? { options } : {}),
      });
      await services.reply(user, {
        ...explainError(explained, locale, services.registry.catalog),
        footer: [services.registry.catalog.t(locale, 'common.usage'), code(services.registry.usageLine(command, action, locale))],
      });
      return 'done';
    }
  },
};
