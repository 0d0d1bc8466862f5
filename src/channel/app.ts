import type { Logger } from '../log.js';
import { renderReplyLines, type Reply } from '../render/reply.js';
import { MAX_MESSAGE_BYTES, splitIntoParts } from '../render/split.js';
import type { ButtonInteractionCard, WeComClient, WorkUnit } from '../wecom/index.js';
import type { Channel, ChannelCapabilities, SentCard } from './channel.js';

/** Pacing of app messages per member (WeCom drops what goes past 30 a minute, or 1,000 an hour). */
export interface PacingOptions {
  perWindow: number;
  windowMs: number;
  /** Messages an hour besides the window's (default WeCom's 1,000). */
  perHour?: number;
  /** The length of that hour (tests shorten it). */
  hourMs?: number;
}

/** What every view of one app channel shares: when each member was last sent to, and the sends still in line. */
interface PacingState {
  sentAt: Map<string, number[]>;
  chains: Map<string, Promise<unknown>>;
}

const CAPABILITIES: ChannelCapabilities = { markdown: 'wecom-app', maxMessageBytes: MAX_MESSAGE_BYTES, cards: true, updatesInPlace: true };

/**
 * The self-built app as a channel: replies as markdown app messages, split into parts of at most 2048 bytes, in order,
 * and paced per member so WeCom never drops one (every send to one member waits for the previous one); cards as
 * template cards, updated in place by their response_code.
 */
export class AppChannel implements Channel {
  readonly name = 'app';
  readonly capabilities = CAPABILITIES;

  constructor(
    private readonly client: WeComClient,
    private readonly log: Logger,
    private readonly pacing: PacingOptions = { perWindow: 30, windowMs: 60_000 },
    private readonly state: PacingState = { sentAt: new Map(), chains: new Map() },
  ) {}

  forDelivery(unit: WorkUnit): Channel {
    // One pacing for every view: a delivery's sends and the bot's own share each member's budget.
    return new AppChannel(this.client.forDelivery(unit), this.log, this.pacing, this.state);
  }

  private async slot(userid: string): Promise<void> {
    const perHour = this.pacing.perHour ?? 1000;
    const HOUR_MS = this.pacing.hourMs ?? 3600_000;
    for (;;) {
      const now = Date.now();
      const keep = Math.max(this.pacing.windowMs, HOUR_MS);
      const sent = (this.state.sentAt.get(userid) ?? []).filter((t) => t > now - keep);
      const inWindow = sent.filter((t) => t > now - this.pacing.windowMs);
      const inHour = sent.filter((t) => t > now - HOUR_MS);
      if (inWindow.length < this.pacing.perWindow && inHour.length < perHour) {
        sent.push(now);
        this.state.sentAt.set(userid, sent);
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
    const { chains } = this.state;
    const previous = chains.get(userid) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(task);
    chains.set(userid, next);
    void next
      .finally(() => {
        if (chains.get(userid) === next) chains.delete(userid);
      })
      .catch(() => undefined);
    return next;
  }

  sendReply(userid: string, reply: Reply): Promise<void> {
    const parts = splitIntoParts(renderReplyLines(reply), this.capabilities.maxMessageBytes);
    return this.inOrder(userid, async () => {
      for (const content of parts) {
        await this.slot(userid);
        await this.client.message.send({ touser: userid, msgtype: 'markdown', markdown: { content } });
      }
    });
  }

  sendCard(userid: string, card: ButtonInteractionCard): Promise<SentCard> {
    return this.inOrder(userid, async () => {
      await this.slot(userid);
      const sent = await this.client.message.send({ touser: userid, msgtype: 'template_card', template_card: card });
      return sent.response_code ? { responseCode: sent.response_code } : {};
    });
  }

  async updateCard(userids: readonly string[], responseCode: string, text: string): Promise<void> {
    await this.client.message.updateTemplateCard({ userids: [...userids], response_code: responseCode, button: { replace_name: text } });
  }
}
