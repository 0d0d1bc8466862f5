import { t } from '../../../i18n/index.js';
import { simpleReply } from '../../../render/reply.js';
import { replyLocale } from '../../locale.js';
import { isCommand, tokenize } from '../../tokenize.js';
import type { Stage, StageResult, Turn, TurnServices } from '../turn.js';
import { clues, settleLocale } from './locale.js';

/**
 * Takes `text` as the answer to the member's open question: the question's command, completed with it, is what the
 * turn runs (from authorisation on). False when the command is gone (a newer version of the bot dropped it).
 */
export async function takeAnswer(turn: Turn, services: TurnServices, text: string): Promise<boolean> {
  const { conversation } = turn;
  if (!conversation) return false;
  const words = await services.conversations.complete(turn.user, conversation, text);
  const found = services.registry.action(conversation.actionId);
  if (!found) return false;
  turn.command = found.command;
  turn.found = { action: found.action, actionId: conversation.actionId, subLocales: [], rest: words };
  turn.locale = conversation.locale;
  return true;
}

/**
 * The open question, and lines that are no command. A command ends the question it interrupts; /取消 alone ends it
 * and says so (or says there was nothing to cancel). Text that is no command is the answer to the question the bot
 * asked, else gets a hint. Latin text that is no command (a UserID, "ok") does not turn a Chinese conversation
 * English; Chinese text does say which script.
 */
export const continueConversation: Stage = {
  name: 'conversation',
  async run(turn, services) {
    turn.conversation = await services.conversations.get(turn.user);
    if (isCommand(turn.text)) return endOrCancel(turn, services);
    if (turn.conversation) return (await takeAnswer(turn, services, turn.text)) ? 'next' : 'done';
    const plain = turn.written === 'en' && turn.prefs.lastTyped ? turn.prefs.lastTyped : turn.written;
    await services.reply(turn.user, simpleReply(t(replyLocale({ ...clues(turn, services), named: [], written: plain }), 'common.hint')));
    return 'done';
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
