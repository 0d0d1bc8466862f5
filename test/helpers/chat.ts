import { expect } from 'chai';
import type { CommandDefinition, BotDeps } from '../../src/bot/index.js';
import { silentLogger, type Logger } from '../../src/log.js';
import { startRuntime, type Runtime, type RuntimeOptions } from '../../src/runtime.js';
import { createSimulator, type CapturedMessage, type Simulator, type SimulatorOptions } from '../../src/simulator/index.js';
import { testConfig } from './runtime.js';
import type { ButtonInteractionCard } from '../../src/wecom/types/index.js';

/** Options of a chat test: who has which role, where state lives, extra commands, bot tuning. */
export interface ChatOptions {
  admins?: string[];
  managers?: string[];
  storeUrl?: string;
  locale?: string;
  sim?: SimulatorOptions;
  extraCommands?: CommandDefinition[];
  /** The locales folders of `extraCommands`. */
  extraLocaleDirs?: string[];
  bot?: Pick<BotDeps, 'pacing' | 'progressAfterMs' | 'proposalTtlMs' | 'alertWindowMs' | 'notices' | 'quietHours' | 'clock' | 'schedules'>;
  /** Runtime tuning: the start checks, the watchdog, how many deliveries run at once. */
  runtime?: Pick<RuntimeOptions, 'checks' | 'watch' | 'concurrency' | 'now' | 'wecomTimeoutMs' | 'wecomFrequencyWindowMs' | 'inboxAgeLimitMs' | 'aibot'>;
  /** Where the bot logs (default nowhere). */
  log?: Logger;
  /** Further environment of the contract (STORE_PREFIX, BOT_MANAGERS_FROM_LEADERS …). */
  env?: Record<string, string>;
  /**
   * How a member's typed line reaches the bot: `http` seals it and POSTs it as WeCom does, through the durable inbox
   * and the worker (the default: every chat test exercises the whole road); `direct` hands it to the bot's turn
   * pipeline in this process (no callback crypto, HTTP or inbox). A line delivered several times (WeCom's retries),
   * clicks and events always take the HTTP road.
   */
  transport?: 'direct' | 'http';
}

/** A member in a chat test. */
export interface Member {
  /** Types `text` to the app (delivered `times` times, as WeCom retries) and resolves with the bot's answers. */
  say(text: string, times?: number): Promise<CapturedMessage[]>;
  /** Clicks a button of a card the bot sent, and resolves with what the bot said next. */
  click(card: CapturedMessage, key: string, times?: number): Promise<CapturedMessage[]>;
}

/** A piece of a reply a test looks for. */
export type Expected = string | RegExp;

/** A simulator and a bot wired together over real HTTP and real crypto. */
export interface Chat {
  sim: Simulator;
  bot: Runtime;
  as(userid: string): Member;
  /**
   * Types `input` as `user` and checks the answer as a person reads it: every expected piece (a text or a pattern)
   * is in the text of the replies (markdown as sent, card titles and texts), and none of `absent` is.
   * @returns the replies, for further checks.
   */
  shouldReply(user: string, input: string, expected: Expected | Expected[], absent?: Expected[]): Promise<CapturedMessage[]>;
  /** Stops the bot and starts a new one on the same store (a restart). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** The text of a captured message: markdown content, or a card's title, texts, fields (`name: value`) and buttons. */
export function textOf(message: CapturedMessage): string {
  if (message.content !== undefined) return message.content;
  const card = message.card as Partial<ButtonInteractionCard> | undefined;
  return [
    card?.main_title?.title,
    card?.main_title?.desc,
    card?.sub_title_text,
    ...(card?.horizontal_content_list ?? []).map((f) => `${f.keyname}: ${f.value ?? ''}`),
    ...(card?.button_list ?? []).map((b) => b.text),
  ]
    .filter(Boolean)
    .join('\n');
}

/** Starts a simulator (small demo corp) and a bot pointed at it. */
export async function startChat(options: ChatOptions = {}): Promise<Chat> {
  const sim = await createSimulator({ members: 10, customers: 300, seed: 3, ...options.sim });
  const env = {
    ...sim.botEnv(),
    STORE_URL: options.storeUrl ?? 'memory://',
    BOT_ADMINS: (options.admins ?? []).join(','),
    BOT_MANAGERS: (options.managers ?? []).join(','),
    ...(options.locale ? { BOT_LOCALE: options.locale } : {}),
    ...options.env,
  };
  const start = async () => {
    const config = testConfig(env);
    const runtime = await startRuntime(config, {
      log: options.log ?? silentLogger,
      wecom: config.wecom!,
      extraCommands: options.extraCommands,
      extraLocaleDirs: options.extraLocaleDirs,
      bot: options.bot,
      ...options.runtime,
    });
    sim.botUrl = runtime.url;
    return runtime;
  };
  let bot = await start();
  let typed = 0;
  const settle = () => bot.worker.onIdle();
  const after = (seq: number, userid: string) => sim.captures.messages.filter((m) => m.seq > seq && m.touser.includes(userid));
  const as = (userid: string): Member => ({
    async say(text, times = 1) {
      const seq = sim.captures.lastSeq;
      if (times === 1 && options.transport === 'direct') {
        await settle();
        await bot.bot.handle({
          kind: 'text',
          toUserName: sim.corpId,
          fromUserName: userid,
          createTime: sim.corp.nowSeconds(),
          agentId: undefined,
          msgId: `direct-${++typed}`,
          content: text,
        });
      } else await sim.sendText(userid, text, times);
      await settle();
      return after(seq, userid);
    },
    async click(card, key, times = 1) {
      const seq = sim.captures.lastSeq;
      const taskId = card.card?.task_id;
      if (!taskId) throw new Error('not a card');
      await sim.clickCard(userid, taskId, key, times);
      await settle();
      return after(seq, userid);
    },
  });
  return {
    sim,
    get bot() {
      return bot;
    },
    as,
    async shouldReply(user, input, expected, absent = []) {
      const replies = await as(user).say(input);
      const text = replies.map(textOf).join('\n');
      for (const piece of Array.isArray(expected) ? expected : [expected]) {
        if (typeof piece === 'string') expect(text, `${user}: ${input}`).to.contain(piece);
        else expect(text, `${user}: ${input}`).to.match(piece);
      }
      for (const piece of absent) {
        if (typeof piece === 'string') expect(text, `${user}: ${input}`).not.to.contain(piece);
        else expect(text, `${user}: ${input}`).not.to.match(piece);
      }
      return replies;
    },
    async restart() {
      await bot.stop();
      bot = await start();
    },
    async close() {
      await bot.stop();
      await sim.close();
    },
  };
}

/** As `user` (an admin): creates a tag, proposes deleting it, and returns the card's typed fallback code. */
export async function proposeTagDeletion(chat: Chat, user: string): Promise<string> {
  await chat.as(user).say('/标签 新增 临时 待删');
  const [card] = await chat.as(user).say('/标签 删除 待删');
  const code = /[A-Z0-9]{6}/.exec(JSON.stringify(card?.card ?? {}))?.[0];
  if (!code) throw new Error('no code on the card');
  return code;
}
