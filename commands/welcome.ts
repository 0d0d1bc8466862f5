import type { CommandContext, CommandDefinition, EventHandler } from '../src/bot/command.js';
import { bold, code, color, type Line } from '../src/render/markdown.js';
import type { Reply } from '../src/render/reply.js';
import { WeComError, type WelcomeMessage } from '../src/wecom/index.js';
import { httpUrl, maxBytes, required } from './_lib/checks.js';

/** WeCom's limit for a welcome text, in bytes. */
const TEXT_MAX_BYTES = 4000;
const DEFAULT_KEY = 'default';

/** A welcome message kept in the store. */
interface StoredWelcome {
  text: string;
  link?: { url: string; title: string };
  setBy: string;
  setAt: number;
}

const keyOf = (user: string | undefined) => (user ? `user:${user.toLowerCase()}` : DEFAULT_KEY);

function toMessage(w: StoredWelcome): WelcomeMessage {
  return {
    text: { content: w.text },
    ...(w.link ? { attachments: [{ msgtype: 'link' as const, link: { title: w.link.title, url: w.link.url } }] } : {}),
  };
}

async function set(ctx: CommandContext): Promise<Reply> {
  const user = typeof ctx.args.user === 'string' ? ctx.args.user : undefined;
  const text = required('--text', typeof ctx.args.text === 'string' ? ctx.args.text : undefined);
  maxBytes('--text', text, TEXT_MAX_BYTES);
  const url = typeof ctx.args.link === 'string' ? ctx.args.link : undefined;
  httpUrl('--link', url);
  const title = typeof ctx.args.title === 'string' ? ctx.args.title : undefined;
  if (url !== undefined) required('--title', title);
  const stored: StoredWelcome = { text, ...(url ? { link: { url, title: title as string } } : {}), setBy: ctx.user, setAt: Date.now() };
  await ctx.store.namespace<StoredWelcome>('welcome').set(keyOf(user), stored);
  return { title: ctx.t(user ? 'commands.welcome.messages.setUser' : 'commands.welcome.messages.setDefault', { user: user ?? '' }), tone: 'info', sections: [{ lines: [text] }] };
}

async function view(ctx: CommandContext): Promise<Reply> {
  const entries: [string, StoredWelcome][] = [];
  for await (const entry of ctx.store.namespace<StoredWelcome>('welcome').entries()) entries.push(entry);
  if (entries.length === 0) return { title: ctx.t('commands.welcome.messages.none') };
  entries.sort(([a], [b]) => (a === DEFAULT_KEY ? -1 : b === DEFAULT_KEY ? 1 : a.localeCompare(b)));
  return {
    title: ctx.t('commands.welcome.messages.title', { count: entries.length }),
    sections: entries.map(([key, w]) => ({
      heading: [bold(key === DEFAULT_KEY ? ctx.t('commands.welcome.messages.default') : ctx.t('commands.welcome.messages.forUser', { user: key.slice(5) }))] as Line,
      lines: [w.text, ...(w.link ? [[color('comment', ctx.t('commands.welcome.messages.link')), w.link.title, ' ', code(w.link.url)] as Line] : [])],
    })),
  };
}

async function clear(ctx: CommandContext): Promise<Reply> {
  const user = typeof ctx.args.user === 'string' ? ctx.args.user : undefined;
  const removed = await ctx.store.namespace<StoredWelcome>('welcome').delete(keyOf(user));
  return {
    title: ctx.t(removed ? 'commands.welcome.messages.cleared' : 'commands.welcome.messages.nothingToClear', { target: user ?? ctx.t('commands.welcome.messages.default') }),
    tone: removed ? 'info' : undefined,
  };
}

/** A new customer arrived with a welcome code: sends the member's welcome (or the default), once, within 20 s. */
const sendWelcome: EventHandler<'external_contact'> = async (inbound, events) => {
  if (inbound.changeType !== 'add_external_contact' || !inbound.welcomeCode) return;
  const store = events.store.namespace<StoredWelcome>('welcome');
  const member = inbound.userId ?? '';
  const chosen = (await store.get(keyOf(member))) ?? (await store.get(DEFAULT_KEY));
  if (!chosen) return;
  const started = Date.now();
  const audit = { userid: 'sys', command: 'welcome.send', args: { member, customer: inbound.externalUserId ?? '' } };
  try {
    await events.client.externalContactMessage.sendWelcome(inbound.welcomeCode, toMessage(chosen));
    await events.record({ ...audit, decision: 'executed', durationMs: Date.now() - started });
  } catch (err) {
    // A welcome code is single-use and lives 20 s: a failure is recorded, never retried.
    const errcode = WeComError.is(err) ? err.errcode : undefined;
    await events.record({ ...audit, decision: 'failed', errcode, reason: (err as Error).message.slice(0, 120), durationMs: Date.now() - started });
    events.log.warn({ event: 'welcome.failed', errcode });
  }
};

/** /欢迎语: welcome messages (default and per member), sent on each new customer within WeCom's 20 s. */
const welcome: CommandDefinition = {
  id: 'welcome',
  names: { 'zh-Hans': '欢迎语', 'zh-Hant': '歡迎語', en: 'welcome' },
  actions: [
    {
      sub: { 'zh-Hans': '设置', 'zh-Hant': '設定', en: 'set' },
      role: 'admin',
      options: [
        { name: 'user', type: 'string' },
        { name: 'text', type: 'string' },
        { name: 'link', type: 'string' },
        { name: 'title', type: 'string' },
      ],
      run: set,
    },
    { sub: { 'zh-Hans': '查看', 'zh-Hant': '查看', en: 'view' }, role: 'admin', run: view },
    { sub: { 'zh-Hans': '清除', 'zh-Hant': '清除', en: 'clear' }, role: 'admin', options: [{ name: 'user', type: 'string' }], run: clear },
    { role: 'admin', run: view },
  ],
  events: { external_contact: sendWelcome },
};

export default welcome;
