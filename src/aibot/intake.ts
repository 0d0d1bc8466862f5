import type { AibotCardClick, AibotTextMessage } from '../callback/inbound.js';
import { CallbackRejection } from '../callback/crypto.js';
import type { InboxWorker } from '../callback/worker.js';
import { aibotDedupKey } from './inbound.js';

/**
 * Records a message or a click of the 智能机器人 in the durable inbox, deduplicated on its msgid: a member's messages
 * in their order; clicks on a lane of their own and first (a card is updated within 5 s of its click).
 * @throws CallbackRejection 503 when the inbox is full (the webhook's WeCom retries).
 */
export async function takeInAibot(worker: InboxWorker, inbound: AibotTextMessage | AibotCardClick): Promise<'accepted' | 'duplicate'> {
  const click = inbound.kind === 'aibot_click';
  const outcome = await worker.submit({
    key: aibotDedupKey(inbound),
    lane: `${click ? 'click' : 'user'}:${inbound.fromUserName}`,
    urgent: click,
    inbound,
  });
  if (outcome === 'full') throw new CallbackRejection(503, 'inbox full');
  return outcome;
}
