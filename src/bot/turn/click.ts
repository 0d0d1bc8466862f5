import type { TemplateCardEvent } from '../../callback/inbound.js';
import { t } from '../../i18n/index.js';
import { simpleReply } from '../../render/reply.js';
import { Conversations } from '../conversation.js';
import type { DeliveryKit } from '../delivery-kit.js';
import type { ProposalStore } from '../proposal-store.js';
import { ProposalFlow } from '../proposals.js';
import { ACTION_STAGES } from './pipeline.js';
import { takeAnswer } from './stages/conversation.js';
import { runStages, type Turn } from './turn.js';

/**
 * A click on a card: a button of the open question answers it (a stale card says so), the command then runs from its
 * authorisation on; a confirmation card's button decides its proposal. Anything else is logged and left.
 */
export async function answerClick(click: TemplateCardEvent, kit: DeliveryKit, proposalStore: ProposalStore): Promise<void> {
  const user = click.fromUserName;
  const standing = () => kit.prefs.standingLocale(user, kit.defaultLocale);
  const picked = Conversations.choiceOf(click.eventKey);
  if (picked !== undefined) {
    const conversation = await kit.conversations.get(user);
    if (!conversation || conversation.taskId !== click.taskId) return kit.reply(user, simpleReply(t(await standing(), 'conversation.stale'), 'comment'));
    await kit.conversations.markPicked(conversation, user, picked);
    const turn: Turn = { user, text: picked, prefs: {}, conversation, written: undefined, locale: conversation.locale };
    if (await takeAnswer(turn, kit, picked)) await runStages(ACTION_STAGES, turn, kit);
    return;
  }
  const choice = ProposalFlow.choiceOf(click.eventKey);
  if (!choice) return void kit.log.info({ event: 'click.ignored', key: click.eventKey });
  const proposal = await proposalStore.byTaskId(click.taskId);
  await kit.proposals.decide({ user, proposal, choice, responseCode: click.responseCode, fallbackLocale: await standing() });
}
