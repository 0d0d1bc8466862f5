import type { Locale } from '../../config.js';
import { t } from '../../i18n/index.js';
import type { Logger } from '../../log.js';
import { renderBotReply } from '../../render/bot-markdown.js';
import { plainLine } from '../../render/markdown.js';
import type { Reply } from '../../render/reply.js';
import type { ButtonInteractionCard, WorkUnit } from '../../wecom/index.js';
import { AIBOT_MAX_CONTENT_BYTES, type AibotOrigin, type AibotTemplateCard } from '../../wecom/types/aibot.js';
import type { Channel, ChannelCapabilities, SentCard } from '../channel.js';
import { decidedCard, toAibotCard } from './cards.js';
import { type AibotLink, AibotUnreachable } from './link.js';
import { LiveStream, type StreamBook } from './stream.js';

/** A card the 智能机器人 showed: who asked, in which message and chat (a click finds it by its task_id). */
export interface AibotCardRecord {
  card: AibotTemplateCard;
  asker: string;
  messageId: string;
  origin: AibotOrigin;
  /** Decided (confirmed, cancelled, answered): the stream it waited in may end, on whichever instance holds it. */
  decided?: boolean;
}

/** Where the cards the 智能机器人 showed are kept (the store, so that a click on another instance finds its card). */
export interface AibotCardRecords {
  get(taskId: string): Promise<AibotCardRecord | undefined>;
  set(taskId: string, record: AibotCardRecord): Promise<void>;
}

/** What every 智能机器人 channel shares. */
export interface AibotChannelDeps {
  /** The transports configured (either, both or neither). */
  links: Partial<Record<AibotOrigin['via'], AibotLink>>;
  /** The self-built app: the private way, and the way when the 智能机器人 cannot carry a message. */
  app: Channel;
  book: StreamBook;
  cards: AibotCardRecords;
  /** A member's language (for the notes the channel writes itself). */
  localeOf(user: string): Promise<Locale>;
  log: Logger;
  /** How long a stream may stay open (tests shorten it). */
  safeMs?: number;
}

const CAPABILITIES: ChannelCapabilities = {
  markdown: 'wecom-bot',
  maxMessageBytes: AIBOT_MAX_CONTENT_BYTES,
  cards: true,
  updatesInPlace: true,
  streams: true,
};

/** A click being answered: its message id (the request of the long connection), its card, who clicked. */
interface ClickContext {
  clickId: string;
  taskId: string;
  /** The clicked card as it was shown (read once for the click). */
  record: AibotCardRecord | undefined;
  clicker: string;
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** One of the channel's own lines (`key` of the shared strings) in `locale`, as the bot's markdown. */
const noteMarkdown = (locale: Locale, key: string) => renderBotReply({ title: t(locale, key), tone: 'comment' });

/**
 * The 智能机器人 as the channel of one message or one click: the asker's replies grow one stream (the message's, or
 * for a click the stream of the card's message while it is open); a card goes with the stream; a card is updated in
 * answer to its click, for everyone, or only for a member who may not decide it. A reply that names customers, asked
 * in a group, goes to the asker privately. What the 智能机器人 cannot carry from here goes by the app.
 */
export class AibotChannel implements Channel {
  readonly name = 'aibot';
  readonly capabilities = CAPABILITIES;

  constructor(
    private readonly deps: AibotChannelDeps,
    readonly origin: AibotOrigin,
    readonly asker: string,
    readonly stream: LiveStream | undefined,
    private readonly click?: ClickContext,
  ) {}

  /** Whether the conversation is a group chat (customer data goes elsewhere). */
  get inGroup(): boolean {
    return this.origin.chatType === 'group';
  }

  forDelivery(unit: WorkUnit): Channel {
    return new AibotChannel({ ...this.deps, app: this.deps.app.forDelivery(unit) }, this.origin, this.asker, this.stream, this.click);
  }

  /** The way to the asker alone: their single chat with the 智能机器人 where it can reach it, else the app. */
  privately(): Channel {
    return new PrivateChannel(this.deps, this.origin, this.asker);
  }

  private link(): AibotLink | undefined {
    return this.deps.links[this.origin.via];
  }

  async sendReply(userid: string, reply: Reply): Promise<void> {
    if (!same(userid, this.asker)) {
      if (this.click && same(userid, this.click.clicker)) return this.answerClicker(reply);
      return this.deps.app.sendReply(userid, reply);
    }
    if (reply.private && this.inGroup) {
      await this.note('common.sendingPrivately');
      return this.privately().sendReply(userid, reply);
    }
    const markdown = renderBotReply(reply);
    if (this.stream?.writable) {
      try {
        return await this.stream.add(markdown);
      } catch (err) {
        this.deps.log.warn({ event: 'aibot.stream_failed', msgid: this.stream.messageId, err: (err as Error).message });
      }
    }
    await this.pushOrApp(userid, reply, markdown);
  }

  /** Writes one of the channel's own notes to the asker, as any reply to them goes (the stream, else the chat). */
  private async note(key: string): Promise<void> {
    await this.sendReply(this.asker, { title: t(await this.deps.localeOf(this.asker), key), tone: 'comment' });
  }

  /** The chat of the message, on the bot's own; else the app. */
  private async pushOrApp(userid: string, reply: Reply, markdown: string): Promise<void> {
    const link = this.link();
    const chatId = this.origin.chatId ?? userid;
    if (link) {
      try {
        return await link.push(chatId, { msgtype: 'markdown', markdown: { content: markdown } }, this.origin);
      } catch (err) {
        this.deps.log.info({ event: 'aibot.push_failed', chat: chatId, err: (err as Error).message });
      }
    }
    await this.deps.app.sendReply(userid, reply);
  }

  /** A member who clicked a card that is not theirs to decide is told in their own copy of the card. */
  private async answerClicker(reply: Reply): Promise<void> {
    const { click } = this;
    const link = this.link();
    const record = click?.record;
    if (!click || !link || !record) return this.deps.app.sendReply(click?.clicker ?? this.asker, reply);
    const card = { ...record.card, sub_title_text: plainLine(reply.title) };
    await link.updateCard(this.origin, click.clickId, { response_type: 'update_template_card', userids: [click.clicker], template_card: card });
  }

  async sendCard(userid: string, card: ButtonInteractionCard): Promise<SentCard> {
    if (!same(userid, this.asker)) return this.deps.app.sendCard(userid, card);
    const stream = this.stream;
    const shown = toAibotCard(card);
    // The record first: a click may come as soon as the frame is out.
    const record: AibotCardRecord = { card: shown, asker: this.asker, messageId: stream?.messageId ?? '', origin: this.origin };
    if (stream?.writable) {
      await this.deps.cards.set(shown.task_id, record);
      const attached = stream.attachCard(shown, `**${plainLine(shown.main_title.title)}**`);
      if (attached) {
        stream.hold(`card:${shown.task_id}`);
        this.deps.book.showsCard(shown.task_id, stream);
        try {
          await attached;
          return { responseCode: shown.task_id };
        } catch (err) {
          stream.release(`card:${shown.task_id}`);
          this.deps.log.warn({ event: 'aibot.card_failed', task: shown.task_id, err: (err as Error).message });
          return this.deps.app.sendCard(userid, card);
        }
      }
    }
    // A message carries one card: a second one (the next question) goes on its own, in a single chat (a group takes no
    // card the bot sends on its own, doc 101463), else by the app.
    const link = this.link();
    if (link && this.origin.chatType === 'single') {
      try {
        await this.deps.cards.set(shown.task_id, { ...record, messageId: '' });
        await link.push(this.asker, { msgtype: 'template_card', template_card: shown }, this.origin);
        return { responseCode: shown.task_id };
      } catch (err) {
        this.deps.log.info({ event: 'aibot.push_failed', chat: this.asker, err: (err as Error).message });
      }
    }
    return this.deps.app.sendCard(userid, card);
  }

  async updateCard(userids: readonly string[], responseCode: string, text: string): Promise<void> {
    const record = this.click?.taskId === responseCode ? this.click.record : await this.deps.cards.get(responseCode);
    if (!record) return this.deps.app.updateCard(userids, responseCode, text);
    const link = this.link();
    // A card of the 智能机器人 changes only in answer to a click on it (doc 101027); a decision is everyone's to see.
    if (!this.click || this.click.taskId !== responseCode || !link) {
      this.deps.log.info({ event: 'aibot.card_not_updated', task: responseCode });
      return;
    }
    try {
      await link.updateCard(this.origin, this.click.clickId, { response_type: 'update_template_card', template_card: decidedCard(record.card, text) });
    } finally {
      // Decided, whether or not WeCom took the new look of the card: the message it waited in may end.
      this.deps.book.task(responseCode)?.release(`card:${responseCode}`);
      await this.deps.cards.set(responseCode, { ...record, decided: true });
    }
  }
}

/**
 * The asker alone: their single chat with the 智能机器人 (a push, where the bot reaches it from here), else the app.
 * Cards go by the app (a click in the app decides them like any other).
 */
class PrivateChannel implements Channel {
  readonly name = 'aibot-private';
  // No stream here: a slow answer says "处理中…" on its own.
  readonly capabilities: ChannelCapabilities = { ...CAPABILITIES, streams: false };

  constructor(
    private readonly deps: AibotChannelDeps,
    private readonly origin: AibotOrigin,
    private readonly asker: string,
  ) {}

  forDelivery(unit: WorkUnit): Channel {
    return new PrivateChannel({ ...this.deps, app: this.deps.app.forDelivery(unit) }, this.origin, this.asker);
  }

  async sendReply(userid: string, reply: Reply): Promise<void> {
    const link = this.deps.links.ws;
    if (link && same(userid, this.asker)) {
      try {
        return await link.push(userid, { msgtype: 'markdown', markdown: { content: renderBotReply(reply) } });
      } catch (err) {
        if (!(err instanceof AibotUnreachable)) this.deps.log.info({ event: 'aibot.push_failed', chat: userid, err: (err as Error).message });
      }
    }
    await this.deps.app.sendReply(userid, reply);
  }

  sendCard(userid: string, card: ButtonInteractionCard): Promise<SentCard> {
    return this.deps.app.sendCard(userid, card);
  }

  updateCard(userids: readonly string[], responseCode: string, text: string): Promise<void> {
    return this.deps.app.updateCard(userids, responseCode, text);
  }
}

/** How a stream begins: the message and who sent it. */
export interface StreamStart {
  origin: AibotOrigin;
  messageId: string;
  asker: string;
  startedAt: number;
  /** The transport sent the first frame ("处理中…") already. */
  shown: boolean;
}

/**
 * The 智能机器人 channels of one bot: a channel per message (its stream, opened here or by the transport when the
 * message arrived) and per click (the stream of the card's message while it is open here).
 */
export class AibotChannels {
  constructor(private readonly deps: AibotChannelDeps) {}

  /**
   * Opens the stream of a message (the transport does, as the message arrives); with `shown` false its first frame,
   * "处理中…" in the asker's language, leaves at its {@link LiveStream.begin}. A stream of the same message open here
   * already is returned as it is.
   */
  async open(start: StreamStart): Promise<LiveStream | undefined> {
    const link = this.deps.links[start.origin.via];
    if (!link) return undefined;
    const known = this.deps.book.message(start.messageId);
    if (known) return known;
    const locale = await this.deps.localeOf(start.asker);
    const again = this.deps.book.message(start.messageId);
    if (again) return again;
    const stream = new LiveStream({
      link,
      ...start,
      placeholder: noteMarkdown(locale, 'common.processing'),
      continuing: noteMarkdown(locale, 'common.continuingLater'),
      ...(this.deps.safeMs !== undefined ? { safeMs: this.deps.safeMs } : {}),
      onEnd: (ended, end) => {
        this.deps.book.ended(ended);
        if (end.cut && end.jobs.length > 0) this.deps.log.info({ event: 'aibot.stream_handed_off', msgid: ended.messageId, jobs: end.jobs });
      },
    });
    this.deps.book.add(stream);
    return stream;
  }

  /** `key` of the shared strings in `user`'s language, as plain text (a welcome is text, not markdown). */
  async plain(user: string, key: string): Promise<string> {
    return t(await this.deps.localeOf(user), key);
  }

  /** One of the channel's own lines (`key` of the shared strings), in `user`'s language, as the bot's markdown. */
  async note(user: string, key: string): Promise<string> {
    return noteMarkdown(await this.deps.localeOf(user), key);
  }

  /**
   * Ends the asker's earlier streams in the same chat that only wait for a click on their card: a newer message
   * answers or replaces that question (a click on the card still counts; its answer then goes as a message).
   */
  async supersede(origin: AibotOrigin, asker: string, messageId: string): Promise<void> {
    const earlier = this.deps.book
      .open()
      .filter(
        (s) =>
          s.messageId !== messageId && s.cardHolds().length > 0 && same(s.asker, asker) && s.origin.chatId === origin.chatId && s.origin.botId === origin.botId,
      );
    for (const stream of earlier) {
      stream.releaseCards();
      await stream.settle().catch(() => undefined);
    }
  }

  /** The channel of a message: its stream, here or opened now (a run on another instance, or again after a crash). */
  async forMessage(start: Omit<StreamStart, 'shown'>): Promise<AibotChannel> {
    // A run that did not open the stream here still answers on it: its first frame is the next one.
    const stream = await this.open({ ...start, shown: true });
    return new AibotChannel(this.deps, start.origin, start.asker, stream);
  }

  /** The channel of a click on card `taskId`: the asker is whoever the card was shown to. */
  async forClick(origin: AibotOrigin, clickId: string, taskId: string, clicker: string): Promise<AibotChannel> {
    const record = await this.deps.cards.get(taskId);
    const stream = this.deps.book.task(taskId);
    return new AibotChannel(this.deps, origin, record?.asker ?? clicker, stream?.writable ? stream : undefined, { clickId, taskId, clicker, record });
  }

  /**
   * The channel of job `jobId`: its messages shown as the latest line of the stream it was started from while that
   * stream is open here, else by the app.
   */
  jobChannel(jobId: string): Channel {
    return new JobStreamChannel(this.deps, () => this.deps.book.job(jobId));
  }

  /** Job `jobId` reports into `stream` until it ends. */
  adoptJob(jobId: string, stream: LiveStream): void {
    stream.hold(`job:${jobId}`);
    this.deps.book.reportsJob(jobId, stream);
  }

  /** Job `jobId` ended: its stream ends unless something else holds it. */
  async jobEnded(jobId: string): Promise<void> {
    const stream = this.deps.book.job(jobId);
    if (!stream) return;
    stream.release(`job:${jobId}`);
    await stream.settle().catch(() => undefined);
  }

  /** Whether a message that came by `origin` can be answered from this instance (the long connection is held here). */
  answersHere(origin: AibotOrigin): boolean {
    return this.deps.links[origin.via]?.ready?.() ?? false;
  }

  private watcher: NodeJS.Timeout | undefined;

  /**
   * Looks every `everyMs` at the streams here that wait for a click on their card: a card decided on another instance
   * (its click taken there) lets its stream end here too.
   */
  watchCards(everyMs = 2000): void {
    this.watcher ??= setInterval(() => void this.releaseDecided().catch(() => undefined), everyMs);
    this.watcher.unref();
  }

  private async releaseDecided(): Promise<void> {
    for (const stream of this.deps.book.open()) {
      for (const taskId of stream.cardHolds()) {
        if (!(await this.deps.cards.get(taskId))?.decided) continue;
        stream.release(`card:${taskId}`);
        await stream.settle().catch(() => undefined);
      }
    }
  }

  /** Finishes every stream still open (a stop). */
  async closeAll(): Promise<void> {
    clearInterval(this.watcher);
    this.watcher = undefined;
    await Promise.all(this.deps.book.open().map((s) => s.finish().catch(() => undefined)));
  }
}

/** A job's messages to its starter: the latest shown below the stream's replies while it is open, else by the app. */
class JobStreamChannel implements Channel {
  readonly name = 'aibot-job';
  readonly capabilities = CAPABILITIES;

  constructor(
    private readonly deps: AibotChannelDeps,
    private readonly streamNow: () => LiveStream | undefined,
  ) {}

  forDelivery(unit: WorkUnit): Channel {
    return new JobStreamChannel({ ...this.deps, app: this.deps.app.forDelivery(unit) }, this.streamNow);
  }

  async sendReply(userid: string, reply: Reply): Promise<void> {
    const stream = this.streamNow();
    if (stream && same(userid, stream.asker) && stream.writable) {
      if (reply.private && stream.origin.chatType === 'group') {
        // The group sees the summary line; the customers it names go to the asker alone.
        await stream.setTail(renderBotReply({ title: plainLine(reply.title), tone: reply.tone ?? 'comment' })).catch(() => undefined);
        return new PrivateChannel(this.deps, stream.origin, stream.asker).sendReply(userid, reply);
      }
      try {
        return await stream.setTail(renderBotReply(reply));
      } catch {
        // the stream ended meanwhile: the app carries it
      }
    }
    await this.deps.app.sendReply(userid, reply);
  }

  sendCard(userid: string, card: ButtonInteractionCard): Promise<SentCard> {
    return this.deps.app.sendCard(userid, card);
  }

  updateCard(userids: readonly string[], responseCode: string, text: string): Promise<void> {
    return this.deps.app.updateCard(userids, responseCode, text);
  }
}
