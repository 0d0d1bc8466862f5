import type { AibotCardClick, AibotTextMessage, Inbound } from '../callback/inbound.js';
import type { AibotChannels } from '../channel/aibot/channel.js';
import type { LiveStream } from '../channel/aibot/stream.js';
import type { NamespaceKey } from '../store/index.js';
import { DeliveryDeferred, type Delivery } from '../callback/worker.js';
import { t } from '../i18n/index.js';
import { simpleReply } from '../render/reply.js';
import { WeComRetryLater } from '../wecom/index.js';
import type { AuditEntry, EventContext } from './command.js';
import { bindDelivery, type BotParts, type DeliveryKit } from './delivery-kit.js';
import { fanOutEvent } from './events.js';
import { Jobs } from './jobs.js';
import { answerClick } from './turn/click.js';
import { TEXT_STAGES } from './turn/pipeline.js';
import { runStages } from './turn/turn.js';

/**
 * Where an inbound message goes, with everything bound to its delivery (a WeCom client and a channel whose writes
 * happen once across re-runs, see delivery-kit.ts): a member's text runs the turn stages (turn/pipeline.ts); a click
 * answers a question or decides a proposal (turn/click.ts); an event goes to the commands that handle it.
 */
export class Dispatcher {
  readonly jobs: Jobs;
  /** The bot's own services, bound to no delivery: jobs run with them. */
  private readonly own: DeliveryKit;

  constructor(private readonly parts: BotParts) {
    this.jobs = new Jobs(
      parts.store,
      parts.log,
      (user, locale, commandId, jobId) => this.jobKit(jobId).context(user, locale, {}, commandId),
      parts.corpId,
      // SQLite is held by one process for its life, and memory is one process's: their running jobs are orphans.
      parts.store.kind !== 'redis',
      parts.jobTiming,
      parts.onJobStep,
    );
    for (const command of parts.registry.commands)
      for (const [type, runner] of Object.entries(command.jobs ?? {})) this.jobs.register(type, runner, command.id);
    this.own = bindDelivery(parts, this.jobs, undefined);
  }

  /** Resumes jobs a previous process left running (their members' roles read first). */
  async start(): Promise<void> {
    await this.parts.roles.refresh();
    await this.jobs.resumeAll();
    this.jobs.watch();
  }

  /** Stops running jobs at their next step. */
  stop(): Promise<void> {
    return this.jobs.stop();
  }

  /**
   * Handles one inbound message or event; a delivery re-run after a crash repeats no WeCom write.
   * @throws DeliveryDeferred when the delivery must wait (a WeCom API blocked for a minute, a store that cannot record
   * a write): the inbox runs it again later, and no worker waits meanwhile. A member whose command waits for a block
   * is told so once.
   */
  async handle(inbound: Inbound, delivery?: Delivery): Promise<void> {
    try {
      await this.route(inbound, delivery);
    } catch (err) {
      if (!delivery || !WeComRetryLater.is(err)) throw err;
      const member = ['text', 'template_card', 'aibot_text', 'aibot_click'].includes(inbound.kind) ? inbound.fromUserName : undefined;
      if (err.why === 'blocked' && delivery.deferred === 0 && member) {
        const locale = await this.parts.prefs.standingLocale(member, this.parts.defaultLocale).catch(() => this.parts.defaultLocale);
        const seconds = Math.max(1, Math.round((err.retryAt - Date.now()) / 1000));
        await this.own.progress(member, simpleReply(t(locale, 'common.waitingForWeCom', { seconds }), 'comment')).catch(() => undefined);
      }
      this.parts.log.warn({ event: 'delivery.deferred', key: delivery.key, why: err.why, path: err.endpoint, until: err.retryAt });
      throw new DeliveryDeferred(err.retryAt, `${err.endpoint}: ${err.why}`);
    }
  }

  private async route(inbound: Inbound, delivery: Delivery | undefined): Promise<void> {
    // Roles given in chat take effect at the next message, whichever instance gave them.
    await this.parts.roles.refresh();
    const kit = bindDelivery(this.parts, this.jobs, delivery);
    const { defaultLocale, proposalStore } = this.parts;
    if (inbound.kind === 'text') {
      const turn = { user: inbound.fromUserName, text: inbound.content, prefs: {}, conversation: undefined, written: undefined, locale: defaultLocale };
      return runStages(TEXT_STAGES, turn, kit);
    }
    if (inbound.kind === 'template_card') return answerClick(inbound, kit, proposalStore);
    if (inbound.kind === 'aibot_text' || inbound.kind === 'aibot_click') {
      const { aibot } = this.parts;
      if (!aibot) return void this.parts.log.warn({ event: 'aibot.not_configured', key: delivery?.key });
      return inbound.kind === 'aibot_text' ? this.aibotText(aibot, inbound, delivery) : this.aibotClick(aibot, inbound, delivery);
    }
    // The contacts changed: the member directory follows at once (names typed in chat find the member).
    if (inbound.kind === 'event' && inbound.event === 'change_contact') await this.parts.members.applyChange(inbound.fields);
    // A customer added, edited or deleted: the index of names follows (a look-up by name reads no WeCom data).
    if (inbound.kind === 'external_contact') {
      await this.parts.customerNames
        .apply(inbound)
        .catch((err: unknown) => this.parts.log.warn({ event: 'customer_names.apply_failed', err: (err as Error).message }));
    }
    return fanOutEvent(this.parts, inbound, (commandId) => this.eventContext(commandId, kit));
  }

  /** The services a job runs with: its messages shown in the stream it was started from, while that is open here. */
  private jobKit(jobId: string): DeliveryKit {
    const channel = this.parts.aibot?.jobChannel(jobId);
    return channel ? bindDelivery({ ...this.parts, channel }, this.jobs, undefined) : this.own;
  }

  /** The routes of a turn answered on a 智能机器人 stream: privately beside a group chat; jobs shown in the stream. */
  private aibotKit(aibot: AibotChannels, channel: Awaited<ReturnType<AibotChannels['forMessage']>>, delivery: Delivery | undefined): DeliveryKit {
    const { stream } = channel;
    return bindDelivery({ ...this.parts, channel }, this.jobs, delivery, {
      ...(channel.inGroup ? { privately: channel.privately() } : {}),
      onJobStarted: (jobId) => {
        if (!stream?.writable) return;
        aibot.adoptJob(jobId, stream);
        void this.jobs.wait(jobId).then(() => aibot.jobEnded(jobId));
      },
    });
  }

  /** A member's text to the 智能机器人: the turn's replies grow the message's stream, which ends with the turn. */
  private async aibotText(aibot: AibotChannels, inbound: AibotTextMessage, delivery: Delivery | undefined): Promise<void> {
    const user = inbound.fromUserName;
    Dispatcher.answerWhereConnected(aibot, inbound, delivery);
    await aibot.supersede(inbound.aibot, user, inbound.msgId);
    const channel = await aibot.forMessage({ origin: inbound.aibot, messageId: inbound.msgId, asker: user, startedAt: inbound.createTime * 1000 });
    const kit = this.aibotKit(aibot, channel, delivery);
    const turn = { user, text: inbound.content, prefs: {}, conversation: undefined, written: undefined, locale: this.parts.defaultLocale };
    await Dispatcher.thenSettle(channel.stream, runStages(TEXT_STAGES, turn, kit));
  }

  /**
   * A message of the long connection is answered on the connection it came on, which one instance holds: elsewhere it
   * waits a moment for that instance (which takes it from the inbox at once), and after half a minute runs here anyway
   * (its answer then goes by the app).
   * @throws DeliveryDeferred while it waits.
   */
  private static answerWhereConnected(aibot: AibotChannels, inbound: AibotTextMessage | AibotCardClick, delivery: Delivery | undefined): void {
    if (!delivery || aibot.answersHere(inbound.aibot) || delivery.deferred >= 60) return;
    throw new DeliveryDeferred(Date.now() + 500, 'aibot: the long connection is held by another instance');
  }

  /** Ends `stream` once `work` is done, unless the work was put off (it runs again, on the same stream). */
  private static async thenSettle(stream: LiveStream | undefined, work: Promise<void>): Promise<void> {
    try {
      await work;
    } catch (err) {
      if (!WeComRetryLater.is(err) && !(err instanceof DeliveryDeferred)) await stream?.settle().catch(() => undefined);
      throw err;
    }
    await stream?.settle().catch(() => undefined);
  }

  /** A click on a card of the 智能机器人: decided like the app's (only its proposer may), answered in the card. */
  private async aibotClick(aibot: AibotChannels, inbound: AibotCardClick, delivery: Delivery | undefined): Promise<void> {
    Dispatcher.answerWhereConnected(aibot, inbound, delivery);
    const channel = await aibot.forClick(inbound.aibot, inbound.msgId, inbound.taskId, inbound.fromUserName);
    const kit = this.aibotKit(aibot, channel, delivery);
    const click = {
      ...inbound,
      kind: 'template_card' as const,
      cardType: 'button_interaction',
      // A 智能机器人 card is updated by its task_id, in answer to the click.
      responseCode: inbound.taskId,
      selectedItems: [],
    };
    await Dispatcher.thenSettle(channel.stream, answerClick(click, kit, this.parts.proposalStore));
  }

  /**
   * What a handler of `commandId` gets: the services of `kit` (a delivery's, or without one the bot's own, as a
   * scheduled run has), speaking as that command (its strings by their own keys).
   */
  eventContext(commandId: string, kit: DeliveryKit = this.own): EventContext {
    const { prefs, defaultLocale, audit } = this.parts;
    return {
      services: kit.services,
      client: kit.client,
      state: <V>(key: NamespaceKey<V>) => this.parts.store.namespace(key),
      log: kit.log,
      contextFor: async (user) => kit.context(user, await prefs.standingLocale(user, defaultLocale), {}, commandId),
      record: async (entry: Omit<AuditEntry, 'time'>) => void (await audit.append(entry)),
    };
  }
}
