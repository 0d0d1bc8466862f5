import type { Locale } from '../config.js';
import type { Logger } from '../log.js';
import type { Reply } from '../render/reply.js';
import type { Store } from '../store/index.js';
import type { WeComClient } from '../wecom/index.js';
import type { AuditLog } from './audit.js';
import type { Inbound } from '../callback/inbound.js';
import type { Confirmations } from './confirm.js';
import type { JobRunner, Jobs } from './jobs.js';
import type { Preferences } from './locale.js';
import type { ProposalFlow } from './proposals.js';
import type { Registry } from './registry.js';

/** staff < manager < admin. */
export type Role = 'staff' | 'manager' | 'admin';

/** A word in each locale (command names, sub-command words). */
export type LocalizedWord = Record<Locale, string>;

/** How an argument or option value is read. Values always stay strings (UserIDs like `0012`). */
export type ValueType = 'string' | 'list' | 'int' | 'date' | 'flag';

/** A positional argument. */
export interface ArgSpec {
  name: string;
  type: Exclude<ValueType, 'flag'>;
  required?: boolean;
  /** Takes every remaining word (joined with spaces). */
  rest?: boolean;
}

/** A `--name value` option. */
export interface OptionSpec {
  name: string;
  type: ValueType;
  /** Shown as `[redacted]` in the audit log (free texts, messages to customers). */
  redact?: boolean;
  /** For `int`: the accepted range. */
  min?: number;
  max?: number;
  /** Allowed values (e.g. 1|2). */
  choices?: string[];
}

/** Parsed values by name: strings, string lists, numbers, booleans. */
export type ArgValues = Record<string, string | string[] | number | boolean | undefined>;

/** What a confirm action proposes: the summary the card shows, and what execution will need. */
export interface Plan {
  summary: Reply;
  /** Key/value rows of the card (at most 6: counts, from, to …). */
  fields?: [string, string][];
  /** JSON-serialisable; stored with the proposal and handed back to `execute`. */
  payload: unknown;
}

/** Services the bot gives commands (help reads the registry, audit reads the log …). */
export interface BotServices {
  registry: Registry;
  audit: AuditLog;
  prefs: Preferences;
  confirmations: Confirmations;
  proposals: ProposalFlow;
  jobs: Jobs;
  /** BOT_ADMINS (notices without a known recipient go to them). */
  admins: string[];
}

/** What an event handler may use: the services, and a way to tell a member something. */
export interface EventContext {
  services: BotServices;
  client: WeComClient;
  store: Store;
  log: Logger;
  /** The context of a command run by `user` (to reuse its helpers), in that member's locale. */
  contextFor(user: string): Promise<CommandContext>;
}

/** Everything a handler may use. */
export interface CommandContext {
  /** The member who typed the command. */
  user: string;
  role: Role;
  locale: Locale;
  args: ArgValues;
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
  /** A localized map (option descriptions). */
  map(key: string): Record<string, string>;
  /** Sends an interim reply now (progress of a long job). */
  send(reply: Reply): Promise<void>;
  /**
   * Refuses unless `userid` is the sender or the sender has at least `role` ("own data only" for staff).
   * @throws PermissionDenied
   */
  requireSelfOr(userid: string, role: Role): void;
}

/** One action of a command: the command itself or one of its sub-commands. */
export interface Action {
  /** The sub-command word in each locale; absent for the command's main action. */
  sub?: LocalizedWord;
  /** Stable id for audit and i18n keys (`customers.detail`). Defaults to the command id (main) or `<id>.<sub en>`. */
  id?: string;
  role: Role;
  args?: ArgSpec[];
  options?: OptionSpec[];
  /** Runs a plain action; `undefined` when it already said everything itself. */
  run?(ctx: CommandContext): Promise<Reply | undefined>;
  /** For confirm actions: what will happen, shown on the card. */
  plan?(ctx: CommandContext): Promise<Plan>;
  /** For confirm actions: runs after the proposer confirmed. */
  execute?(ctx: CommandContext, payload: unknown): Promise<Reply>;
}

/** One file in `commands/`: a command with its names and actions. */
export interface CommandDefinition {
  /** ASCII, stable: i18n keys `commands.<id>.*`, audit entries, permissions. */
  id: string;
  names: LocalizedWord;
  /** Further names (e.g. `customer` beside `customers`). */
  aliases?: string[];
  actions: Action[];
  /** Durable job types this command starts (resumed after a restart). */
  jobs?: Record<string, JobRunner<never>>;
  /**
   * Handles an event (customer-contact changes); resolves true when it did. Events are offered to every command in
   * turn.
   */
  onEvent?(inbound: Inbound, ctx: EventContext): Promise<boolean>;
}

/**
 * Brands of the bot's own errors. Checked by brand rather than `instanceof`, so an error thrown by a command file
 * loaded as another module instance (a test runner mixing CJS and ESM) is still recognised.
 */
const DENIED = Symbol.for('wecom-contact-ops.PermissionDenied');
const USER_ERROR = Symbol.for('wecom-contact-ops.UserError');

/** Raised by a handler (or `requireSelfOr`) to refuse; answered in the user's locale and audited as denied. */
export class PermissionDenied extends Error {
  readonly [DENIED] = true;

  constructor(readonly needed: Role) {
    super(`needs role ${needed}`);
    this.name = 'PermissionDenied';
  }

  /** True for a PermissionDenied from any module instance. */
  static is(err: unknown): err is PermissionDenied {
    return typeof err === 'object' && err !== null && DENIED in err;
  }
}

/**
 * Bad input a handler found (unknown tag, remark too long …): answered with the localized message, nothing called.
 */
export class UserError extends Error {
  readonly [USER_ERROR] = true;

  constructor(
    readonly key: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(key);
    this.name = 'UserError';
  }

  /** True for a UserError from any module instance. */
  static is(err: unknown): err is UserError {
    return typeof err === 'object' && err !== null && USER_ERROR in err;
  }
}
