import type { WeComResponse } from './common.js';

/** Recipients and options common to every app message (doc 90236). */
export interface MessageTarget {
  /** `a|b`, at most 1000, or `@all`. */
  touser?: string;
  toparty?: string;
  totag?: string;
  safe?: 0 | 1;
  enable_id_trans?: 0 | 1;
  enable_duplicate_check?: 0 | 1;
  duplicate_check_interval?: number;
}

/** A card button (button_interaction). */
export interface TemplateCardButton {
  /** 0 callback (default), 1 URL. */
  type?: 0 | 1;
  text: string;
  /** 1..4. */
  style?: 1 | 2 | 3 | 4;
  /** Required for callback buttons, unique, ≤ 1024 bytes: comes back as EventKey. */
  key?: string;
  url?: string;
}

/** A key/value row of a card. */
export interface TemplateCardHorizontalContent {
  /** 0 text, 1 URL, 2 media, 3 member. */
  type?: 0 | 1 | 2 | 3;
  keyname: string;
  value?: string;
  url?: string;
  media_id?: string;
  userid?: string;
}

/** Fields shared by every template card type. */
export interface TemplateCardBase {
  source?: { icon_url?: string; desc?: string; desc_color?: 0 | 1 | 2 | 3 };
  action_menu?: { desc: string; action_list: { text: string; key: string }[] };
  /** Unique per app, `[0-9A-Za-z_\-@]`, ≤ 128 bytes; required for interactive cards. */
  task_id?: string;
  main_title?: { title?: string; desc?: string };
  quote_area?: { type?: 0 | 1 | 2; url?: string; appid?: string; pagepath?: string; title?: string; quote_text?: string };
  sub_title_text?: string;
  horizontal_content_list?: TemplateCardHorizontalContent[];
  jump_list?: { type?: 0 | 1 | 2; title: string; url?: string; appid?: string; pagepath?: string }[];
  card_action?: { type: 0 | 1 | 2; url?: string; appid?: string; pagepath?: string };
}

/** A text notice card. */
export interface TextNoticeCard extends TemplateCardBase {
  card_type: 'text_notice';
  emphasis_content?: { title?: string; desc?: string };
}

/** A card with buttons: confirmations use this type. */
export interface ButtonInteractionCard extends TemplateCardBase {
  card_type: 'button_interaction';
  button_selection?: {
    question_key: string;
    title?: string;
    option_list: { id: string; text: string }[];
    selected_id?: string;
  };
  button_list: TemplateCardButton[];
  /** Set on updates: the text the clicked buttons are replaced with. */
  replace_text?: string;
}

/** A vote card. */
export interface VoteInteractionCard extends TemplateCardBase {
  card_type: 'vote_interaction';
  checkbox: { question_key: string; option_list: { id: string; text: string; is_checked?: boolean }[]; mode?: 0 | 1; disable?: boolean };
  submit_button: { text: string; key: string };
  replace_text?: string;
}

/** A card of drop-down selections. */
export interface MultipleInteractionCard extends TemplateCardBase {
  card_type: 'multiple_interaction';
  select_list: { question_key: string; title?: string; selected_id?: string; option_list: { id: string; text: string }[] }[];
  submit_button: { text: string; key: string };
  replace_text?: string;
}

/** Any template card the bot sends. */
export type TemplateCard = TextNoticeCard | ButtonInteractionCard | VoteInteractionCard | MultipleInteractionCard;

/** The body of message/send, by message type. */
export type SendMessageRequest = MessageTarget &
  (
    | { msgtype: 'text'; text: { content: string } }
    | { msgtype: 'markdown'; markdown: { content: string } }
    | { msgtype: 'template_card'; template_card: TemplateCard }
  );

/** message/send's answer. */
export interface SendMessageResponse extends WeComResponse {
  invaliduser?: string;
  invalidparty?: string;
  invalidtag?: string;
  unlicenseduser?: string;
  msgid?: string;
  /** Only for interactive cards: single-use code for update_template_card. */
  response_code?: string;
}

/** update_template_card: replace the clicked buttons' text, or the whole card. */
export type UpdateTemplateCardRequest = {
  userids?: string[];
  partyids?: number[];
  tagids?: number[];
  atall?: 0 | 1;
  response_code: string;
} & ({ button: { replace_name: string } } | { template_card: TemplateCard });

/** update_template_card's answer. */
export interface UpdateTemplateCardResponse extends WeComResponse {
  invaliduser?: string[];
}
