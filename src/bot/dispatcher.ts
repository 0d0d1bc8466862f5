import type { Inbound, TemplateCardEvent } from '../callback/inbound.js';
import type { Channel } from '../channel/channel.js';
import type { Locale } from '../config.js';
import { t } from '../i18n/index.js';
import { simpleReply } from '../render/reply.js';
import type { WorkUnit } from '../wecom/index.js';
import type { AuditLog } from './audit-log.js';
import type { ArgValues, BotServices, CommandContext } from './command.js';
import { commandContext, type ContextDeps } from './context.js';
import { Conversations } from './conversation.js';
import { fanOutEvent } from './events.js';
import { Jobs } from './jobs.js';
import type { Preferences } from './preferences.js';
import type { ProposalStore } from './proposal-store.js';
import { ProposalFlow } from './proposals.js';
import type { Registry } from './registry.js';
import { botServices } from './services.js';
import { ACTION_STAGES, TEXT_STAGES } from './turn/pipeline.js';
import { takeAnswer } from './turn/stages/conversation.js';
import { runStages, type Turn, type TurnServices } from './turn/turn.js';

/** What the dispatcher is made of; `client` and `channel` are the bot's own, bound to each delivery it handles. */
export interface DispatcherDeps extends ContextDeps {
  defaultLocale: Locale;
  /** The CorpID jobs are recorded for (see {@link Jobs}). */
  corpId?: string;
  registry: Registry;
  prefs: Preferences;
  audit: AuditLog;
  proposalStore: ProposalStore;
  conversations: Conversations;
  /** After this long a still-running handler first sends one "处理中…" line. */
  progressAfterMs: number;
}

/** One delivery's turn services, with the commands' services and the confirmation flow bound to it. */
type Kit = TurnServices & { services: BotServices; channel: Channel };

/**
 * Where an inbound message goes, with everything bound to its delivery (a WeCom client and a channel whose writes
 * happen once across re-runs): a member's text runs the turn stages (turn/pipeline.ts); a button pick answers the
 * open question from its authorisation on; a confirmation click decides a proposal; an event goes to the commands
 * that handle it.
 */
export class Dispatcher {
  readonly jobs: Jobs;
  /** The bot's own services, bound to no delivery: jobs run with them. */
  private readonly own: Kit;

  constructor(private readonly deps: DispatcherDeps) {
    this.jobs = new Jobs(deps.store, deps.log, (user, locale) => this.own.context(user, locale, {}), deps.corpId);
    for (const command of deps.registry.commands) for (const [type, runner] of Object.entries(command.jobs ?? {})) this.jobs.register(type, runner);
    this.own = this.kit(undefined);
  }

  /** Resumes jobs a previous process left running (their members' roles read first). */
  async start(): Promise<void> {
    await this.deps.roles.refresh();
    await this.jobs.resumeAll();
  }

  /** Stops running jobs at their next step. */
  stop(): Promise<void> {
    return this.jobs.stop();
  }

  /** Handles one inbound message or event; a delivery re-run after a crash repeats no WeCom write. */
  async handle(inbound: Inbound, delivery?: WorkUnit): Promise<void> {
    // Roles given in chat take effect at the next message, whichever instance gave them.
    await this.deps.roles.refresh();
    const kit = this.kit(delivery);
    if (inbound.kind === 'text') return runStages(TEXT_STAGES, this.turn(inbound.fromUserName, inbound.content), kit);
    if (inbound.kind === 'template_card') return this.onClick(inbound, kit);
    const contextFor = async (user: string) => kit.context(user, await this.standingLocale(user), {});
    const { client, store, log, audit } = { ...this.deps, client: kit.client };
    return fanOutEvent(this.deps, inbound, { services: kit.services, client, store, log, contextFor, record: (e) => audit.append(e).then(() => undefined) });
  }

  /** Everything a turn uses, bound to `delivery` (or to none: the bot's own). */
  private kit(delivery: WorkUnit | undefined): Kit & { client: ContextDeps['client'] } {
    const { deps } = this;
    const bound = { ...deps, ...(delivery ? { client: deps.client.forDelivery(delivery), channel: deps.channel.forDelivery(delivery) } : {}) };
    const context = (user: string, locale: Locale, args: ArgValues): CommandContext => commandContext(bound, services, user, locale, args);
    const proposals = new ProposalFlow({ ...bound, context, ...(delivery ? { delivery } : {}) });
    const services = botServices({ ...deps, proposals, jobs: this.jobs, ...(delivery ? { delivery } : {}) });
    const conversations = deps.conversations.through(bound.channel);
    const reply = (user: string, text: Parameters<Channel['sendReply']>[1]) => bound.channel.sendReply(user, text);
    const progress = (user: string, text: Parameters<Channel['sendReply']>[1]) => deps.channel.sendReply(user, text);
    return { ...deps, client: bound.client, channel: bound.channel, proposals, services, conversations, context, reply, progress };
  }

  /** A turn before its first stage: the stages read the member's choices and the line's language. */
  private turn(user: string, text: string): Turn {
    return { user, text, prefs: {}, conversation: undefined, written: undefined, locale: this.deps.defaultLocale };
  }

  /** The locale of a message the member did not just type (events, clicks): their choice, else their last script. */
  private async standingLocale(user: string): Promise<Locale> {
    const prefs = await this.deps.prefs.of(user);
    return prefs.locale ?? prefs.lastTyped ?? this.deps.defaultLocale;
  }

  private async onClick(click: TemplateCardEvent, kit: Kit): Promise<void> {
    const user = click.fromUserName;
    const picked = Conversations.choiceOf(click.eventKey);
    if (picked !== undefined) {
      const conversation = await kit.conversations.get(user);
      if (!conversation || conversation.taskId !== click.taskId) {
        return kit.reply(user, simpleReply(t(await this.standingLocale(user), 'conversation.stale'), 'comment'));
      }
      await kit.conversations.markPicked(conversation, user, picked);
      const turn = { ...this.turn(user, picked), conversation };
      if (await takeAnswer(turn, kit, picked)) await runStages(ACTION_STAGES, turn, kit);
      return;
    }
    const choice = ProposalFlow.choiceOf(click.eventKey);
    if (!choice) return void this.deps.log.info({ event: 'click.ignored', key: click.eventKey });
    const proposal = await this.deps.proposalStore.byTaskId(click.taskId);
    await kit.proposals.decide({ user, proposal, choice, responseCode: click.responseCode, fallbackLocale: await this.standingLocale(user) });
  }
}
