import type { Logger } from '../log.js';
import { renderReplyLines, type Reply } from '../render/reply.js';
import { MAX_MESSAGE_BYTES, splitIntoParts } from '../render/split.js';
import type { ButtonInteractionCard, WeComClient, WorkUnit } from '../wecom/index.js';
import type { Channel, ChannelCapabilities, SentCard } from './channel.js';
import { memoryLedger, WECOM_PACING, type PaceLedger, type PacingOptions } from './pacing.js';

export type { PacingOptions } from './pacing.js';

/** What every view of one app channel shares: who may be sent to when, and the sends still in line. */
interface PacingState {
  ledger: PaceLedger;
  chains: Map<string, Promise<unknown>>;
  observe?: (outcome: SendOutcome) => void;
}

/** How one message to a member went: sent; held back by pacing before it went; or its send failed. */
export type SendOutcome = 'sent' | 'paced' | 'failed';

const CAPABILITIES: ChannelCapabilities = { markdown: 'wecom-app', maxMessageBytes: MAX_MESSAGE_BYTES, cards: true, updatesInPlace: true };

/**
 * The self-built app as a channel: replies as markdown app messages, split into parts of at most 2048 bytes, in order,
 * and paced per member so WeCom never drops one (every send to one member waits for the previous one); cards as
 * template cards, updated in place by their response_code.
 */
export class AppChannel implements Channel {
  readonly name = 'app';
  readonly capabilities = CAPABILITIES;

  /**
   * @param ledger who may be sent to when: by default this process's memory; a bot on a store passes one counted
   *   through the store, shared by every instance and every restart.
   * @param observe told of each message: sent, held back by pacing first, or failed (the metrics count them).
   */
  constructor(
    private readonly client: WeComClient,
    private readonly log: Logger,
    pacing: PacingOptions = WECOM_PACING,
    ledger: PaceLedger = memoryLedger(pacing),
    observe?: (outcome: SendOutcome) => void,
    private readonly state: PacingState = { ledger, chains: new Map(), ...(observe ? { observe } : {}) },
  ) {}

  forDelivery(unit: WorkUnit): Channel {
    // One pacing for every view: a delivery's sends and the bot's own share each member's budget.
    return new AppChannel(this.client.forDelivery(unit), this.log, undefined, this.state.ledger, undefined, this.state);
  }

  private async slot(userid: string): Promise<void> {
    for (;;) {
      const wait = await this.state.ledger.take(userid);
      if (wait <= 0) return;
      this.state.observe?.('paced');
      this.log.info({ event: 'send.paced', user: userid, waitMs: wait });
      // A wait for pacing keeps no process alive by itself (the server does while it runs).
      await new Promise((r) => setTimeout(r, wait).unref());
    }
  }

  /** Tells the observer how a send ended. */
  private async counted<T>(send: Promise<T>): Promise<T> {
    try {
      const sent = await send;
      this.state.observe?.('sent');
      return sent;
    } catch (err) {
      this.state.observe?.('failed');
      throw err;
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
        await this.counted(this.client.message.send({ touser: userid, msgtype: 'markdown', markdown: { content } }));
      }
    });
  }

  sendCard(userid: string, card: ButtonInteractionCard): Promise<SentCard> {
    return this.inOrder(userid, async () => {
      await this.slot(userid);
      const sent = await this.counted(this.client.message.send({ touser: userid, msgtype: 'template_card', template_card: card }));
      return sent.response_code ? { responseCode: sent.response_code } : {};
    });
  }

  async updateCard(userids: readonly string[], responseCode: string, text: string): Promise<void> {
    await this.client.message.updateTemplateCard({ userids: [...userids], response_code: responseCode, button: { replace_name: text } });
  }
}
