import { t } from '../../../i18n/index.js';
import { simpleReply } from '../../../render/reply.js';
import { replyLocale } from '../../locale.js';
import { isCommand } from '../../tokenize.js';
import type { Stage, Turn, TurnServices } from '../turn.js';
import { clues } from './locale.js';

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
 * A line that is no command: the answer to the question the bot asked, else a hint. Latin text that is no command
 * (a UserID, "ok") does not turn a Chinese conversation English; Chinese text does say which script.
 */
export const continueConversation: Stage = {
  name: 'conversation',
  async run(turn, services) {
    turn.conversation = await services.conversations.get(turn.user);
    if (isCommand(turn.text)) return 'next';
    if (turn.conversation) return (await takeAnswer(turn, services, turn.text)) ? 'next' : 'done';
    const plain = turn.written === 'en' && turn.prefs.lastTyped ? turn.prefs.lastTyped : turn.written;
    await services.reply(turn.user, simpleReply(t(replyLocale({ ...clues(turn, services), named: [], written: plain }), 'common.hint')));
    return 'done';
  },
};
