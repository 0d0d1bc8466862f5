import type { Locale } from '../../config.js';
import type { Logger } from '../../log.js';
import type { Reply } from '../../render/reply.js';
import type { AuditLog } from '../audit-log.js';
import type { ArgValues, CommandContext, CommandDefinition, Role } from '../command.js';
import type { Conversation, Conversations } from '../conversation.js';
import type { Preferences, UserPrefs } from '../preferences.js';
import type { ProposalFlow } from '../proposals.js';
import type { Registry, ResolvedAction } from '../registry.js';
import type { Roles } from '../roles.js';
import type { MemberDirectory } from '../../contacts/members.js';
import type { PlainLlm } from '../plain/llm.js';

/** What the stages of a turn share: the bot's services, bound to the delivery being handled (its client, its channel). */
export interface TurnServices {
  registry: Registry;
  roles: Pick<Roles, 'of'>;
  prefs: Preferences;
  audit: AuditLog;
  conversations: Conversations;
  /** The members by name, for reading plain sentences ("张三有多少客户"). */
  members: Pick<MemberDirectory, 'entries'>;
  /** A language model that may propose a command line for a sentence the grammar cannot read (BOT_LLM_*). */
  llm?: Pick<PlainLlm, 'propose'>;
  proposals: Pick<ProposalFlow, 'propose'>;
  log: Logger;
  defaultLocale: Locale;
  /** After this long a still-running handler first sends one "处理中…" line. */
  progressAfterMs: number;
  /** A handler's context for `user`, speaking `locale`, with the parsed `args`, for the command `commandId`. */
  context(user: string, locale: Locale, args: ArgValues, commandId?: string): CommandContext;
  /**
   * The same services answering the asker alone (their single chat, or the app), where the turn's channel is a group
   * chat; absent elsewhere.
   */
  privately?(): TurnServices;
  /** Sends a reply to `user` through the turn's channel (sent once across runs of the delivery). */
  reply(user: string, reply: Reply): Promise<void>;
  /**
   * Sends a note whose sending depends on timing ("处理中…"): through the bot's own channel, so it is never one of the
   * delivery's recorded writes.
   */
  progress(user: string, reply: Reply): Promise<void>;
}

/**
 * One member's message on its way through the stages: what each stage found, for the next. A stage fills its part;
 * none reads what a later one fills.
 */
export interface Turn {
  /** What the member typed (or the value of the button they picked). */
  readonly text: string;
  readonly user: string;
  /** The member's stored choices (their language, the script they last typed). */
  prefs: UserPrefs;
  /** The question the bot asked them and waits an answer to, if any. */
  conversation: Conversation | undefined;
  /** The question this turn answers (a value asked for): asked again when the command refuses the answer. */
  answered?: Conversation;
  /** The script the whole line is written in, when it tells (see scriptOf). */
  written: Locale | undefined;
  /** The words of a command line, once read (a line that cannot be read has none). */
  words?: string[];
  /** The reply's language, once the command word has told it (the locale stage sets a first guess). */
  locale: Locale;
  /** The command the line (or the answer to a question) runs, and its action with the words after it. */
  command?: CommandDefinition;
  found?: ResolvedAction;
  role?: Role;
  args?: ArgValues;
}

/**
 * A stage ends the turn (it said what there was to say) or passes it on, with the services the later stages use
 * instead when it changed where the turn answers (a group chat's question about customers answers privately).
 */
export type StageResult = 'next' | 'done' | { next: TurnServices };

/** One named step of a turn. */
export interface Stage {
  readonly name: string;
  run(turn: Turn, services: TurnServices): Promise<StageResult>;
}

/** Runs `stages` in order until one ends the turn. */
export async function runStages(stages: readonly Stage[], turn: Turn, services: TurnServices): Promise<void> {
  let current = services;
  for (const stage of stages) {
    const result = await stage.run(turn, current);
    if (result === 'done') return;
    if (result !== 'next') current = result.next;
  }
}
