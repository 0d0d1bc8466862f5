import type { Channel } from '../../../src/channel/channel.js';
import type { Locale } from '../../../src/config.js';
import { projectCatalog } from '../../../src/i18n/index.js';
import { silentLogger } from '../../../src/log.js';
import { renderReplyLines } from '../../../src/render/reply.js';
import { createMemoryStore, type Store } from '../../../src/store/index.js';
import { AuditLog } from '../../../src/bot/audit-log.js';
import type { ArgValues, CommandContext, Role } from '../../../src/bot/command.js';
import { Conversations } from '../../../src/bot/conversation.js';
import { Preferences } from '../../../src/bot/preferences.js';
import { loadCommands, Registry } from '../../../src/bot/registry.js';
import type { Turn, TurnServices } from '../../../src/bot/turn/turn.js';

/** What the bot said in a stage test: the reply as its lines of markdown, or a card's title. */
export interface Said {
  user: string;
  text: string;
  card: boolean;
}

/** The turn stages' services in this process, over the real commands, store, audit log and questions. */
export interface StageHarness {
  services: TurnServices;
  store: Store;
  said: Said[];
  /** What the bot said to `user`, joined. */
  textTo(user: string): string;
  /** A turn as the dispatcher starts one, for `user` typing `text`. */
  turn(user: string, text: string): Turn;
  /** Handler contexts the run stage asked for (the arguments it parsed). */
  ran: { user: string; locale: Locale; args: ArgValues }[];
  close(): Promise<void>;
}

/** The members the harness's directory knows. */
const DIRECTORY = [
  { userid: 'zhangsan', name: '张三', alias: 'Jerry Zhang', seenAt: 0 },
  { userid: 'lisi', name: '李四', seenAt: 0 },
  { userid: 'zhouba', name: '周八', gone: true, seenAt: 0 },
];

let commands: Awaited<ReturnType<typeof loadCommands>> | undefined;

/** Stage services with `roles` (staff by default) and no WeCom behind them: a stage that would call it is a bug. */
export async function stageHarness(roles: Record<string, Role> = {}, defaultLocale: Locale = 'zh-Hans'): Promise<StageHarness> {
  commands ??= await loadCommands();
  const store = createMemoryStore();
  const said: Said[] = [];
  const ran: StageHarness['ran'] = [];
  const channel: Channel = {
    name: 'test',
    capabilities: { markdown: 'wecom-app', maxMessageBytes: 2048, cards: true, updatesInPlace: true },
    async sendReply(user, reply) {
      said.push({ user, text: renderReplyLines(reply).join('\n'), card: false });
    },
    async sendCard(user, card) {
      said.push({ user, text: [card.main_title?.title, ...(card.button_list ?? []).map((b) => b.text)].join('\n'), card: true });
      return {};
    },
    async updateCard() {},
    forDelivery: () => channel,
  };
  const services: TurnServices = {
    registry: new Registry(commands),
    roles: { of: (user) => roles[user] ?? 'staff' },
    prefs: new Preferences(store),
    audit: new AuditLog(store),
    conversations: new Conversations(store, { channel, log: silentLogger, texts: projectCatalog }),
    members: { entries: async () => DIRECTORY },
    proposals: { propose: async () => undefined },
    log: silentLogger,
    defaultLocale,
    progressAfterMs: 60_000,
    context: (user, locale, args) => {
      ran.push({ user, locale, args });
      return { user, locale, args, role: roles[user] ?? 'staff' } as unknown as CommandContext;
    },
    reply: (user, reply) => channel.sendReply(user, reply),
    progress: (user, reply) => channel.sendReply(user, reply),
  };
  return {
    services,
    store,
    said,
    ran,
    textTo: (user) =>
      said
        .filter((s) => s.user === user)
        .map((s) => s.text)
        .join('\n'),
    turn: (user, text) => ({ user, text, prefs: {}, conversation: undefined, written: undefined, locale: defaultLocale }),
    close: () => store.close(),
  };
}
