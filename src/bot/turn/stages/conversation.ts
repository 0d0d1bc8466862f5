import { t } from '../../../i18n/index.js';
import { simpleReply } from '../../../render/reply.js';
import { LOCALES } from '../../../config.js';
import { foldScript } from '../../../i18n/script.js';
import { Conversations, type Conversation } from '../../conversation.js';
import { cutEcho } from '../../explain.js';
import { askField } from './parse.js';
import { isCommand, tokenize } from '../../tokenize.js';
import type { Stage, StageResult, Turn, TurnServices } from '../turn.js';
import { settleLocale } from './locale.js';

/**
 * Takes `text` as the answer to the member's open question: the question's command, completed with it, is what the
 * turn runs (from authorisation on). False when the command is gone (a newer version of the bot dropped it).
 */
export async function takeAnswer(turn: Turn, services: TurnServices, text: string): Promise<boolean> {
  const { conversation } = turn;
  if (!conversation) return false;
  if (conversation.suggested !== undefined) return takeSuggestion(turn, services, conversation.suggested);
  if (conversation.options) return takeOptionPick(turn, services, conversation, conversation.options, text);
  const words = await services.conversations.complete(turn.user, conversation, text);
  if (conversation.field) turn.answered = conversation;
  const found = services.registry.action(conversation.actionId);
  if (!found) return false;
  turn.command = found.command;
  turn.found = { action: found.action, actionId: conversation.actionId, subLocales: [], rest: words };
  turn.locale = conversation.locale;
  return true;
}

/**
 * The answer to "which one will you give": the option picked (its button, its flag or its label in any script) is
 * asked for its value next; anything else asks again which one, saying what can be picked.
 */
async function takeOptionPick(turn: Turn, services: TurnServices, conversation: Conversation, options: readonly string[], text: string): Promise<boolean> {
  const found = services.registry.action(conversation.actionId);
  if (!found) {
    await services.conversations.end(turn.user);
    return false;
  }
  const { command, action } = found;
  const locale = conversation.locale;
  const wanted = foldScript(text.replace(/^-+/, ''));
  const picked = options.find(
    (name) =>
      foldScript(name) === wanted ||
      LOCALES.some((l) => foldScript(services.registry.fieldNameOf(command, { kind: 'option', name }, l).split(/[（(]/)[0] ?? '') === wanted),
  );
  const asker = services.context(turn.user, locale, {}, command.id);
  await services.conversations.end(turn.user);
  if (!picked) {
    const listed = options.map((name) => services.registry.fieldNameOf(command, { kind: 'option', name }, locale)).join(t(locale, 'conversation.orSeparator'));
    await services.conversations.askOption(
      asker,
      command,
      conversation.actionId,
      conversation.words,
      options,
      t(locale, 'conversation.notAnOption', { answer: cutEcho(text), options: listed }),
    );
    return false;
  }
  const { actionId, words } = conversation;
  if (action.options?.find((o) => o.name === picked)?.type === 'flag') {
    // A switch has no value to ask for: picking it is giving it, and the command goes on.
    turn.command = command;
    turn.found = { action, actionId, subLocales: [], rest: [...words, `--${picked}`] };
    turn.locale = locale;
    return true;
  }
  await askField(services, { user: turn.user, locale, command, action, actionId, words, field: { kind: 'option', name: picked } });
  return false;
}

/** The member said yes to the command line the bot proposed: it is the turn's command, from authorisation on. */
async function takeSuggestion(turn: Turn, services: TurnServices, line: string): Promise<boolean> {
  await services.conversations.end(turn.user);
  const [word = '', ...rest] = tokenize(line);
  const resolved = services.registry.resolve(word);
  const found = resolved && services.registry.resolveAction(resolved.command, rest);
  if (!resolved || !found) return false;
  turn.command = resolved.command;
  turn.found = found;
  turn.locale = turn.conversation?.locale ?? turn.locale;
  return true;
}

/** Words that give up a question, without the slash of /取消. */
const CANCEL_WORDS = /^(?:取消|算了|不要了|不用了|cancel|never ?mind|stop)[。.!！]?$/i;

/**
 * The open question. A command ends the question it interrupts; /取消 alone ends it and says so (or says there was
 * nothing to cancel). Text that is no command is the answer to the question the bot asked; with no question open it
 * goes on to be read as a plain request.
 */
export const continueConversation: Stage = {
  name: 'conversation',
  async run(turn, services) {
    if (turn.text.includes('\uFFFD')) {
      // Bytes that were no UTF-8 (a broken client or a hostile one): said, never echoed, and nothing changes.
      await services.reply(turn.user, simpleReply(t(turn.locale, 'errors.garbled'), 'warning'));
      return 'done';
    }
    turn.conversation = await services.conversations.get(turn.user);
    if (isCommand(turn.text)) return endOrCancel(turn, services);
    if (turn.conversation && CANCEL_WORDS.test(turn.text.trim())) {
      // 取消 without its slash, while a question is open, is what the member means: no answer, the end of it.
      await services.conversations.end(turn.user);
      await services.reply(turn.user, simpleReply(t(turn.conversation.locale, 'conversation.cancelled')));
      return 'done';
    }
    if (turn.conversation?.suggested !== undefined && !Conversations.acceptsSuggestion(turn.conversation, turn.text)) {
      // Not a yes to the proposed command: the proposal is dropped and the text read afresh.
      await services.conversations.end(turn.user);
      turn.conversation = undefined;
    }
    if (turn.conversation) return (await takeAnswer(turn, services, turn.text)) ? 'next' : 'done';
    return 'next'; // a plain sentence: the understand stage reads it
  },
};

/** A command line: it ends the open question; /取消 alone is answered here. A line that cannot be read goes on as it is. */
async function endOrCancel(turn: Turn, services: TurnServices): Promise<StageResult> {
  try {
    turn.words = tokenize(turn.text);
  } catch {
    return 'next'; // the resolve stage says what is wrong with it; the question stays open
  }
  const [word = '', ...rest] = turn.words;
  if (word === '') return 'next'; // "/" alone: the resolve stage answers with the hint, the question stays open
  const resolved = services.registry.resolve(word);
  const cancelAlone = resolved?.command.id === 'cancel' && rest.length === 0;
  if (turn.conversation) await services.conversations.end(turn.user);
  if (!cancelAlone) return 'next';
  const locale = await settleLocale(turn, services, resolved.locales);
  const key = turn.conversation ? 'conversation.cancelled' : 'conversation.nothingToCancel';
  await services.reply(turn.user, simpleReply(t(locale, key), turn.conversation ? undefined : 'comment'));
  return 'done';
}
