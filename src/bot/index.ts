import type { Inbound } from '../callback/inbound.js';
import type { Delivery } from '../callback/worker.js';
import type { LlmConfig, Locale } from '../config.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/index.js';
import type { WeComClient } from '../wecom/index.js';
import { Alerts } from './alerts.js';
import { AuditLog } from './audit-log.js';
import { ProposalStore, PROPOSAL_TTL_MS } from './proposal-store.js';
import { Conversations } from './conversation.js';
import { Dispatcher } from './dispatcher.js';
import { Preferences } from './preferences.js';
import { Registry } from './registry.js';
import { departmentLeaders } from './leaders.js';
import { Roles } from './roles.js';
import { DEFAULT_QUIET_HOURS, Notices, type QuietHours } from './notices.js';
import { Scheduler } from './schedule.js';
import { AppChannel, type PacingOptions, type SendOutcome } from '../channel/app.js';
import { claimLedger, memoryLedger, WECOM_PACING } from '../channel/pacing.js';
import { MemberDirectory } from '../contacts/members.js';
import type { JobTiming } from './jobs.js';
import { PlainLlm } from './plain/llm.js';
import { CorpTags } from '../contacts/tags.js';
import { CustomerNames } from '../contacts/customer-names.js';
import { TransferLedger } from '../contacts/transfers.js';
import { projectCatalog } from '../i18n/index.js';
import type { AuditEntry, CommandDefinition, JobRecord, SlotTime } from './command.js';
import { defineNamespace } from '../store/index.js';
import { AibotChannels, type AibotCardRecord } from '../channel/aibot/channel.js';
import type { AibotLink } from '../channel/aibot/link.js';
import { StreamBook } from '../channel/aibot/stream.js';

/** The cards the 智能机器人 showed, by task_id (a click on any instance finds its card and its asker). */
const AIBOT_CARDS = defineNamespace<AibotCardRecord>('aibot-cards');
/** A card's record outlives its confirmation (ten minutes) by far. */
const AIBOT_CARD_TTL_MS = 24 * 3600_000;

export { loadCommands } from './registry.js';
export { Alerts, wecomFaultAlert, type AlertOutcome, type AlertText } from './alerts.js';
export * from './command.js';

/** What the bot needs from the rest of the process. */
export interface BotDeps {
  client: WeComClient;
  store: Store;
  log: Logger;
  /** BOT_LOCALE. */
  locale: Locale;
  /** BOT_TIMEZONE (default Asia/Shanghai). */
  timeZone?: string;
  /** The CorpID jobs and proposals are recorded for: one of another corp is never run. Default: any (library use). */
  corpId?: string;
  admins: string[];
  managers: string[];
  /** BOT_MANAGERS_FROM_LEADERS: department leaders (from the contacts) are managers. */
  managersFromLeaders?: boolean;
  /** Every command (the registry refuses two commands sharing a name). */
  commands: CommandDefinition[];
  /** The locales folders of commands kept outside `commands/` (a plugin, a test's fixture), besides the project's. */
  localeDirs?: readonly string[];
  /** Per-member message pacing; default WeCom's 30 a minute. */
  pacing?: PacingOptions;
  /** When a still-running command first says "处理中…"; default 3 s. */
  progressAfterMs?: number;
  /** How long a proposal can be confirmed; default 10 minutes. */
  proposalTtlMs?: number;
  /** At most one alert of a kind in this long; default an hour. */
  alertWindowMs?: number;
  /** BOT_LLM_*: a language model that may propose a command for a sentence the grammar cannot read (off by default). */
  llm?: LlmConfig;
  /** Job leases, heartbeats and the look for dead instances' jobs (default 30 s, 10 s, 10 s; tests shorten them). */
  jobTiming?: JobTiming;
  /** Told of what the bot does, for the metrics. */
  observe?: BotObserver;
  /** BOT_QUIET_HOURS: when notices that are not urgent wait (default 22:00 to 08:00; none when from = until). */
  quietHours?: QuietHours;
  /** How often the outbox looks for what is due, and the wait after a first failed send (tests shorten them). */
  notices?: { everyMs?: number; retryFirstMs?: number };
  /** The wall clock of what the bot does on its own: quiet hours, retries, schedules (tests move it). */
  clock?: () => number;
  /** Schedules moved or turned off (`subscribe.weekly`: BOT_WEEKLY_DIGEST …), and how often the clock is looked at. */
  schedules?: { times?: Readonly<Record<string, SlotTime | 'off'>>; everyMs?: number };
  /** The 智能机器人's transports (long connection, webhook), when configured; `safeMs` ends its streams early (tests). */
  aibot?: { links: Partial<Record<'ws' | 'webhook', AibotLink>>; safeMs?: number };
}

/** What the bot tells the metrics: each audit entry (a command and how it ended), each message sent, each job step. */
export interface BotObserver {
  audit?(entry: AuditEntry): void;
  send?(outcome: SendOutcome): void;
  jobStep?(type: string): void;
}

/** The bot: takes inbound messages and events off the queue and answers through message/send. */
export interface Bot {
  /** Runs one inbound message or event; `delivery` names it so that a re-run after a crash repeats no effect. */
  handle(inbound: Inbound, delivery?: Delivery): Promise<void>;
  /** Resumes jobs a previous process left running. */
  start(): Promise<void>;
  /** Stops running jobs at their next step (they resume in the next process). */
  stop(): Promise<void>;
  /** Resolves when no job is running in this process. */
  jobsIdle(): Promise<void>;
  registry: Registry;
  audit: AuditLog;
  roles: Roles;
  /** The members the bot knows by name (the contacts, and those who left since it first read them). */
  members: MemberDirectory;
  /** Tells the admins about faults that need them. */
  alerts: Alerts;
  /** What the bot says on its own, waiting in the store until sent. */
  notices: Notices;
  /** Runs the commands' schedules (digests, reminders). */
  scheduler: Scheduler;
  /** Jobs running here that have not moved (saved a step) for `idleMs`. */
  stuckJobs(idleMs: number): JobRecord[];
  /** Jobs running in this process. */
  runningJobs(): JobRecord[];
  /** The 智能机器人's channels (its streams), when one of its transports is configured. */
  aibot?: AibotChannels;
}

/** Creates the bot from its command definitions. */
export function createBot(deps: BotDeps): Bot {
  const registry = new Registry(deps.commands, projectCatalog.with(deps.localeDirs ?? []));
  // Each member's budget (30 a minute, 1,000 an hour) is counted through the store: every instance and every restart
  // shares it. A store in memory is this process's alone, and so is its pacing.
  const pacing = deps.pacing ?? WECOM_PACING;
  const ledger = deps.store.kind === 'memory' ? memoryLedger(pacing) : claimLedger((key, ttl) => deps.store.claim(key, ttl), pacing);
  const channel = new AppChannel(deps.client, deps.log, pacing, ledger, deps.observe?.send);
  const audit = new AuditLog(deps.store, Date.now, deps.log, deps.observe?.audit);
  const members = new MemberDirectory({ client: deps.client, store: deps.store, log: deps.log });
  const roles = new Roles(deps.admins, deps.managers, deps.store, deps.managersFromLeaders ? departmentLeaders(deps.client, deps.store, deps.log) : undefined);
  const prefs = new Preferences(deps.store);
  const timeZone = deps.timeZone ?? 'Asia/Shanghai';
  const notices = new Notices({
    store: deps.store,
    channel,
    log: deps.log,
    timeZone,
    quietHours: deps.quietHours ?? DEFAULT_QUIET_HOURS,
    ...(deps.clock ? { now: deps.clock } : {}),
    ...deps.notices,
  });
  const cards = deps.store.namespace(AIBOT_CARDS);
  const aibot = deps.aibot
    ? new AibotChannels({
        links: deps.aibot.links,
        app: channel,
        book: new StreamBook(),
        cards: { get: (taskId) => cards.get(taskId), set: (taskId, record) => cards.set(taskId, record, AIBOT_CARD_TTL_MS) },
        localeOf: (user) => prefs.standingLocale(user, deps.locale),
        log: deps.log,
        ...(deps.aibot.safeMs !== undefined ? { safeMs: deps.aibot.safeMs } : {}),
      })
    : undefined;
  const alerts = new Alerts({ store: deps.store, channel, roles, prefs, log: deps.log, defaultLocale: deps.locale, windowMs: deps.alertWindowMs });
  const dispatcher = new Dispatcher({
    client: deps.client,
    store: deps.store,
    log: deps.log,
    texts: registry.catalog,
    defaultLocale: deps.locale,
    timeZone,
    corpId: deps.corpId,
    registry,
    roles,
    prefs,
    audit,
    proposalStore: new ProposalStore(deps.store, deps.proposalTtlMs ?? PROPOSAL_TTL_MS, Date.now, deps.corpId),
    conversations: new Conversations(deps.store, { channel, log: deps.log, texts: registry.catalog }),
    members,
    tags: new CorpTags({ client: deps.client, store: deps.store }),
    customerNames: new CustomerNames({ client: deps.client, store: deps.store, log: deps.log }),
    transfers: new TransferLedger(deps.store),
    notices,
    channel,
    progressAfterMs: deps.progressAfterMs ?? 3000,
    ...(deps.llm ? { llm: new PlainLlm(deps.llm, deps.log) } : {}),
    ...(aibot ? { aibot } : {}),
    ...(deps.jobTiming ? { jobTiming: deps.jobTiming } : {}),
    ...(deps.observe?.jobStep ? { onJobStep: deps.observe.jobStep } : {}),
  });
  const scheduler = new Scheduler({
    registry,
    store: deps.store,
    log: deps.log,
    timeZone,
    clock: deps.clock ?? Date.now,
    context: (commandId) => dispatcher.eventContext(commandId),
    ...(deps.schedules?.times ? { times: deps.schedules.times } : {}),
    ...(deps.schedules?.everyMs ? { everyMs: deps.schedules.everyMs } : {}),
  });
  return {
    handle: (inbound, delivery) => dispatcher.handle(inbound, delivery),
    start: async () => {
      await dispatcher.start();
      aibot?.watchCards();
      notices.start();
      scheduler.start();
    },
    stop: async () => {
      await scheduler.stop();
      await notices.stop();
      await dispatcher.stop();
      await aibot?.closeAll();
    },
    jobsIdle: () => dispatcher.jobs.idle(),
    registry,
    audit,
    roles,
    members,
    alerts,
    notices,
    scheduler,
    stuckJobs: (idleMs) => dispatcher.jobs.stuck(idleMs),
    runningJobs: () => dispatcher.jobs.runningHere(),
    ...(aibot ? { aibot } : {}),
  };
}
