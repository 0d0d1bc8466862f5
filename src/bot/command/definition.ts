/** How a command declares itself: its names, its actions and their handlers, its jobs and event handlers. */
import type { Inbound } from '../../callback/inbound.js';
import type { Reply } from '../../render/reply.js';
import type { CommandContext, EventContext } from './context.js';
import type { ArgSpec, ArgsOf, AskChoice, LocalizedWord, OptionSpec } from './fields.js';
import type { JobControl, JobRecord } from './jobs.js';
import type { Role } from './roles.js';

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
  /**
   * Its replies name customers (names, remarks, phone numbers, a customer's tags): asked in a group chat, the whole
   * turn (its questions, its card, its reply) goes to the asker privately, and the group is told so.
   */
  identifiesCustomers?: boolean;
  /** Groups of options of which exactly one must be given (`--to` or `--tag`): asked for when none is. */
  oneOf?: readonly (readonly string[])[];
  /** Groups of options of which at least one must be given (`--remark`, `--desc` …): asked for when none is. */
  anyOf?: readonly (readonly string[])[];
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
  identifiesCustomers?: boolean;
  oneOf?: readonly (readonly O[number]['name'][])[];
  anyOf?: readonly (readonly O[number]['name'][])[];
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
export type EventKind = Exclude<Inbound['kind'], 'text' | 'template_card' | 'aibot_text' | 'aibot_click'>;

/** An event handler: resolves when done; every handler declared for an event runs. */
export type EventHandler<K extends EventKind> = (inbound: Extract<Inbound, { kind: K }>, ctx: EventContext) => Promise<void>;

/**
 * Runs one type of job from its saved state to the end; must be safe to call again on a resumed job. `ctx` speaks
 * as the member who started it, in their locale.
 */
export type JobRunner<S = unknown> = (job: JobRecord<S>, control: JobControl<S>, ctx: CommandContext) => Promise<void>;

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
  /** What the command does at set times (digests, reminders), by name: each slot runs once across every instance. */
  schedules?: Record<string, Schedule>;
}

/**
 * A time of the week, of the day or of the hour, in the corp's time zone (BOT_TIMEZONE): `weekday` 1 is Monday, 0
 * Sunday; without one, every day; without an hour either, every hour at `minute`.
 */
export interface SlotTime {
  weekday?: number;
  hour?: number;
  minute: number;
}

/** A schedule: when, and what runs then. */
export interface Schedule {
  /** When it runs by default; the environment may move or turn it off (see the README). */
  at: SlotTime;
  run(ctx: ScheduleContext): Promise<void>;
}

/** What a scheduled run gets: an event handler's context, and the slot it runs for. */
export interface ScheduleContext extends EventContext {
  /** The time of the slot (ms): what "last week" means is counted from it, not from when it happens to run. */
  slot: number;
  /** Names the slot in the keys of what it posts (`weekly:2026-12-07T09:00`): a run again for the same slot posts nothing twice. */
  slotKey: string;
}

/** Declares a command (the default export of its file in `commands/`). */
export function defineCommand(definition: CommandDefinition): CommandDefinition {
  return definition;
}
