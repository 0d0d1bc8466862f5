/** What a handler gets: its context, the bot's services, and the catalog of commands as help reads it. */
import type { Locale } from '../../config.js';
import type { Logger } from '../../log.js';
import type { Reply } from '../../render/reply.js';
import type { Namespace, NamespaceKey, Store } from '../../store/index.js';
import type { WeComClient } from '../../wecom/index.js';
import type { MemberDirectory } from '../../contacts/members.js';
import type { CorpTags } from '../../contacts/tags.js';
import type { CustomerNames } from '../../contacts/customer-names.js';
import type { TransferLedger } from '../../contacts/transfers.js';
import type { AuditEntry, AuditReader } from './audit.js';
import type { ArgSpec, ArgValues, FieldHelp, FieldRef, LocalizedWord, OptionSpec } from './fields.js';
import type { JobStarter } from './jobs.js';
import type { Role, RoleRegistry } from './roles.js';

/** An action as the catalog describes it: its words, role and fields (a declared `Action` is one). */
export interface ActionInfo {
  sub?: LocalizedWord;
  id?: string;
  role: Role;
  args?: readonly ArgSpec[];
  options?: readonly OptionSpec[];
}

/** A command as the catalog describes it (a declared `CommandDefinition` is one). */
export interface CommandInfo {
  id: string;
  names: LocalizedWord;
  aliases?: string[];
  actions: readonly ActionInfo[];
}

/** The commands a member can be told about (`/帮助`), with their usage generated from their declarations. */
export interface CommandCatalog {
  readonly commands: readonly CommandInfo[];
  /** The command named `word` in any locale, if any. */
  resolve(word: string): { command: CommandInfo } | undefined;
  /** The commands a member with `role` may run at least one action of, in the catalog's order. */
  permitted(role: Role): CommandInfo[];
  /** The usage line of each of the command's actions, in `locale` (names, sub-command words and labels). */
  usage(command: CommandInfo, locale: Locale): { action: ActionInfo; line: string }[];
  /** Each argument and option the command declares, with its description in `locale`. */
  fields(command: CommandInfo, locale: Locale): FieldHelp[];
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

/** Services the bot gives commands, each as narrow as its use. */
export interface BotServices {
  catalog: CommandCatalog;
  audit: AuditReader;
  /** Stores a member's reply language (`/语言`). */
  setLocale(user: string, locale: Locale): Promise<void>;
  /** Confirms or cancels the proposal with this code, as its card's buttons do (`/确认`, `/取消`). */
  decide(user: string, code: string, choice: 'confirm' | 'cancel', locale: Locale): Promise<void>;
  jobs: JobStarter;
  /** The members the bot knows, by UserID, name and alias (read from the contacts at most once a day). */
  members: Pick<MemberDirectory, 'entries' | 'named' | 'closest' | 'giveName'>;
  /**
   * Each member's customers by name and remark (read from WeCom the first time, then kept current by its events): a
   * look-up by name reads no WeCom data once the member's index exists.
   */
  customerNames: Pick<CustomerNames, 'of'>;
  /** The corp's customer tags (a short cache shared by every instance) and those the bot created. */
  tags: Pick<CorpTags, 'index' | 'forget' | 'remember' | 'forgetOwn' | 'foreign'>;
  /** The transfers the bot started: who waits for WeCom's takeover, who started what. */
  transfers: TransferLedger;
  /** Every admin, the root ones (BOT_ADMINS) and those given in chat: notices without a known recipient go to them. */
  readonly admins: string[];
  roles: RoleRegistry;
  /** What the bot says on its own (alerts, digests, reminders): kept in the store until sent, once, after quiet hours. */
  notices: NoticePoster;
}

/** Posts a message the bot sends on its own (see {@link BotServices.notices}). */
export interface NoticePoster {
  /**
   * Queues `reply` (already in the member's language) for `to`; a `key` posted before (an event delivered again) is
   * not sent again. `urgent` ones are sent in quiet hours too.
   */
  post(notice: { key: string; to: string; reply: Reply; urgent?: boolean }): Promise<'posted' | 'duplicate'>;
}

/**
 * The WeCom APIs a handler calls, grouped as the docs group them: bound to the delivery being handled (its writes
 * happen once), without the HTTP layer, the client's lifecycle or its binding.
 */
export type CommandClient = Omit<WeComClient, 'http' | 'close' | 'forDelivery'>;

/** Everything a handler may use; `A` is its arguments as declared. */
export interface CommandContext<A = ArgValues> {
  /** The member who typed the command. */
  user: string;
  role: Role;
  locale: Locale;
  /** The corp's time zone (BOT_TIMEZONE, an IANA name): what "today" and "last week" mean. */
  timeZone: string;
  args: A;
  client: CommandClient;
  /** The command's own state: a namespace it declared with `defineNamespace` (shared by every instance). */
  state<V>(key: NamespaceKey<V>): Namespace<V>;
  /** Claims that one instance at a time holds (a job per member): the store's, nothing else of it. */
  claims: Pick<Store, 'claim' | 'release'>;
  log: Logger;
  services: BotServices;
  /**
   * A localized string: the command's own by the key its strings file gives it (`messages.title`), or any shared one
   * by its whole key (`common.listSeparator`, another command's `commands.<id>.…`).
   */
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

/** What an event handler may use: the services, and a way to speak as (or to) a member. */
export interface EventContext {
  services: BotServices;
  client: CommandClient;
  /** A handler's own state (see {@link CommandContext.state}). */
  state<V>(key: NamespaceKey<V>): Namespace<V>;
  log: Logger;
  /** The context of a command run by `user` (to reuse its helpers), in that member's locale. */
  contextFor(user: string): Promise<CommandContext>;
  /** Records what the handler did in the audit log, as a command's run is recorded. */
  record(entry: Omit<AuditEntry, 'time'>): Promise<void>;
}
