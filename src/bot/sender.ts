import type { Logger } from '../log.js';
import { renderReplyLines, type Reply } from '../render/reply.js';
import { splitIntoParts } from '../render/split.js';
import type { ButtonInteractionCard, SendMessageResponse, WeComClient } from '../wecom/index.js';

/** Pacing of app messages per member (WeCom drops what goes past 30 a minute, or 1,000 an hour). */
export interface PacingOptions {
  perWindow: number;
  windowMs: number;
  /** Messages an hour besides the window's (default WeCom's 1,000). */
  perHour?: number;
  /** The length of that hour (tests shorten it). */
  hourMs?: number;
}

/**
 * Sends replies to members: rendered, split into ≤ 2048-byte parts, in order, and paced per member so WeCom never
 * drops one. Every send to one member waits for the previous one.
 */
export class ReplySender {
  private readonly sentAt = new Map<string, number[]>();
  private readonly chains = new Map<string, Promise<unknown>>();

  constructor(
    private readonly client: WeComClient,
    private readonly log: Logger,
    private readonly pacing: PacingOptions = { perWindow: 30, windowMs: 60_000 },
  ) {}

  private async slot(userid: string): Promise<void> {
    const perHour = this.pacing.perHour ?? 1000;
    const HOUR_MS = this.pacing.hourMs ?? 3600_000;
    for (;;) {
      const now = Date.now();
      const keep = Math.max(this.pacing.windowMs, HOUR_MS);
      const sent = (this.sentAt.get(userid) ?? []).filter((t) => t > now - keep);
      const inWindow = sent.filter((t) => t > now - this.pacing.windowMs);
      const inHour = sent.filter((t) => t > now - HOUR_MS);
      if (inWindow.length < this.pacing.perWindow && inHour.length < perHour) {
        sent.push(now);
        this.sentAt.set(userid, sent);
        return;
      }
      const wait =
        inWindow.length >= this.pacing.perWindow ? (inWindow[0] as number) + this.pacing.windowMs - now + 5 : (inHour[0] as number) + HOUR_MS - now + 5;
      this.log.info({ event: 'send.paced', user: userid, waitMs: wait });
      await new Promise((r) => setTimeout(r, wait));
    }
  }

  /** Runs `task` after every earlier send to `userid` finished. */
  private inOrder<T>(userid: string, task: () => Promise<T>): Promise<T> {
    const previous = this.chains.get(userid) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(task);
    this.chains.set(userid, next);
    void next
      .finally(() => {
        if (this.chains.get(userid) === next) this.chains.delete(userid);
      })
      .catch(() => undefined);
    return next;
  }

  /** Sends a reply as markdown, in as many numbered parts as it needs. */
  sendReply(userid: string, reply: Reply): Promise<void> {
    return this.sendMarkdown(userid, splitIntoParts(renderReplyLines(reply)));
  }

  /** Sends already rendered markdown parts, in order. */
  sendMarkdown(userid: string, parts: string[]): Promise<void> {
    return this.inOrder(userid, async () => {
      for (const content of parts) {
        await this.slot(userid);
        await this.client.message.send({ touser: userid, msgtype: 'markdown', markdown: { content } });
      }
    });
  }

  /** Sends a template card; resolves with WeCom's answer (its response_code updates the card later). */
  sendCard(userid: string, card: ButtonInteractionCard): Promise<SendMessageResponse> {
    return this.inOrder(userid, async () => {
      await this.slot(userid);
      return this.client.message.send({ touser: userid, msgtype: 'template_card', template_card: card });
    });
  }
}
