import { randomBytes } from 'node:crypto';
import type {
  AibotCallbackBase,
  AibotEventCallback,
  AibotMixedCallback,
  AibotStreamRefresh,
  AibotTextCallback,
  AibotVoiceCallback,
} from '../../wecom/types/aibot.js';

/** The bot's display name when none is given: group texts begin with `@客户助手 `. */
export const DEFAULT_BOT_NAME = '客户助手';

/** Where a click's key travels: under `event.template_card_event` as doc 101027 shows, or on `event` as the SDK types read. */
export type ClickPlacement = 'docs' | 'sdk';

/** A fresh id such as `msg_1746…_a1b2c3d4`. */
export function freshId(prefix: string): string {
  return `${prefix}_${Date.now()}_${randomBytes(4).toString('hex')}`;
}

/** Who, where and when a callback happens; the builders below add the message itself. */
export interface CallbackOrigin {
  botId: string;
  from: string;
  chat?: { id: string };
  msgid?: string;
  responseUrl?: string;
  /** Seconds since the epoch, the corp's clock. */
  createTime: number;
}

/** The fields every callback shares (doc 100719): `chatid` in groups only. */
export function callbackBase(origin: CallbackOrigin): AibotCallbackBase {
  return {
    msgid: origin.msgid ?? freshId('msg'),
    aibotid: origin.botId,
    ...(origin.chat ? { chatid: origin.chat.id } : {}),
    chattype: origin.chat ? 'group' : 'single',
    from: { userid: origin.from },
    create_time: origin.createTime,
    ...(origin.responseUrl ? { response_url: origin.responseUrl } : {}),
  };
}

/** A text; in a group it begins with `@name ` because only @-mentions reach a bot there (doc 100719). */
export function textCallback(origin: CallbackOrigin, text: string, name: string): AibotTextCallback {
  return { ...callbackBase(origin), msgtype: 'text', text: { content: origin.chat ? `@${name} ${text}` : text } };
}

/** Text and images in one message (group: @-mention first, as with text). */
export function mixedCallback(origin: CallbackOrigin, items: AibotMixedCallback['mixed']['msg_item'], name: string): AibotMixedCallback {
  const msgItem = origin.chat ? [{ msgtype: 'text' as const, text: { content: `@${name}` } }, ...items] : items;
  return { ...callbackBase(origin), msgtype: 'mixed', mixed: { msg_item: msgItem } };
}

/** A voice message with its transcript (single chats only, doc 100719). */
export function voiceCallback(origin: CallbackOrigin, transcript: string): AibotVoiceCallback {
  return { ...callbackBase(origin), msgtype: 'voice', voice: { content: transcript } };
}

/** A click on a button of card `taskId` (doc 101027), its key placed as `placement` says. */
export function clickCallback(origin: CallbackOrigin, taskId: string, eventKey: string, placement: ClickPlacement = 'docs'): AibotEventCallback {
  const event =
    placement === 'docs'
      ? { eventtype: 'template_card_event', template_card_event: { card_type: 'button_interaction', event_key: eventKey, task_id: taskId } }
      : { eventtype: 'template_card_event', event_key: eventKey, task_id: taskId };
  return { ...callbackBase(origin), msgtype: 'event', event };
}

/** The member opened the single chat (doc 101027). */
export function enterChatCallback(origin: CallbackOrigin): AibotEventCallback {
  return { ...callbackBase(origin), msgtype: 'event', event: { eventtype: 'enter_chat' } };
}

/** The long connection's notice to a replaced socket (doc 101463). */
export function disconnectedCallback(botId: string, createTime: number): AibotEventCallback {
  return { msgid: freshId('msg'), aibotid: botId, create_time: createTime, from: { userid: '' }, msgtype: 'event', event: { eventtype: 'disconnected_event' } };
}

/** The webhook's poll for an unfinished stream (doc 100719): a fresh msgid, the stream's id. */
export function refreshCallback(origin: CallbackOrigin, streamId: string): AibotStreamRefresh {
  return { ...callbackBase(origin), msgtype: 'stream', stream: { id: streamId } };
}
