/**
 * The command author's whole API: how a command declares itself ({@link defineCommand}, {@link action}), what its
 * handler gets ({@link CommandContext}), the narrow services it may use, and the errors it may throw. Files in
 * `commands/` import this module, `src/wecom/` and `src/render/`, and nothing else of the bot; this module imports
 * nothing from `src/bot/` (the bot's machinery implements these interfaces).
 */
import type { Inbound } from '../callback/inbound.js';
import type { Locale } from '../config.js';
import type { Logger } from '../log.js';
import type { Reply } from '../render/reply.js';
import type { Store } from '../store/index.js';
import type { WeComClient } from '../wecom/index.js';

/** A command keeps its own state in a store namespace it declares (its value type fixed), beside its code. */
export { defineNamespace, type NamespaceKey } from '../store/index.js';
/** The locale a word names (`zh-TW`, `繁體`, `English` …), for commands that take a language. */
export { localeFromWord } from '../i18n/index.js';

/** staff < manager < admin. */
export type Role = 'staff' | 'manager' | 'admin';

const RANK: Record<Role, number> = { staff: 0, manager: 1, admin: 2 };

/** True when `role` includes `needed` (an admin may do what a manager may). */
export function hasRole(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}

/** A word in each locale (command names, sub-command words). */
export type LocalizedWord = Record<Locale, string>;

/** How an argument or option value is read. Values always stay strings (UserIDs like `0012`) unless declared. */
export type ValueType = 'string' | 'list' | 'int' | 'date' | 'flag';

/**
 * What WeCom accepts of a text value, declared beside it and enforced by the parser before any call, so the error
 * names the field by its label. For a list, each item.
 */
export interface TextLimits {
  /** The most characters (WeCom counts characters for names and remarks). */
  readonly maxChars?: number;
  /** The most UTF-8 bytes (WeCom counts bytes for message texts). */
  readonly maxBytes?: number;
  /** What the text must look like: an http(s) link (only those are sent to customers), a phone number. */
  readonly format?: 'url' | 'phone';
}

/**
 * A positional argument. Its label in usage lines and errors is `commands.<id>.labels.<name>` in the locale; its
 * description in help is `commands.<id>.options.<name>` (when there is one).
 */
export interface ArgSpec extends TextLimits {
  readonly name: string;
  readonly type: Exclude<ValueType, 'flag'>;
  readonly required?: boolean;
  /** Takes every remaining word (joined with spaces, or all of them for a list). */
  readonly rest?: boolean;
  /** Allowed values; the handler's type narrows to them. */
  readonly choices?: readonly string[];
}

/** A `--name value` option; labelled and described like an {@link ArgSpec}. */
export interface OptionSpec extends TextLimits {
  readonly name: string;
  readonly type: ValueType;
  /** Refused by the parser when absent, naming its label and the usage line of the action. */
  readonly required?: boolean;
  /** Shown as `[redacted]` in the audit log (free texts, messages to customers). */
  readonly redact?: boolean;
  /** For `int`: the accepted range. */
  readonly min?: number;
  readonly max?: number;
  /** Allowed values (e.g. 1|2); the handler's type narrows to them. */
  readonly choices?: readonly string[];
  /** Options that must be given with this one (`--link` needs `--title`). */
  readonly needs?: readonly string[];
}

/** The value a declared argument or option has in a handler. */
export type ValueOf<S extends { type: ValueType; choices?: readonly string[] }> = S['type'] extends 'list'
  ? string[]
  : S['type'] extends 'int'
    ? number
    : S['type'] extends 'flag'
      ? boolean
      : S extends { choices: readonly (infer C)[] }
        ? C
        : string;

type Present<S> = S extends { required: true } ? true : S extends { type: 'flag' } ? true : false;

/** The handler's `ctx.args`, inferred from an action's declared arguments and options. */
export type ArgsOf<A extends readonly ArgSpec[], O extends readonly OptionSpec[]> = {
  [S in A[number] | O[number] as Present<S> extends true ? S['name'] : never]: ValueOf<S>;
} & {
  [S in A[number] | O[number] as Present<S> extends true ? never : S['name']]?: ValueOf<S>;
};

/** Parsed values by name, as the dispatcher and the audit log see them. */
export type ArgValues = Record<string, string | string[] | number | boolean | undefined>;

/** What a confirm action proposes: the summary the card shows, and what execution will need. */
export interface Plan {
  summary: Reply;
  /**
   * What the proposal is about (`transfer:zhouba`): a newer proposal on the same subject retires the older ones that
   * still wait, so an old card can never run a plan that a newer one replaced.
   */
  subject?: string;
  /** Key/value rows of the card (at most 6: counts, from, to …). */
  fields?: [string, string][];
  /** JSON-serialisable; stored with the proposal and handed back to `execute`. */
  payload: unknown;
}

/** What happened to a command, a click or an event. */
export type Decision = 'denied' | 'proposed' | 'confirmed' | 'cancelled' | 'executed' | 'failed';

/** A declared argument or option, as an error or a reason names it. */
export interface FieldRef {
  kind: 'option' | 'argument';
  name: string;
}

/**
 * Why an audited action was refused, cancelled or failed, kept as data (schema 2 of the store) and said in the
 * reader's language when /审计 shows it.
 */
export type AuditReason =
  /** A role was missing. */
  | { kind: 'role'; needed: Role }
  /**
   * Bad input, as the message `key` said it with its `params` (strings cut short). `fields` names the parameters that
   * are a declared field, `members` those that are a member (by UserID): both are labelled in the reader's language.
   */
  | { kind: 'input'; key: string; params?: Record<string, string | number>; fields?: Record<string, FieldRef>; members?: Record<string, string> }
  /** WeCom answered with this errcode. */
  | { kind: 'wecom'; errcode: number }
  /** WeCom did not answer; a write may have been applied all the same. */
  | { kind: 'noAnswer'; maybeApplied: boolean }
  /** A confirmation card that no longer counted: a newer one replaced it, someone else clicked it, it expired. */
  | { kind: 'proposal'; why: 'superseded' | 'notProposer' | 'expired' }
  /** Anything else: the error's name (its message goes to the log, never to the audit). */
  | { kind: 'error'; name: string };

/** One line of the audit log. */
export interface AuditEntry {
  /** ISO time. */
  time: string;
  userid: string;
  /** Action id (`transfer`, `tags.delete`, `help`, `welcome.event`). */
  command: string;
  args: ArgValues;
  decision: Decision;
  errcode?: number;
  durationMs?: number;
  /** Why it was refused, cancelled or failed: data, said in the reader's language when the log is read. */
  reason?: AuditReason;
  /** The confirmation code, for proposals and what follows them. */
  code?: string;
}

/** Reading the audit log (`/审计`). */
export interface AuditReader {
  recent(query: { user?: string; limit: number }): Promise<AuditEntry[]>;
}

/** One line of a command's help: how an argument or option is written, and what it is for. */
export interface FieldHelp {
  syntax: string;
  description: string;
}

/** The commands a member can be told about (`/帮助`), with their usage generated from their declarations. */
export interface CommandCatalog {
  readonly commands: readonly CommandDefinition[];
  /** The command named `word` in any locale, if any. */
  resolve(word: string): { command: CommandDefinition } | undefined;
  /** The commands a member with `role` may run at least one action of, in the catalog's order. */
  permitted(role: Role): CommandDefinition[];
  /** The usage line of each of the command's actions, in `locale` (names, sub-command words and labels). */
  usage(command: CommandDefinition, locale: Locale): { action: Action; line: string }[];
  /** Each argument and option the command declares, with its description in `locale`. */
  fields(command: CommandDefinition, locale: Locale): FieldHelp[];
  /** How an error names a field of the action `actionId` in `locale`: "原成员（--from）" for an option, its label for an argument. */
  fieldName(actionId: string, field: FieldRef, locale: Locale): string;
  /** An action id as recorded in the audit log (`transfer.all`) as a member types it in `locale` (`/转接 全部`). */
  spoken(actionId: string, locale: Locale): string | undefined;
  /**
   * The command line an audited action was run with, as the member would type it in `locale`
   * (`/转接 全部 --from zhouba --to lisi`): arguments in place, options as `--name value`.
   */
  spokenLine(actionId: string, args: Readonly<Record<string, unknown>>, locale: Locale): string | undefined;
}

/** A long-running piece of work kept in the store, so a restart resumes it. */
export interface JobRecord<S = unknown> {
  id: string;
  /** The CorpID it was started for (absent in jobs of stores older than schema 1, which are the store's corp's). */
  corp?: string;
  type: string;
  /** Who started it (progress and the summary go to them). */
  user: string;
  locale: Locale;
  state: S;
  status: 'running' | 'done' | 'failed';
  /** Until when the running process owns it (renewed as it works); 0 when released. */
  leaseUntil: number;
  createdAt: number;
  updatedAt: number;
}

/** What a job runner gets besides its record. */
export interface JobControl<S> {
  /** Saves the state (after each step) and renews the lease. */
  save(state: S): Promise<void>;
  /** True once the process is stopping: the runner returns at the next step boundary. */
  readonly stopping: boolean;
}

/**
 * Runs one type of job from its saved state to the end; must be safe to call again on a resumed job. `ctx` speaks
 * as the member who started it, in their locale.
 */
export type JobRunner<S = unknown> = (job: JobRecord<S>, control: JobControl<S>, ctx: CommandContext) => Promise<void>;

/** Starting durable jobs (a transfer of thousands of customers). */
export interface JobStarter {
  /** Starts a job of a type some command declared in `jobs`; it runs in the background and survives restarts. */
  start<S>(type: string, user: string, locale: Locale, state: S): Promise<JobRecord<S>>;
}

/** Someone who holds a role, and where it comes from. */
export interface RoleHolder {
  userid: string;
  role: 'admin' | 'manager';
  /** `root`: BOT_ADMINS; `config`: BOT_MANAGERS; `chat`: given with /角色; `leader`: a department leader. */
  source: 'root' | 'config' | 'chat' | 'leader';
  /** For `chat`: who gave it, and when (ms). */
  by?: string;
  at?: number;
}

/** The roles beyond staff, as /角色 reads and changes them. */
export interface RoleRegistry {
  /** Everyone who holds a role, read fresh from the store. */
  list(): Promise<RoleHolder[]>;
  /** Where a member's role comes from (after {@link list} or at the start of a message). */
  sourceOf(userid: string): RoleHolder['source'] | undefined;
  /** Gives a role in chat; effective at once, for every instance. */
  grant(userid: string, role: 'admin' | 'manager', by: string): Promise<void>;
  /** Takes back a role given in chat; false when there was none. */
  revoke(userid: string): Promise<boolean>;
}

/** Services the bot gives commands, each as narrow as its use. */
export interface BotServices {
  catalog: CommandCatalog;
  audit: AuditReader;
  /** Stores a member's reply language (`/语言`). */
  setLocale(user: string, locale: Locale): Promise<void>;
  /** Confirms or cancels the proposal with this code, as its card's buttons do (`/确认`, `/取消`). */
  decide(user: string, code: string, choice: 'confirm' | 'cancel', locale: Locale): Promise<void>;
  jobs: JobStarter;
  /** Every admin, the root ones (BOT_ADMINS) and those given in chat: notices without a known recipient go to them. */
  readonly admins: string[];
  roles: RoleRegistry;
}

/** Everything a handler may use; `A` is its arguments as declared. */
export interface CommandContext<A = ArgValues> {
  /** The member who typed the command. */
  user: string;
  role: Role;
  locale: Locale;
  /** The corp's time zone (BOT_TIMEZONE, an IANA name): what "today" and "last week" mean. */
  timeZone: string;
  args: A;
  client: WeComClient;
  store: Store;
  log: Logger;
  services: BotServices;
  /** A localized string. */
  t(key: string, params?: Record<string, string | number>): string;
  /** A localized string in another locale (after /语言 switched it). */
  translate(locale: Locale, key: string, params?: Record<string, string | number>): string;
  /** A localized list (examples). */
  list(key: string): string[];
  /** What separates the items of a list in this locale: 、 in Chinese, ", " in English. */
  listSeparator: string;
  /** Sends an interim reply now (progress of a long job). */
  send(reply: Reply): Promise<void>;
  /**
   * Refuses unless `userid` is the sender or the sender has at least `role` ("own data only" for staff).
   * @throws PermissionDenied
   */
  requireSelfOr(userid: string, role: Role): void;
}

/** One action of a command: the command itself or one of its sub-commands (see {@link action}). */
export interface Action {
  /** The sub-command word in each locale; absent for the command's main action. */
  sub?: LocalizedWord;
  /** Stable id for audit and i18n keys (`customers.detail`). Defaults to the command id (main) or `<id>.<sub en>`. */
  id?: string;
  role: Role;
  args?: readonly ArgSpec[];
  options?: readonly OptionSpec[];
  /** Runs a plain action; `undefined` when it already said everything itself. */
  run?(ctx: CommandContext): Promise<Reply | undefined>;
  /** For confirm actions: what will happen, shown on the card. */
  plan?(ctx: CommandContext): Promise<Plan>;
  /** For confirm actions: runs after the proposer confirmed. */
  execute?(ctx: CommandContext, payload: unknown): Promise<Reply>;
  /** Likely answers for a required value the member left out: the bot asks for it with these as buttons. */
  ask?: AskChoices;
}

/** A likely answer to a question the bot asks: the value, and the button's text. */
export interface AskChoice {
  value: string;
  label: string;
}

/** Per declared field, where the likely answers come from (asked for when the member leaves the field out). */
export type AskChoices = Readonly<Record<string, (ctx: CommandContext) => Promise<AskChoice[]>>>;

/** An action as written, its handlers typed by its own declarations. */
export interface ActionSpec<A extends readonly ArgSpec[], O extends readonly OptionSpec[], P> {
  sub?: LocalizedWord;
  id?: string;
  role: Role;
  args?: A;
  options?: O;
  run?(ctx: CommandContext<ArgsOf<A, O>>): Promise<Reply | undefined>;
  plan?(ctx: CommandContext<ArgsOf<A, O>>): Promise<Plan & { payload: P }>;
  execute?(ctx: CommandContext<ArgsOf<A, O>>, payload: P): Promise<Reply>;
  ask?: AskChoices;
}

/**
 * Declares one action; `ctx.args` of its handlers is inferred from `args` and `options` (a required option is a
 * value, an optional one may be undefined, a flag is a boolean, choices narrow to their union), and `execute` gets
 * the payload type its `plan` returned. The parser enforces the same declaration before the handler runs.
 */
export function action<const A extends readonly ArgSpec[] = [], const O extends readonly OptionSpec[] = [], P = unknown>(spec: ActionSpec<A, O, P>): Action {
  // The parser guarantees the declared shape, so the handlers may be stored with the general context type.
  return spec as unknown as Action;
}

/** Which customer-contact events a command handles, by the kind of the inbound event. */
export type EventKind = Exclude<Inbound['kind'], 'text' | 'template_card'>;

/** What an event handler may use: the services, and a way to speak as (or to) a member. */
export interface EventContext {
  services: BotServices;
  client: WeComClient;
  store: Store;
  log: Logger;
  /** The context of a command run by `user` (to reuse its helpers), in that member's locale. */
  contextFor(user: string): Promise<CommandContext>;
  /** Records what the handler did in the audit log, as a command's run is recorded. */
  record(entry: Omit<AuditEntry, 'time'>): Promise<void>;
}

/** An event handler: resolves when done; every handler declared for an event runs. */
export type EventHandler<K extends EventKind> = (inbound: Extract<Inbound, { kind: K }>, ctx: EventContext) => Promise<void>;

/** One file (or folder) in `commands/`: a command with its names, actions, jobs and event handlers. */
export interface CommandDefinition {
  /** ASCII, stable: i18n keys `commands.<id>.*`, audit entries, permissions. */
  id: string;
  names: LocalizedWord;
  /** Further names (e.g. `customer` beside `customers`). */
  aliases?: string[];
  actions: Action[];
  /** Durable job types this command starts (resumed after a restart). */
  jobs?: Record<string, JobRunner<never>>;
  /** Handlers of customer-contact events, by event kind. */
  events?: { [K in EventKind]?: EventHandler<K> };
}

/** Declares a command (the default export of its file in `commands/`). */
export function defineCommand(definition: CommandDefinition): CommandDefinition {
  return definition;
}

/**
 * The bot's own errors carry a brand (a registered symbol) and are recognised by it rather than by `instanceof`, so
 * an error thrown by a command file loaded as another module instance (a test runner mixing loaders) still counts.
 */
const BRAND = Symbol.for('wecom-contact-ops.error');

type Brand = 'denied' | 'user' | 'parse';

function branded(err: unknown, brand: Brand): boolean {
  return typeof err === 'object' && err !== null && (err as { [BRAND]?: Brand })[BRAND] === brand;
}

/** Raised by a handler (or `requireSelfOr`) to refuse; answered in the user's locale and audited as denied. */
export class PermissionDenied extends Error {
  readonly [BRAND]: Brand = 'denied';

  constructor(readonly needed: Role) {
    super(`needs role ${needed}`);
    this.name = 'PermissionDenied';
  }

  /** True for a PermissionDenied from any module instance. */
  static is(err: unknown): err is PermissionDenied {
    return branded(err, 'denied');
  }
}

/**
 * Bad input a handler found (unknown tag, remark too long …): answered with the localized message, nothing called.
 * With `choice`, the input was ambiguous (a name several members share): the member is asked to pick one of
 * `choices` in place of `word`, and the command runs again with it.
 */
export class UserError extends Error {
  readonly [BRAND]: Brand = 'user';

  constructor(
    readonly key: string,
    readonly params: Record<string, string | number> = {},
    readonly choice?: { word: string; choices: AskChoice[] },
    /** Parameters that label a member (`{ user: 'zhangsan' }` for "张三（zhangsan）"): the audit relabels them. */
    readonly members: Readonly<Record<string, string>> = {},
  ) {
    super(key);
    this.name = 'UserError';
  }

  /** True for a UserError from any module instance. */
  static is(err: unknown): err is UserError {
    return branded(err, 'user');
  }
}

/**
 * A command line that cannot be read (quotes, options, values); `key` names the localized explanation, and `field`
 * the declared argument or option it is about (the bot names it by its label, `{field}` in the message).
 */
export class ParseError extends Error {
  readonly [BRAND]: Brand = 'parse';

  constructor(
    readonly key: string,
    readonly params: Record<string, string | number> = {},
    readonly field?: FieldRef,
    /** Other parameters that name a declared field (`{needed}` in "--link needs --title"), named by label too. */
    readonly fields: Readonly<Record<string, FieldRef>> = {},
  ) {
    super(key);
    this.name = 'ParseError';
  }

  /** True for a ParseError from any module instance. */
  static is(err: unknown): err is ParseError {
    return branded(err, 'parse');
  }
}
