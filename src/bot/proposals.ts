import type { Locale } from '../config.js';
import { t } from '../i18n/index.js';
import type { MemberDirectory } from '../contacts/members.js';
import type { Logger } from '../log.js';
import { CANCEL_KEY, CONFIRM_KEY, confirmationCard } from '../render/card.js';
import { plainLine } from '../render/markdown.js';
import { row, simpleReply } from '../render/reply.js';
import type { WorkUnit } from '../wecom/index.js';
import { audited } from './audited.js';
import { redactArgs, type AuditLog } from './audit-log.js';
import type { ProposalStore, Proposal } from './proposal-store.js';
import { explainError } from './explain.js';
import { actionId, type Registry } from './registry.js';
import type { Roles } from './roles.js';
import type { Channel } from '../channel/channel.js';
import type { Action, ArgValues, AuditReason, CommandContext, CommandDefinition, Plan } from './command.js';
import { hasRole, PermissionDenied } from './command.js';

/** Builds a handler context (the dispatcher owns how). */
export type ContextFactory = (user: string, locale: Locale, args: ArgValues, commandId?: string) => CommandContext;

/** A decision on a proposal, from a card click or a typed /确认 or /取消. */
export interface CardDecision {
  user: string;
  proposal: Proposal | undefined;
  choice: 'confirm' | 'cancel';
  /** The click's response_code (a typed decision uses the one from the card's send). */
  responseCode?: string;
  /** A typed decision (/确认): the script it was typed in, which the answer and the result follow. */
  typedIn?: Locale;
  /** The locale to answer in when the proposal is unknown (a typed decision passes the script it was typed in). */
  fallbackLocale: Locale;
}

/** What became of a card that no longer counts, as the audit log keeps it. */
const PROPOSAL = {
  superseded: { kind: 'proposal', why: 'superseded' },
  notProposer: { kind: 'proposal', why: 'notProposer' },
  expired: { kind: 'proposal', why: 'expired' },
} as const satisfies Record<string, AuditReason>;

/**
 * ProposalStore end to end: proposes a confirm action as a button card, and executes it once when its proposer
 * confirms (by click or typed code); refuses other members, expired and used proposals; updates the card.
 */
export class ProposalFlow {
  constructor(
    private readonly deps: {
      registry: Registry;
      proposalStore: ProposalStore;
      /** The channel of the delivery being handled: cards, card updates and replies. */
      channel: Channel;
      /** The delivery being handled (a click, a typed code): the decision it makes stays its own when it runs again. */
      delivery?: WorkUnit;
      audit: AuditLog;
      roles: Roles;
      log: Logger;
      context: ContextFactory;
      /** The members by name: a reply names the proposer as 张三（zhangsan）. */
      members?: Pick<MemberDirectory, 'entries'>;
    },
  ) {}

  /** "张三（zhangsan）", or the UserID when the directory does not name them. */
  private async labelOf(userid: string, locale: Locale): Promise<string> {
    const entry = (await this.deps.members?.entries())?.find((m) => m.userid.toLowerCase() === userid.toLowerCase());
    return entry && entry.name !== userid ? t(locale, 'common.memberLabel', { name: entry.name, userid }) : userid;
  }

  /** Sends the confirmation card of `plan` and records the proposal. */
  async propose(ctx: CommandContext, command: CommandDefinition, action: Action, plan: Plan): Promise<void> {
    const { proposalStore, audit } = this.deps;
    const id = actionId(command, action);
    const proposal = await proposalStore.create({
      userid: ctx.user,
      commandId: command.id,
      actionId: id,
      args: ctx.args,
      payload: plan.payload,
      locale: ctx.locale,
      // A delivery run again after a crash proposes again (a new code, a new card): the newer card retires the one
      // the first run sent, so one card at most counts, whatever the plan is about.
      ...(plan.subject || this.deps.delivery ? { subject: plan.subject ?? `delivery:${this.deps.delivery?.key}` } : {}),
    });
    await this.offer(ctx, proposal, plan);
    await audit.append({ userid: ctx.user, command: id, args: redactArgs(action, ctx.args), decision: 'proposed', code: proposal.code });
    // The newest card on a subject is the one that counts: older ones still waiting are retired, and say so.
    for (const older of await proposalStore.supersede(proposal)) {
      await this.updateCard(older, older.sendResponseCode, t(older.locale, 'confirm.card.superseded'));
      await audit.append({
        userid: older.userid,
        command: older.actionId,
        args: older.args,
        decision: 'cancelled',
        reason: PROPOSAL.superseded,
        code: older.code,
      });
    }
  }

  /**
   * Puts the plan before its proposer: a card with its buttons where the channel shows cards, else the summary as a
   * reply that says how to confirm or cancel by typing the code.
   */
  private async offer(ctx: CommandContext, proposal: Proposal, plan: Plan): Promise<void> {
    const { proposalStore, channel } = this.deps;
    const summary = plan.summary;
    if (!channel.capabilities.cards) {
      const fields = (plan.fields ?? []).map(([name, value]) => row(name, value));
      const footer = ctx.t('confirm.typed', { code: proposal.code, minutes: 10 });
      await channel.sendReply(ctx.user, { ...summary, sections: [...(summary.sections ?? []), ...(fields.length > 0 ? [{ lines: fields }] : [])], footer });
      return;
    }
    const lines = (summary.sections ?? []).flatMap((s) => s.lines.map(plainLine));
    const card = confirmationCard({
      taskId: proposal.taskId,
      title: plainLine(summary.title),
      desc: ctx.t('confirm.card.desc', { code: proposal.code }),
      lines: [...lines, ctx.t('confirm.card.expires', { minutes: 10 })],
      separator: ctx.t('common.clauseSeparator'),
      fields: plan.fields ?? [],
      confirmText: ctx.t('confirm.button.confirm'),
      cancelText: ctx.t('confirm.button.cancel'),
    });
    const sent = await channel.sendCard(ctx.user, card);
    if (sent.responseCode) await proposalStore.update({ ...proposal, sendResponseCode: sent.responseCode });
  }

  private async updateCard(proposal: Proposal, responseCode: string | undefined, text: string): Promise<void> {
    if (!responseCode) return;
    try {
      await this.deps.channel.updateCard([proposal.userid], responseCode, text);
    } catch (err) {
      this.deps.log.warn({ event: 'card.update_failed', code: proposal.code, err: (err as Error).message });
    }
  }

  private findAction(proposal: Proposal): { command: CommandDefinition; action: Action } | undefined {
    const found = this.deps.registry.action(proposal.actionId);
    return found?.command.id === proposal.commandId ? found : undefined;
  }

  /** Handles a decision; everything it says goes to the deciding member. */
  async decide(decision: CardDecision): Promise<void> {
    const { proposalStore, channel, audit, log } = this.deps;
    const { proposal, user } = decision;
    if (!proposal) {
      await channel.sendReply(user, simpleReply(t(decision.fallbackLocale, 'confirm.unknown'), 'warning'));
      return;
    }
    const locale = decision.typedIn ?? proposal.locale;
    const found = this.findAction(proposal);
    const args = found ? redactArgs(found.action, proposal.args) : proposal.args;
    const responseCode = decision.responseCode ?? proposal.sendResponseCode;
    if (proposal.retiredBy) {
      await channel.sendReply(user, simpleReply(t(locale, 'confirm.superseded', { code: proposal.code, newer: proposal.retiredBy }), 'warning'));
      return;
    }
    if (user.toLowerCase() !== proposal.userid.toLowerCase()) {
      await audit.append({ userid: user, command: proposal.actionId, args, code: proposal.code, decision: 'denied', reason: PROPOSAL.notProposer });
      await channel.sendReply(user, simpleReply(t(locale, 'confirm.notProposer', { user: await this.labelOf(proposal.userid, locale) }), 'warning'));
      return;
    }
    if (proposalStore.isExpired(proposal)) {
      if (await proposalStore.decide(proposal, this.deps.delivery?.key)) {
        await this.updateCard(proposal, responseCode, t(proposal.locale, 'confirm.card.expired'));
        await audit.append({ userid: user, command: proposal.actionId, args, code: proposal.code, decision: 'failed', reason: PROPOSAL.expired });
      }
      await channel.sendReply(user, simpleReply(t(locale, 'confirm.expired', { code: proposal.code }), 'warning'));
      return;
    }
    if (!(await proposalStore.decide(proposal, this.deps.delivery?.key))) {
      log.info({ event: 'confirm.already_decided', code: proposal.code });
      await channel.sendReply(user, simpleReply(t(locale, 'confirm.alreadyDecided', { code: proposal.code })));
      return;
    }
    if (decision.choice === 'cancel') {
      await this.updateCard(proposal, responseCode, t(proposal.locale, 'confirm.card.cancelled'));
      await audit.append({ userid: user, command: proposal.actionId, args, decision: 'cancelled', code: proposal.code });
      await channel.sendReply(user, simpleReply(t(locale, 'confirm.cancelled', { code: proposal.code })));
      return;
    }
    await this.updateCard(proposal, responseCode, t(proposal.locale, 'confirm.card.confirmed'));
    await audit.append({ userid: user, command: proposal.actionId, args, decision: 'confirmed', code: proposal.code });
    await this.execute(proposal, found, locale, args);
  }

  private async execute(proposal: Proposal, found: ReturnType<ProposalFlow['findAction']>, locale: Locale, args: ArgValues): Promise<void> {
    const { channel, roles } = this.deps;
    const outcome = await audited(this.deps, { userid: proposal.userid, command: proposal.actionId, args, code: proposal.code }, async () => {
      if (!found?.action.execute) throw new Error(`no executable action ${proposal.actionId}`);
      // Roles may have changed in the ten minutes since the proposal.
      if (!hasRole(roles.of(proposal.userid), found.action.role)) throw new PermissionDenied(found.action.role);
      return found.action.execute(this.deps.context(proposal.userid, locale, proposal.args, proposal.commandId), proposal.payload);
    });
    await channel.sendReply(proposal.userid, outcome.ok ? outcome.value : explainError(outcome.error, locale, this.deps.registry.catalog));
  }

  /** The EventKey of a click, as a choice. */
  static choiceOf(eventKey: string): 'confirm' | 'cancel' | undefined {
    return eventKey === CONFIRM_KEY ? 'confirm' : eventKey === CANCEL_KEY ? 'cancel' : undefined;
  }
}
