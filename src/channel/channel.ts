import type { Reply } from '../render/reply.js';
import type { ButtonInteractionCard, WorkUnit } from '../wecom/index.js';

/** What a channel can show, so a reply is rendered for it. */
export interface ChannelCapabilities {
  /**
   * The markdown the channel renders: the self-built app's (WeCom's subset, `<font color>`, no tables) or the
   * 智能机器人's (lists and tables).
   */
  markdown: 'wecom-app' | 'wecom-bot';
  /** The longest message, in UTF-8 bytes: a longer reply goes in numbered parts. */
  maxMessageBytes: number;
  /** Whether it shows template cards with buttons (confirmations, questions). */
  cards: boolean;
  /** Whether a card it sent can be changed in place afterwards (a button replaced by "已确认"). */
  updatesInPlace: boolean;
  /** Whether a turn's replies grow one message that shows "处理中…" from the start (the 智能机器人's stream). */
  streams?: boolean;
}

/** What sending a card answered: the code that updates it in place later, when the channel can. */
export interface SentCard {
  responseCode?: string;
}

/**
 * Where a turn came from and where its replies leave: the self-built app today (callback in, message/send and template
 * cards out); a 智能机器人 or a group chat next. The bot's replies, questions, confirmation cards and its own messages
 * (alerts, digests) go through a channel; commands never see which.
 */
export interface Channel {
  readonly name: string;
  readonly capabilities: ChannelCapabilities;
  /** Sends a reply to a member, rendered for the channel, in as many parts as it needs, in order. */
  sendReply(userid: string, reply: Reply): Promise<void>;
  /** Sends a card with buttons to a member. */
  sendCard(userid: string, card: ButtonInteractionCard): Promise<SentCard>;
  /** Replaces the buttons of a card sent earlier with `text` (its `responseCode` is single-use). */
  updateCard(userids: readonly string[], responseCode: string, text: string): Promise<void>;
  /**
   * The same channel for one unit of work that may run again after a crash (an inbound delivery): what it sends is
   * sent once across runs (an app message at most twice).
   */
  forDelivery(unit: WorkUnit): Channel;
}
