import type { Inbound, TemplateCardEvent, TextMessage } from '../callback/inbound.js';
import type { Delivery } from '../callback/worker.js';
import type { Locale } from '../config.js';
import { t, tList } from '../i18n/index.js';
import type { Logger } from '../log.js';
import { code } from '../render/markdown.js';
import { simpleReply, type Reply } from '../render/reply.js';
import type { Store } from '../store/index.js';
import { outsideEffectScope, withEffectScope, type WeComClient } from '../wecom/index.js';
import { redactArgs, type AuditLog } from './audit.js';
import { audited } from './audited.js';
import type { Confirmations } from './confirm.js';
import { Conversations, type ChoiceSource, type Conversation } from './conversation.js';
import { MAX_CHOICES } from '../render/card.js';
import { cutEcho, explainError, reasonParamsOf } from './explain.js';
import { scriptOf } from '../i18n/script.js';
import { replyLocale, typedScript, type Preferences } from './locale.js';
import { parseArgs } from './parse.js';
import { Jobs } from './jobs.js';
import { ProposalFlow } from './proposals.js';
import { actionId, type Registry, type ResolvedAction } from './registry.js';
import type { Roles } from './roles.js';
import type { ReplySender } from './sender.js';
import { closest } from './suggest.js';
import { isCommand, tokenize } from './tokenize.js';
import { fieldName, usageLine } from './usage.js';
import {
  hasRole,
  ParseError,
  PermissionDenied,
  UserError,
  type Action,
  type ArgValues,
  type BotServices,
  type CommandContext,
  type CommandDefinition,
  type EventContext,
  type Role,
} from './command.js';

/** The likely answers of a missing field: the action's own, else the choices the field declares. */
function choicesFor(action: Action, name: string): ChoiceSource | undefined {
  const own = action.ask?.[name];
  if (own) return own;
  const declared = [...(action.args ?? []), ...(action.options ?? [])].find((s) => s.name === name)?.choices;
  return declared ? async () => declared.map((value) => ({ value, label: value })) : undefined;
}

/** What the dispatcher is made of. */
export interface DispatcherDeps {
  client: WeComClient;
  store: Store;
  log: Logger;
  defaultLocale: Locale;
  /** The corp's time zone (BOT_TIMEZONE). */
  timeZone: string;
  /** The CorpID jobs are recorded for (see {@link Jobs}). */
  corpId?: string;
  registry: Registry;
  roles: Roles;
  prefs: Preferences;
  audit: AuditLog;
  confirmations: Confirmations;
  conversations: Conversations;
  sender: ReplySender;
  /** After this long a still-running handler first sends one "处理中…" line. */
  progressAfterMs: number;
}

/**
 * The way of one message: parse the line → find the command (any locale's name) → role check → confirmation or
 * handler → reply; every command and decision is audited. Clicks on confirmation cards and events take the same
 * road.
 */
export class Dispatcher {
  readonly proposals: ProposalFlow;
  readonly jobs: Jobs;
  readonly services: BotServices;

  constructor(private readonly deps: DispatcherDeps) {
    this.proposals = new ProposalFlow({ ...deps, context: (user, locale, args) => this.context(user, locale, args) });
    this.jobs = new Jobs(deps.store, deps.log, (user, locale) => this.context(user, locale, {}), deps.corpId);
    for (const command of deps.registry.commands) {
      for (const [type, runner] of Object.entries(command.jobs ?? {})) this.jobs.register(type, runner);
    }
    this.services = {
      catalog: deps.registry,
      audit: deps.audit,
      setLocale: (user, locale) => deps.prefs.setLocale(user, locale),
      decide: async (user, code, choice, locale) =>
        this.proposals.decide({ user, proposal: await deps.confirmations.byCode(code), choice, typedIn: locale, fallbackLocale: locale }),
      jobs: this.jobs,
      get admins() {
        return deps.roles.admins();
      },
      roles: deps.roles,
    };
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
    const { client, store, log, roles, sender } = this.deps;
    const role = roles.of(user);
    return {
      user,
      role,
      locale,
      timeZone: this.deps.timeZone,
      args,
      client,
      store,
      log,
      services: this.services,
      t: (key, params) => t(locale, key, params),
      translate: (other, key, params) => t(other, key, params),
      list: (key) => tList(locale, key),
      listSeparator: t(locale, 'common.listSeparator'),
      send: (reply) => sender.sendReply(user, reply),
      requireSelfOr(userid: string, needed: Role) {
        if (userid.toLowerCase() !== user.toLowerCase() && !hasRole(role, needed)) throw new PermissionDenied(needed);
      },
    };
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
    if (inbound.kind === 'text') return this.onText(inbound);
    if (inbound.kind === 'template_card') return this.onClick(inbound);
    const events: EventContext = {
      services: this.services,
      client: this.deps.client,
      store: this.deps.store,
      log: this.deps.log,
      contextFor: async (user) => this.context(user, await this.standingLocale(user), {}),
      record: async (entry) => {
        await this.deps.audit.append(entry);
      },
    };
    const handlers = this.deps.registry.commands.flatMap((command) => {
      const handler = command.events?.[inbound.kind] as ((inbound: Inbound, ctx: EventContext) => Promise<void>) | undefined;
      return handler ? [{ id: command.id, handler }] : [];
    });
    if (handlers.length === 0) {
      this.deps.log.info({ event: 'inbound.ignored', kind: inbound.kind });
      return;
    }
    // Every handler of the event runs, each on its own: one failing does not keep the others from their work. A
    // failure is recorded in the audit log and reported to the worker (which logs it); the delivery is then done.
    const outcomes = await Promise.all(
      handlers.map(({ id, handler }) =>
        audited(this.deps, { userid: 'sys', command: `${id}.event`, args: { kind: inbound.kind } }, () => handler(inbound, events), { recordSuccess: false }),
      ),
    );
    const failed = outcomes.find((o) => !o.ok);
    if (failed && !failed.ok) throw failed.error;
  }

  private reply(user: string, reply: Reply): Promise<void> {
    return this.deps.sender.sendReply(user, reply);
  }

  /** The locale of a message the member did not just type (events, clicks): their choice, else their last script. */
  private async standingLocale(user: string): Promise<Locale> {
    const prefs = await this.deps.prefs.of(user);
    return prefs.locale ?? prefs.lastTyped ?? this.deps.defaultLocale;
  }

  private async onText(message: TextMessage): Promise<void> {
    const { registry, prefs, defaultLocale, roles } = this.deps;
    const user = message.fromUserName;
    const stored = await prefs.of(user);
    const written = scriptOf(message.content);
    const clues = { chosen: stored.locale, lastTyped: stored.lastTyped, fallback: defaultLocale };
    /** The reply locale for a line whose command word has these names; the script typed is remembered. */
    const localeFor = async (named: readonly Locale[]): Promise<Locale> => {
      const typed = typedScript(named, written);
      if (typed) await prefs.noteTyped(user, stored, typed);
      return replyLocale({ ...clues, named, written });
    };
    const conversation = await this.deps.conversations.get(user);
    if (!isCommand(message.content)) {
      // The answer to the question the bot asked, else a hint. Latin text that is no command (a UserID, "ok") does
      // not turn a Chinese conversation English; Chinese text does say which script.
      if (conversation) return this.answer(user, conversation, message.content);
      const plain = written === 'en' && stored.lastTyped ? stored.lastTyped : written;
      return this.reply(user, simpleReply(t(replyLocale({ ...clues, named: [], written: plain }), 'common.hint')));
    }
    let words: string[];
    try {
      words = tokenize(message.content);
    } catch (err) {
      // Answer in the script of the command word, if the line starts with one.
      const first =
        message.content
          .trim()
          .replace(/^[/／]/, '')
          .split(/[\s\u3000]/)[0] ?? '';
      return this.reply(user, explainError(err, await localeFor(registry.resolve(first)?.locales ?? [])));
    }
    const [word, ...rest] = words;
    if (word === undefined || word === '') {
      return this.reply(user, simpleReply(t(await localeFor([]), 'common.hint')));
    }
    const resolved = registry.resolve(word);
    const found = resolved ? registry.resolveAction(resolved.command, rest) : undefined;
    const named = !resolved
      ? []
      : found && found.subLocales.length > 0 && resolved.locales.some((l) => found.subLocales.includes(l))
        ? resolved.locales.filter((l) => found.subLocales.includes(l))
        : resolved.locales;
    const locale = await localeFor(named);
    // Any command ends an open question; /取消 alone ends it and says so.
    if (conversation) {
      await this.deps.conversations.end(user);
      if (resolved?.command.id === 'cancel' && rest.length === 0) {
        return this.reply(user, simpleReply(t(locale, 'conversation.cancelled')));
      }
    } else if (resolved?.command.id === 'cancel' && rest.length === 0) {
      return this.reply(user, simpleReply(t(locale, 'conversation.nothingToCancel'), 'comment'));
    }
    if (!resolved) return this.unknownCommand(user, word, roles.of(user), locale);
    if (!found) return this.listSubcommands(user, locale, resolved.command, rest[0]);
    await this.runAction(user, locale, resolved.command, found);
  }

  /** A command that is only its sub-commands, typed alone or with an unknown one: what it can do, for this member. */
  private async listSubcommands(user: string, locale: Locale, command: CommandDefinition, word: string | undefined): Promise<void> {
    const role = this.deps.roles.of(user);
    const permitted = command.actions.filter((a) => hasRole(role, a.role));
    if (permitted.length === 0) return this.reply(user, explainError(new PermissionDenied(command.actions[0]?.role ?? 'admin'), locale));
    const name = `/${command.names[locale]}`;
    const title =
      word === undefined ? t(locale, 'common.subcommands', { command: name }) : t(locale, 'common.unknownSubcommand', { command: name, word: cutEcho(word) });
    // The usage lines of the sub-commands this member may run, generated from their declarations.
    const lines = this.deps.registry
      .usage(command, locale)
      .filter((u) => permitted.includes(u.action))
      .map((u) => code(u.line));
    const help = this.deps.registry.get('help')?.names[locale] ?? 'help';
    await this.reply(
      user,
      simpleReply(title, word === undefined ? undefined : 'warning', [...lines, t(locale, 'common.helpFor', { command: `/${help} ${command.names[locale]}` })]),
    );
  }

  private async unknownCommand(user: string, word: string, role: Role, locale: Locale): Promise<void> {
    const permitted = this.deps.registry.names().filter(([, command]) => command.actions.some((a) => hasRole(role, a.role)));
    const suggestions = closest(
      word,
      permitted.map(([name]) => name),
    );
    const lines = suggestions.length > 0 ? [[t(locale, 'common.didYouMean'), ...suggestions.flatMap((s, i) => [i > 0 ? ' · ' : ' ', code(`/${s}`)])]] : [];
    await this.reply(user, simpleReply(t(locale, 'common.unknownCommand', { word: cutEcho(word) }), 'warning', [...lines, t(locale, 'common.seeHelp')]));
  }

  private async runAction(user: string, locale: Locale, command: CommandDefinition, found: ResolvedAction): Promise<void> {
    const { audit, roles, progressAfterMs } = this.deps;
    const { action, actionId } = found;
    const role = roles.of(user);
    // Permission first: before parsing, before any confirmation is offered.
    if (!hasRole(role, action.role)) {
      await audit.append({ userid: user, command: actionId, args: {}, decision: 'denied', reason: `needs ${action.role}` });
      return this.reply(user, explainError(new PermissionDenied(action.role), locale));
    }
    let args: ArgValues;
    try {
      args = parseArgs(action, found.rest);
    } catch (err) {
      if (!ParseError.is(err)) throw err;
      // A required value left out: ask for it (with likely answers as buttons) instead of failing.
      if (err.field && (err.key === 'errors.parse.missingOption' || err.key === 'errors.parse.missingArgument')) {
        const asker = this.context(user, locale, {});
        return this.deps.conversations.ask(
          asker,
          command,
          actionId,
          found.rest,
          err.field,
          choicesFor(action, err.field.name),
          usageLine(command, action, locale),
        );
      }
      const reasonParams = reasonParamsOf(err);
      await audit.append({ userid: user, command: actionId, args: {}, decision: 'failed', reason: err.key, ...(reasonParams ? { reasonParams } : {}) });
      // The field by its label ("缺少原成员（--from）。"), then the usage of this one action.
      const named = err.field ? new ParseError(err.key, { ...err.params, field: fieldName(command, err.field, locale) }) : err;
      return this.reply(user, { ...explainError(named, locale), footer: [t(locale, 'common.usage'), code(usageLine(command, action, locale))] });
    }
    const ctx = this.context(user, locale, args);
    // Work still running after ~3 s first gets one "处理中…" line; the sender keeps it before the result.
    // Sent or not depending on timing, so kept out of the delivery's numbered writes.
    const timer = setTimeout(() => {
      outsideEffectScope(() => void this.reply(user, simpleReply(t(locale, 'common.processing'), 'comment')).catch(() => undefined));
    }, progressAfterMs);
    const subject = { userid: user, command: actionId, args: redactArgs(action, args) };
    const { plan, run } = action;
    // A confirm action records its proposal (and later its execution) itself; a plain one is recorded as executed.
    const outcome = plan
      ? await audited(this.deps, subject, async () => this.proposals.propose(ctx, command, action, await plan(ctx).finally(() => clearTimeout(timer))), {
          recordSuccess: false,
        })
      : await audited(this.deps, subject, async () => {
          if (!run) throw new Error(`action ${actionId} has neither run nor plan`);
          const reply = await run(ctx).finally(() => clearTimeout(timer));
          if (reply) await this.reply(user, reply);
        });
    clearTimeout(timer);
    if (outcome.ok) return;
    const error = outcome.error;
    // Ambiguous input (a name several members share): ask which one, with the message as the question.
    if (UserError.is(error) && error.choice && error.choice.choices.length <= MAX_CHOICES) {
      await this.reply(user, explainError(error, locale));
      return this.deps.conversations.askPick(
        ctx,
        command,
        actionId,
        found.rest,
        error.choice.word,
        error.choice.choices,
        t(locale, 'conversation.which', { word: error.choice.word }),
      );
    }
    await this.reply(user, explainError(namedField(error, command, action, locale), locale));
  }

  /** Completes the command of an open question with the member's answer and runs it (it may ask the next one). */
  private async answer(user: string, conversation: Conversation, text: string): Promise<void> {
    const words = await this.deps.conversations.complete(user, conversation, text);
    const command = this.deps.registry.get(conversation.commandId);
    const action = command?.actions.find((a) => actionId(command, a) === conversation.actionId);
    if (!command || !action) return;
    await this.runAction(user, conversation.locale, command, { action, actionId: conversation.actionId, subLocales: [], rest: words });
  }

  private async onClick(click: TemplateCardEvent): Promise<void> {
    const picked = Conversations.choiceOf(click.eventKey);
    if (picked !== undefined) {
      const user = click.fromUserName;
      const conversation = await this.deps.conversations.get(user);
      if (!conversation || conversation.taskId !== click.taskId) {
        return this.reply(user, simpleReply(t(await this.standingLocale(user), 'conversation.stale'), 'comment'));
      }
      await this.deps.conversations.markPicked(conversation, user, picked);
      return this.answer(user, conversation, picked);
    }
    const choice = ProposalFlow.choiceOf(click.eventKey);
    if (!choice) {
      this.deps.log.info({ event: 'click.ignored', key: click.eventKey });
      return;
    }
    const user = click.fromUserName;
    await this.proposals.decide({
      user,
      proposal: await this.deps.confirmations.byTaskId(click.taskId),
      choice,
      responseCode: click.responseCode,
      fallbackLocale: await this.standingLocale(user),
    });
  }
}

/**
 * A command's own check names a field by its flag (`--remark`); the member reads it by its label as the parser's
 * errors do ("备注（--remark）"), when the action declares that option.
 */
function namedField(error: unknown, command: CommandDefinition, action: Action, locale: Locale): unknown {
  if (!UserError.is(error)) return error;
  const flag = /^--([\w-]+)$/.exec(String(error.params.field ?? ''))?.[1];
  if (!flag || !(action.options ?? []).some((o) => o.name === flag)) return error;
  return new UserError(error.key, { ...error.params, field: fieldName(command, { kind: 'option', name: flag }, locale) }, error.choice);
}
