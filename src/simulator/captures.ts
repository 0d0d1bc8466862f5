import { EventEmitter } from 'node:events';
import type { SendMessageRequest, TemplateCard } from '../wecom/types/index.js';

/** An app message the bot sent through message/send. */
export interface CapturedMessage {
  seq: number;
  /** Recipients (touser split on '|'). */
  touser: string[];
  msgtype: SendMessageRequest['msgtype'];
  /** text / markdown content. */
  content?: string;
  /** The template card, as last updated. */
  card?: TemplateCard;
  msgid: string;
  /** For interactive cards: the code the send answered with. */
  response_code?: string;
  at: number;
  /** WeCom drops messages past 30 per member per minute without an error: such a message never reaches the member. */
  dropped: boolean;
  /** Button text after update_template_card (`button.replace_name`). */
  replacedWith?: string;
}

/** An update_template_card the bot made. */
export interface CapturedCardUpdate {
  response_code: string;
  task_id: string | undefined;
  userids: string[];
  replace_name?: string;
  template_card?: TemplateCard;
  at: number;
}

/**
 * What the bot said, in order: every message/send and update_template_card. Tests and the playground read it,
 * and can wait for the next one.
 */
export class Captures extends EventEmitter {
  readonly messages: CapturedMessage[] = [];
  readonly cardUpdates: CapturedCardUpdate[] = [];
  /** Interactive cards by task_id (task ids are unique per app). */
  readonly cardsByTaskId = new Map<string, CapturedMessage>();
  /** response_code → the card it may update, for whom, and whether it was used (codes are single-use). */
  readonly responseCodes = new Map<string, { taskId: string; userids: string[]; used: boolean; issuedAt: number }>();
  /** When each member was sent an app message (ms), for WeCom's per-member limits. */
  readonly sendTimes = new Map<string, number[]>();
  private seq = 0;
  private codeSeq = 0;

  /** Hands out a single-use response_code for a card (a send, or one per click). */
  issueResponseCode(taskId: string, userids: string[], at: number = Date.now()): string {
    const code = `RC${Date.now().toString(36)}${(++this.codeSeq).toString(36)}`;
    this.responseCodes.set(code, { taskId, userids, used: false, issuedAt: at });
    return code;
  }

  /** Records a message (emits `message`). */
  addMessage(message: Omit<CapturedMessage, 'seq'>): CapturedMessage {
    const captured = { ...message, seq: ++this.seq };
    this.messages.push(captured);
    this.emit('message', captured);
    return captured;
  }

  /** Records a card update (emits `cardUpdate`). */
  addCardUpdate(update: CapturedCardUpdate): void {
    this.cardUpdates.push(update);
    this.emit('cardUpdate', update);
  }

  /** Messages delivered to `userid` (dropped ones excluded). */
  to(userid: string): CapturedMessage[] {
    return this.messages.filter((m) => !m.dropped && m.touser.includes(userid));
  }

  /**
   * Resolves with the first message (already captured after `afterSeq`, or arriving) that matches.
   * @throws after `timeoutMs` with what was captured, to make a failing test readable.
   */
  waitForMessage(predicate: (m: CapturedMessage) => boolean, timeoutMs = 5000, afterSeq = 0): Promise<CapturedMessage> {
    const found = this.messages.find((m) => m.seq > afterSeq && predicate(m));
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const onMessage = (m: CapturedMessage) => {
        if (m.seq > afterSeq && predicate(m)) {
          clearTimeout(timer);
          this.off('message', onMessage);
          resolve(m);
        }
      };
      const timer = setTimeout(() => {
        this.off('message', onMessage);
        reject(new Error(`no matching message within ${timeoutMs} ms; captured: ${JSON.stringify(this.messages.slice(-5))}`));
      }, timeoutMs);
      this.on('message', onMessage);
    });
  }

  /** The sequence number of the last captured message (to wait for what comes after it). */
  get lastSeq(): number {
    return this.seq;
  }
}
