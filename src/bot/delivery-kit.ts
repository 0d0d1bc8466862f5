import type { Channel } from '../channel/channel.js';
import type { Locale } from '../config.js';
import type { Reply } from '../render/reply.js';
import type { WeComClient, WorkUnit } from '../wecom/index.js';
import type { MemberDirectory } from '../contacts/members.js';
import type { CorpTags } from '../contacts/tags.js';
import type { CustomerNames } from '../contacts/customer-names.js';
import type { TransferLedger } from '../contacts/transfers.js';
import type { AuditLog } from './audit-log.js';
import type { ArgValues, BotServices, CommandContext } from './command.js';
import { commandContext, type ContextDeps } from './context.js';
import type { Conversations } from './conversation.js';
import type { Jobs, JobTiming } from './jobs.js';
import type { Preferences } from './preferences.js';
import type { ProposalStore } from './proposal-store.js';
import { ProposalFlow } from './proposals.js';
import type { Registry } from './registry.js';
import { botServices } from './services.js';
import type { Notices } from './notices.js';
import type { TurnServices } from './turn/turn.js';
import type { PlainLlm } from './plain/llm.js';
import type { AibotChannels } from '../channel/aibot/channel.js';

/** What the bot is made of; `client` and `channel` are its own, bound to each delivery it handles. */
export interface BotParts extends ContextDeps {
  defaultLocale: Locale;
  /** The CorpID jobs are recorded for (see {@link Jobs}). */
  corpId?: string;
  registry: Registry;
  prefs: Preferences;
  audit: AuditLog;
  proposalStore: ProposalStore;
  conversations: Conversations;
  /** The members the bot knows (one directory per bot, its refreshes shared). */
  members: MemberDirectory;
  /** The corp's tags (one per bot). */
  tags: CorpTags;
  /** Each member's customers by name (one index per bot, kept in the store). */
  customerNames: CustomerNames;
  /** The transfers the bot started. */
  transfers: TransferLedger;
  /** What the bot says on its own, waiting in the store until sent. */
  notices: Notices;
  /** After this long a still-running handler first sends one "处理中…" line. */
  progressAfterMs: number;
  /** BOT_LLM_*, when set. */
  llm?: PlainLlm;
  /** The 智能机器人's channels, when one of its transports is configured. */
  aibot?: AibotChannels;
  /** Job leases (tests shorten them). */
  jobTiming?: JobTiming;
  /** Told of each step a job saves (the metrics count them). */
  onJobStep?: (type: string) => void;
}

/** Everything one delivery's work uses: the turn's services, the commands' services, its client and channel. */
export interface DeliveryKit extends TurnServices {
  proposals: ProposalFlow;
  services: BotServices;
  client: WeComClient;
  channel: Channel;
}

/** Where a delivery's turn may also answer, beside its channel. */
export interface DeliveryRoutes {
  /** The asker alone, when the channel is a group chat (customer data goes there). */
  privately?: Channel;
  /** Told of each job the delivery starts (a stream shows its progress). */
  onJobStarted?: (jobId: string) => void;
}

/**
 * Binds the bot to one delivery: a WeCom client and a channel whose writes happen once across re-runs of it, and over
 * them the handler contexts, the confirmation flow, the questions and the commands' services (a job a command starts
 * is named after the delivery). Without a delivery, the bot's own (jobs run with it). Built per delivery: a few
 * objects, no I/O.
 */
export function bindDelivery(parts: BotParts, jobs: Jobs, delivery: WorkUnit | undefined, routes: DeliveryRoutes = {}): DeliveryKit {
  const client = delivery ? parts.client.forDelivery(delivery) : parts.client;
  const channel = delivery ? parts.channel.forDelivery(delivery) : parts.channel;
  const bound = { ...parts, client, channel };
  const context = (user: string, locale: Locale, args: ArgValues, commandId?: string): CommandContext =>
    commandContext(bound, services, user, locale, args, commandId);
  const proposals = new ProposalFlow({ ...bound, context, ...(delivery ? { delivery } : {}) });
  const services = botServices({
    ...parts,
    proposals,
    jobs,
    ...(delivery ? { delivery } : {}),
    ...(routes.onJobStarted ? { onJobStarted: routes.onJobStarted } : {}),
  });
  const { privately } = routes;
  return {
    ...parts,
    client,
    channel,
    proposals,
    services,
    conversations: parts.conversations.through(channel),
    context,
    reply: (user: string, reply: Reply) => channel.sendReply(user, reply),
    // Sent or not depending on timing: through the bot's own channel, never one of the delivery's recorded writes. A
    // channel that streams shows "处理中…" from the start.
    progress: (user: string, reply: Reply) => (parts.channel.capabilities.streams ? Promise.resolve() : parts.channel.sendReply(user, reply)),
    ...(privately ? { privately: () => bindDelivery({ ...parts, channel: privately }, jobs, delivery) } : {}),
  };
}
