import type { AibotTemplateCard } from '../../wecom/types/aibot.js';
import { AIBOT_MAX_CONTENT_BYTES } from '../../wecom/types/aibot.js';
import { AIBOT_ERR, AibotRefusal } from './errcodes.js';

const TASK_ID = /^[0-9A-Za-z_\-@]{1,128}$/;

/** Refuses markdown or stream content over 20,480 UTF-8 bytes (docs 101031 stream, 101138 markdown). */
export function checkContentSize(content: string | undefined, what: string): void {
  const bytes = Buffer.byteLength(content ?? '', 'utf8');
  if (bytes > AIBOT_MAX_CONTENT_BYTES) throw new AibotRefusal(AIBOT_ERR.tooLong, `${what}: ${bytes} bytes, over ${AIBOT_MAX_CONTENT_BYTES}`);
}

/**
 * Checks a template card's shape (doc 101031/101032): a task_id of `[0-9A-Za-z_\-@]{1,128}`, a main title, and for a
 * button_interaction at least one button (at most 6) with unique keys of ≤ 1,024 bytes.
 */
export function checkCard(card: AibotTemplateCard | undefined): AibotTemplateCard {
  if (!card || typeof card !== 'object') throw new AibotRefusal(AIBOT_ERR.invalid, 'template_card missing');
  if (typeof card.task_id !== 'string' || !TASK_ID.test(card.task_id)) {
    throw new AibotRefusal(AIBOT_ERR.invalid, `task_id ${JSON.stringify(card.task_id)} is not [0-9A-Za-z_-@]{1,128}`);
  }
  if (card.card_type !== 'button_interaction' && card.card_type !== 'text_notice') {
    throw new AibotRefusal(AIBOT_ERR.invalid, `card_type ${String(card.card_type)} not supported`);
  }
  if (!card.main_title?.title) throw new AibotRefusal(AIBOT_ERR.invalid, 'main_title.title missing');
  if (card.card_type === 'button_interaction') {
    const keys = (card.button_list ?? []).map((b) => b.key);
    if (keys.length < 1 || keys.length > 6) throw new AibotRefusal(AIBOT_ERR.invalid, `button_interaction needs 1–6 buttons, has ${keys.length}`);
    if (new Set(keys).size !== keys.length) throw new AibotRefusal(AIBOT_ERR.invalid, 'button keys are not unique');
    if (keys.some((k) => !k || Buffer.byteLength(k) > 1024)) throw new AibotRefusal(AIBOT_ERR.invalid, 'a button key is empty or over 1,024 bytes');
  }
  return card;
}

/**
 * Messages per conversation (doc 101463: 30 a minute and 1,000 an hour, replies and pushes alike). A stream counts
 * once, at its first frame; card updates do not count.
 */
export class ConversationRate {
  private readonly sent = new Map<string, number[]>();

  constructor(private readonly now: () => number) {}

  /** Counts one message in `conversation`. @throws AibotRefusal 45009 past a limit. */
  admit(conversation: string): void {
    const at = this.now();
    const lastHour = (this.sent.get(conversation) ?? []).filter((t) => t > at - 3_600_000);
    const lastMinute = lastHour.filter((t) => t > at - 60_000).length;
    if (lastMinute >= 30) throw new AibotRefusal(AIBOT_ERR.rate, `${conversation}: 30 messages a minute already`);
    if (lastHour.length >= 1000) throw new AibotRefusal(AIBOT_ERR.rate, `${conversation}: 1,000 messages an hour already`);
    lastHour.push(at);
    this.sent.set(conversation, lastHour);
  }
}
