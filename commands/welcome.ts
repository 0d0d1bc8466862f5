import { action, defineCommand, defineNamespace, type CommandContext, type EventContext, type EventHandler } from '../src/bot/command.js';
import { bold, code, color, type Line } from '../src/render/markdown.js';
import type { Reply } from '../src/render/reply.js';
import { WeComError, type WelcomeMessage } from '../src/wecom/index.js';
import { requireContactMembers } from './_lib/members.js';
import { displayMember, memberLabels, resolveMember } from './_lib/directory.js';

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

/** Welcome messages by member (`user:<userid>`) and the default. */
const WELCOMES = defineNamespace<StoredWelcome>('welcome');

/**
 * What the last new customers' events carried: WeCom gives a welcome code to one sender only, and when the admin
 * console has a welcome message of its own it takes the code (the event comes without one).
 */
interface CodeSightings {
  /** When an event last came with a code. */
  withCode?: number;
  /** When events last came without one, and how many since the last that had one. */
  withoutCode?: number;
  without: number;
}
const SIGHTINGS = defineNamespace<CodeSightings>('welcome-codes');
/** How long the sightings say something: a week. */
const SIGHTINGS_TTL_MS = 7 * 24 * 3600_000;

const keyOf = (user: string | undefined) => (user ? `user:${user.toLowerCase()}` : DEFAULT_KEY);

function toMessage(w: StoredWelcome): WelcomeMessage {
  return {
    text: { content: w.text },
    ...(w.link ? { attachments: [{ msgtype: 'link' as const, link: { title: w.link.title, url: w.link.url } }] } : {}),
  };
}

const set = action({
  sub: { 'zh-Hans': '设置', 'zh-Hant': '設定', en: 'set' },
  role: 'admin',
  options: [
    { name: 'user', type: 'string' },
    { name: 'text', type: 'string', required: true, maxBytes: TEXT_MAX_BYTES },
    { name: 'link', type: 'string', format: 'url', needs: ['title'] },
    { name: 'title', type: 'string' },
  ],
  run: async (ctx) => {
    const { text, link: url, title } = ctx.args;
    const user = ctx.args.user === undefined ? undefined : await resolveMember(ctx, ctx.args.user);
    // A welcome for a member who cannot receive customers would never be sent.
    await requireContactMembers(ctx, user === undefined ? [] : [user], 'commands.welcome.messages.unknownMember');
    const link = url !== undefined && title !== undefined ? { url, title } : undefined;
    const stored: StoredWelcome = { text, ...(link ? { link } : {}), setBy: ctx.user, setAt: Date.now() };
    await ctx.state(WELCOMES).set(keyOf(user), stored);
    return {
      title: user ? ctx.t('messages.setUser', { user: await displayMember(ctx, user) }) : ctx.t('messages.setDefault'),
      tone: 'info',
      sections: [{ lines: [text] }],
    };
  },
});

async function view(ctx: CommandContext): Promise<Reply> {
  const person = await memberLabels(ctx);
  const entries: [string, StoredWelcome][] = [];
  for await (const entry of ctx.state(WELCOMES).entries()) entries.push(entry);
  if (entries.length === 0) return { title: ctx.t('messages.none') };
  entries.sort(([a], [b]) => (a === DEFAULT_KEY ? -1 : b === DEFAULT_KEY ? 1 : a.localeCompare(b)));
  // New customers lately came without a welcome code: the admin console's own welcome message is taking it.
  const seen = await ctx.state(SIGHTINGS).get('corp');
  const consoleTakesCodes = seen?.withoutCode !== undefined && (seen.withCode === undefined || seen.withoutCode > seen.withCode) && seen.without > 0;
  return {
    title: ctx.t('messages.title', { count: entries.length }),
    sections: [
      ...(consoleTakesCodes ? [{ lines: [color('warning', ctx.t('messages.consoleWelcome', { count: seen?.without ?? 0 }))] as Line[] }] : []),
      ...entries.map(([key, w]) => ({
        heading: [bold(key === DEFAULT_KEY ? ctx.t('messages.default') : ctx.t('messages.forUser', { user: person(key.slice(5)) }))] as Line,
        lines: [w.text, ...(w.link ? [[color('comment', ctx.t('messages.link')), w.link.title, ' ', code(w.link.url)] as Line] : [])],
      })),
    ],
  };
}

/** Notes whether a new customer's event came with a welcome code (see {@link CodeSightings}). */
async function noteCode(events: Pick<EventContext, 'state'>, withCode: boolean): Promise<void> {
  const sightings = events.state(SIGHTINGS);
  const seen = (await sightings.get('corp')) ?? { without: 0 };
  const now = Date.now();
  const next: CodeSightings = withCode ? { ...seen, withCode: now, without: 0 } : { ...seen, withoutCode: now, without: seen.without + 1 };
  await sightings.set('corp', next, SIGHTINGS_TTL_MS);
}

const clear = action({
  sub: { 'zh-Hans': '清除', 'zh-Hant': '清除', en: 'clear' },
  role: 'admin',
  options: [{ name: 'user', type: 'string' }],
  run: async (ctx) => {
    const user = ctx.args.user === undefined ? undefined : await resolveMember(ctx, ctx.args.user);
    const removed = await ctx.state(WELCOMES).delete(keyOf(user));
    const key = `commands.welcome.messages.${removed ? 'cleared' : 'nothingToClear'}${user ? 'User' : 'Default'}`;
    return {
      title: ctx.t(key, { user: user ? await displayMember(ctx, user) : '' }),
      tone: removed ? 'info' : undefined,
    };
  },
});

/** The events that may carry a welcome code: a customer added or half-added, or (会话存档) their consent given. */
const CODE_EVENTS = new Set(['add_external_contact', 'add_half_external_contact', 'msg_audit_approved']);

/**
 * A new customer (added or half-added) arrived with a welcome code, or (in a corp with 会话存档) consented, and the
 * code came then: sends the member's welcome (or the default), once, within 20 s.
 */
const sendWelcome: EventHandler<'external_contact'> = async (inbound, events) => {
  if (!CODE_EVENTS.has(inbound.changeType)) return;
  const store = events.state(WELCOMES);
  const member = inbound.userId ?? '';
  // A customer handed over to this member is not a new customer: no welcome, whatever code WeCom sent.
  const transfer = inbound.externalUserId ? await events.services.transfers.pendingOf(inbound.externalUserId) : undefined;
  if (transfer && transfer.to.toLowerCase() === member.toLowerCase()) {
    events.log.info({ event: 'welcome.skipped', why: 'transferred customer' });
    return;
  }
  const chosen = (await store.get(keyOf(member))) ?? (await store.get(DEFAULT_KEY));
  if (!chosen) return;
  if (inbound.changeType === 'add_external_contact') await noteCode(events, inbound.welcomeCode !== undefined);
  if (!inbound.welcomeCode) return;
  const started = Date.now();
  const audit = { userid: 'sys', command: 'welcome.send', args: { member, customer: inbound.externalUserId ?? '' } };
  try {
    await events.client.externalContactMessage.sendWelcome(inbound.welcomeCode, toMessage(chosen));
    await events.record({ ...audit, decision: 'executed', durationMs: Date.now() - started });
  } catch (err) {
    // A welcome code is single-use and lives 20 s: a failure is recorded, never retried. With 会话存档 the customer
    // has not consented yet (41053): the code that counts comes with msg_audit_approved.
    const errcode = WeComError.is(err) ? err.errcode : undefined;
    if (errcode === 41053) {
      events.log.info({ event: 'welcome.awaiting_consent' });
      return;
    }
    await events.record({
      ...audit,
      decision: 'failed',
      errcode,
      reason: errcode === undefined ? { kind: 'error', name: (err as Error)?.name ?? 'Error' } : { kind: 'wecom', errcode },
      durationMs: Date.now() - started,
    });
    events.log.warn({ event: 'welcome.failed', errcode });
  }
};

/** /欢迎语: welcome messages (default and per member), sent on each new customer within WeCom's 20 s. */
const welcome = defineCommand({
  id: 'welcome',
  names: { 'zh-Hans': '欢迎语', 'zh-Hant': '歡迎語', en: 'welcome' },
  actions: [set, action({ sub: { 'zh-Hans': '查看', 'zh-Hant': '查看', en: 'view' }, role: 'admin', run: view }), clear, action({ role: 'admin', run: view })],
  events: { external_contact: sendWelcome },
});

export default welcome;
