import { isUserId, type AibotCardClick, type AibotTextMessage } from '../callback/inbound.js';
import type { AibotCallback, AibotOrigin } from '../wecom/types/aibot.js';

/**
 * The text of a message without the `@名字` that put it before the bot in a group (doc 100719: only @-mentions reach
 * it there). A mention may stand first, or after a quoted line; every leading mention is taken off.
 */
function withoutMention(text: string): string {
  return text.replace(/^(?:\s*@\S+(?:\s+|$))+/u, '').trim();
}

/** The text a message carries: typed, the text items of a mixed message, or WeCom's transcript of a voice message. */
function textOf(body: AibotCallback): string | undefined {
  switch (body.msgtype) {
    case 'text':
      return body.text.content;
    case 'mixed':
      return body.mixed.msg_item
        .flatMap((item) => (item.msgtype === 'text' && item.text ? [item.text.content] : []))
        .join(' ')
        .trim();
    case 'voice':
      return body.voice.content;
    default:
      return undefined;
  }
}

/** How a callback reached the bot. */
export interface Arrival {
  via: AibotOrigin['via'];
  /** The long connection's request id. */
  reqId?: string;
  /** The corp: what the inbound is addressed to (the worker runs only this corp's). */
  corpId: string;
  /** Seconds since the epoch, when the callback has no create_time. */
  now: number;
}

/**
 * A callback of the 智能机器人 as the bot's inbound: a text (typed, mixed, spoken) or a card click; undefined for what
 * the bot does not read (images, files, feedback, an empty mention) or a sender who is no member.
 */
export function toAibotInbound(body: AibotCallback, arrival: Arrival): AibotTextMessage | AibotCardClick | undefined {
  const userid = body.from?.userid;
  if (!userid || !isUserId(userid) || !body.msgid) return undefined;
  const chatType = body.chattype === 'group' ? 'group' : 'single';
  const origin: AibotOrigin = {
    via: arrival.via,
    botId: body.aibotid,
    chatType,
    ...(arrival.reqId ? { reqId: arrival.reqId } : {}),
    ...(chatType === 'group' && body.chatid ? { chatId: body.chatid } : {}),
    ...(body.response_url ? { responseUrl: body.response_url } : {}),
  };
  const base = {
    toUserName: arrival.corpId,
    fromUserName: userid,
    createTime: body.create_time ?? arrival.now,
    agentId: undefined,
    msgId: body.msgid,
    aibot: origin,
  };
  if (body.msgtype === 'event') {
    const event = body.event;
    if (event.eventtype !== 'template_card_event') return undefined;
    // The docs put the click under template_card_event; the SDK's types read it off the event itself.
    const eventKey = event.template_card_event?.event_key ?? event.event_key;
    const taskId = event.template_card_event?.task_id ?? event.task_id;
    if (!eventKey || !taskId) return undefined;
    return { ...base, kind: 'aibot_click', eventKey, taskId };
  }
  const text = textOf(body);
  if (text === undefined) return undefined;
  const content = chatType === 'group' ? withoutMention(text) : text.trim();
  return { ...base, kind: 'aibot_text', content };
}

/** The inbox key of a callback: WeCom's msgid, per bot (its retries and the transports' repeats are one delivery). */
export function aibotDedupKey(inbound: AibotTextMessage | AibotCardClick): string {
  return `aibot:${inbound.aibot.botId}:${inbound.msgId}`;
}
