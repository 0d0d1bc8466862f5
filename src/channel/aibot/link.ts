import type { AibotCardUpdate, AibotOrigin, AibotPush, AibotTemplateCard } from '../../wecom/types/aibot.js';

/** One frame of a stream: its whole content so far, and the card that goes with it (once). */
export interface StreamFrame {
  streamId: string;
  content: string;
  finish: boolean;
  card?: AibotTemplateCard;
}

/**
 * How the bot answers over one transport of the 智能机器人: the long connection (frames on the socket this instance
 * holds) or the webhook (a stream kept in the store, read back by WeCom's refresh callbacks; a card update in the
 * click's own HTTP answer).
 */
export interface AibotLink {
  readonly via: AibotOrigin['via'];
  /** Whether this instance can answer over it now (the long connection is held here); the webhook always can. */
  ready?(): boolean;
  /** Shows `frame` as the answer to the message `origin` came with. */
  streamFrame(origin: AibotOrigin, messageId: string, frame: StreamFrame): Promise<void>;
  /** Answers the click `origin` came with by a card update (within 5 s of the click). */
  updateCard(origin: AibotOrigin, clickId: string, update: AibotCardUpdate): Promise<void>;
  /**
   * Sends a message on the bot's own to a chat (a member's UserID, or a group chat's id) that wrote to the bot before.
   * @throws AibotUnreachable when this transport cannot reach that chat from here.
   */
  push(chatId: string, body: AibotPush, origin?: AibotOrigin): Promise<void>;
}

/** The 智能机器人 cannot carry this message from this instance (no connection held here, no response_url left). */
export class AibotUnreachable extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'AibotUnreachable';
  }
}
