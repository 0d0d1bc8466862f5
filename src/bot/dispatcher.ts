import type { Inbound, TemplateCardEvent } from '../callback/inbound.js';
import type { Delivery } from '../callback/worker.js';
import type { Locale } from '../config.js';
import { t } from '../i18n/index.js';
import { simpleReply } from '../render/reply.js';
import { withEffectScope } from '../wecom/index.js';
import type { ArgValues, BotServices, CommandContext } from './command.js';
import type { ProposalStore } from './proposal-store.js';
import { commandContext, type ContextDeps } from './context.js';
import { Conversations } from './conversation.js';
import { fanOutEvent } from './events.js';
import { Jobs } from './jobs.js';
import type { AuditLog } from './audit-log.js';
import type { Preferences } from './preferences.js';
import { ProposalFlow } from './proposals.js';
import type { Registry } from './registry.js';
import { botServices } from './services.js';
import { ACTION_STAGES, TEXT_STAGES } from './turn/pipeline.js';
import { takeAnswer } from './turn/stages/conversation.js';
import { runStages, type Turn, type TurnServices } from './turn/turn.js';

/** What the dispatcher is made of. */
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

/**
 * Where an inbound message goes: a member's text runs the turn stages (see turn/pipeline.ts); a button pick answers
 * the open question from its authorisation on; a confirmation click decides a proposal; any other event goes to the
 * commands that handle it. Every command and decision is audited on the way.
 */
export class Dispatcher {
  readonly proposals: ProposalFlow;
  readonly jobs: Jobs;
  readonly services: BotServices;
  private readonly turns: TurnServices;

  constructor(private readonly deps: DispatcherDeps) {
    const context = (user: string, locale: Locale, args: ArgValues) => this.context(user, locale, args);
    this.proposals = new ProposalFlow({ ...deps, context });
    this.jobs = new Jobs(deps.store, deps.log, (user, locale) => context(user, locale, {}), deps.corpId);
    for (const command of deps.registry.commands) for (const [type, runner] of Object.entries(command.jobs ?? {})) this.jobs.register(type, runner);
    this.services = botServices({ ...deps, proposals: this.proposals, jobs: this.jobs });
    this.turns = { ...deps, proposals: this.proposals, context, reply: (user, reply) => deps.sender.sendReply(user, reply) };
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

  /** A handler's context for `user`. */
  context(user: string, locale: Locale, args: ArgValues): CommandContext {
    return commandContext(this.deps, this.services, user, locale, args);
  }

  /** Handles one inbound message or event. */
  async handle(inbound: Inbound, delivery?: Delivery): Promise<void> {
    // Roles given in chat take effect at the next message, whichever instance gave them.
    await this.deps.roles.refresh();
    // A delivery re-run after a crash repeats no WeCom write and re-sends at most the reply it had not recorded.
    if (delivery) return withEffectScope(delivery.key, delivery.attempt, () => this.dispatch(inbound));
    return this.dispatch(inbound);
  }

  private async dispatch(inbound: Inbound): Promise<void> {
    if (inbound.kind === 'text') return runStages(TEXT_STAGES, this.turn(inbound.fromUserName, inbound.content), this.turns);
    if (inbound.kind === 'template_card') return this.onClick(inbound);
    const contextFor = async (user: string) => this.context(user, await this.standingLocale(user), {});
    const { services, deps } = this;
    return fanOutEvent(deps, inbound, {
      services,
      client: deps.client,
      store: deps.store,
      log: deps.log,
      contextFor,
      record: (e) => deps.audit.append(e).then(() => undefined),
    });
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

  private async onClick(click: TemplateCardEvent): Promise<void> {
    const user = click.fromUserName;
    const picked = Conversations.choiceOf(click.eventKey);
    if (picked !== undefined) {
      const conversation = await this.deps.conversations.get(user);
      if (!conversation || conversation.taskId !== click.taskId) {
        return this.deps.sender.sendReply(user, simpleReply(t(await this.standingLocale(user), 'conversation.stale'), 'comment'));
      }
      await this.deps.conversations.markPicked(conversation, user, picked);
      const turn = { ...this.turn(user, picked), conversation };
      if (await takeAnswer(turn, this.turns, picked)) await runStages(ACTION_STAGES, turn, this.turns);
      return;
    }
    const choice = ProposalFlow.choiceOf(click.eventKey);
    if (!choice) return void this.deps.log.info({ event: 'click.ignored', key: click.eventKey });
    const proposal = await this.deps.proposalStore.byTaskId(click.taskId);
    await this.proposals.decide({ user, proposal, choice, responseCode: click.responseCode, fallbackLocale: await this.standingLocale(user) });
  }
}
