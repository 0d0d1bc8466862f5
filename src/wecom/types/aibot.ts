/**
 * The 智能机器人 (AI bot, API mode) on the wire: what WeCom sends the bot (a message, an event) and what the bot answers
 * (a stream, a card, a card update, a push). The same bodies travel over the webhook (encrypted JSON) and the long
 * connection (frames). Docs: 100719 (messages), 101027 (events), 101031 (passive replies), 101138 (response_url),
 * 101463 (long connection).
 */

/** Who sent a message or clicked: the member's UserID (a member of the corp: the bot serves members only). */
export interface AibotFrom {
  userid: string;
  corpid?: string;
}

/** Fields of every callback. */
export interface AibotCallbackBase {
  msgid: string;
  aibotid: string;
  /** Set in group chats only. */
  chatid?: string;
  chattype?: 'single' | 'group';
  from: AibotFrom;
  create_time?: number;
  /** One POST within an hour (doc 101138); on message callbacks and card clicks. */
  response_url?: string;
}

/** A text typed to the bot (in a group: only when it was @-mentioned; the text begins with `@名字`). */
export interface AibotTextCallback extends AibotCallbackBase {
  msgtype: 'text';
  text: { content: string };
  quote?: { msgtype: string; text?: { content: string } };
}

/** Text and images in one message. */
export interface AibotMixedCallback extends AibotCallbackBase {
  msgtype: 'mixed';
  mixed: { msg_item: { msgtype: 'text' | 'image'; text?: { content: string }; image?: { url: string; aeskey?: string } }[] };
}

/** A voice message, with WeCom's transcript. */
export interface AibotVoiceCallback extends AibotCallbackBase {
  msgtype: 'voice';
  voice: { content: string };
}

/** Media the bot does not read (image, file, video). */
export interface AibotMediaCallback extends AibotCallbackBase {
  msgtype: 'image' | 'file' | 'video';
  [media: string]: unknown;
}

/**
 * WeCom asks the webhook for the stream so far (doc 100719): answered with the current content until `finish`.
 * The long connection has none (the bot pushes frames).
 */
export interface AibotStreamRefresh extends AibotCallbackBase {
  msgtype: 'stream';
  stream: { id: string };
}

/** A click on a template card, as the docs put it (101027): the key under `event.template_card_event`. */
export interface AibotCardClick {
  card_type?: string;
  event_key: string;
  task_id: string;
  selected_items?: { selected_item: { question_key: string; option_ids: { option_id: string[] } }[] };
}

/** The `event` of an event callback. */
export interface AibotEventBody {
  eventtype: 'enter_chat' | 'template_card_event' | 'feedback_event' | 'disconnected_event' | (string & {});
  template_card_event?: AibotCardClick;
  /** Where the SDK's own types read a click's key (they disagree with the docs: both are read). */
  event_key?: string;
  task_id?: string;
  feedback_event?: { id: string; type: 1 | 2 | 3; content?: string };
}

/** An event: a member opened the chat, clicked a card, rated a reply; or (long connection) this link was replaced. */
export interface AibotEventCallback extends AibotCallbackBase {
  msgtype: 'event';
  event: AibotEventBody;
}

/** Everything WeCom calls the bot with. */
export type AibotCallback = AibotTextCallback | AibotMixedCallback | AibotVoiceCallback | AibotMediaCallback | AibotStreamRefresh | AibotEventCallback;

/** A stream: one message that grows. `content` is the whole text so far (≤ 20,480 bytes), markdown. */
export interface AibotStream {
  id: string;
  finish?: boolean;
  content?: string;
}

/** A button of a `button_interaction` card (`key` ≤ 1,024 bytes, unique in the card). */
export interface AibotCardButton {
  text: string;
  style?: 1 | 2 | 3 | 4;
  key: string;
}

/** The template cards the bot sends: button cards (confirmations, questions) and notices (a decided card). */
export interface AibotTemplateCard {
  card_type: 'button_interaction' | 'text_notice';
  /** Unique per bot, `[0-9A-Za-z_\-@]{1,128}`; an update keeps it. */
  task_id: string;
  main_title: { title: string; desc?: string };
  sub_title_text?: string;
  horizontal_content_list?: { keyname: string; value: string }[];
  button_list?: AibotCardButton[];
}

/** A passive reply (webhook, encrypted) or the body of `aibot_respond_msg` (long connection). */
export type AibotReplyBody =
  | { msgtype: 'stream'; stream: AibotStream }
  | { msgtype: 'template_card'; template_card: AibotTemplateCard }
  | { msgtype: 'stream_with_template_card'; stream: AibotStream; template_card: AibotTemplateCard }
  | { msgtype: 'text'; text: { content: string } };

/** The answer to a click: the card again (same task_id), for everyone or only for `userids`. */
export interface AibotCardUpdate {
  response_type: 'update_template_card';
  userids?: string[];
  template_card: AibotTemplateCard;
}

/** A message the bot sends on its own (`aibot_send_msg`, or the one POST to a response_url). */
export type AibotPush = { msgtype: 'markdown'; markdown: { content: string } } | { msgtype: 'template_card'; template_card: AibotTemplateCard };

/** A long-connection frame (doc 101463): a command with its request id, or an ack (no cmd) echoing one. */
export interface AibotFrame<B = unknown> {
  cmd?: string;
  headers: { req_id: string };
  body?: B;
  errcode?: number;
  errmsg?: string;
}

/** Where a message to the 智能机器人 came from, and what its answer needs. */
export interface AibotOrigin {
  /** The long connection (frames) or the webhook (encrypted JSON). */
  via: 'ws' | 'webhook';
  botId: string;
  /** The long connection's request id: every frame of the answer carries it. */
  reqId?: string;
  /** The group chat; absent in a single chat. */
  chatId?: string;
  chatType: 'single' | 'group';
  /** One POST within an hour (doc 101138). */
  responseUrl?: string;
}

/** The commands of the long connection. */
export const AIBOT_CMD = {
  subscribe: 'aibot_subscribe',
  ping: 'ping',
  msgCallback: 'aibot_msg_callback',
  eventCallback: 'aibot_event_callback',
  respond: 'aibot_respond_msg',
  respondWelcome: 'aibot_respond_welcome_msg',
  respondUpdate: 'aibot_respond_update_msg',
  send: 'aibot_send_msg',
} as const;

/** The stream's and a push's markdown limit (docs 101031, 101138). */
export const AIBOT_MAX_CONTENT_BYTES = 20_480;
/** A stream must be finished this long after the message that began it (doc 100719). */
export const AIBOT_STREAM_LIFETIME_MS = 6 * 60_000;
/** A click is answered with a card update within this long (doc 101027). */
export const AIBOT_CARD_UPDATE_MS = 5_000;
