import { action, defineCommand, hasRole, type CommandContext } from '../../src/bot/command.js';
import { code } from '../../src/render/markdown.js';
import type { Reply } from '../../src/render/reply.js';
import { onChatEvent, onContactEvent } from './alerts.js';
import { resignedReminder, weeklyDigest } from './digests.js';
import { ITEMS, itemChoices, itemNamed, receives, SUBSCRIPTIONS } from './items.js';

/** What the member receives and what else they may turn on, each with what it is and how to change it. */
async function list(ctx: CommandContext): Promise<Reply> {
  const state = ctx.state(SUBSCRIPTIONS);
  const allowed = ITEMS.filter((item) => hasRole(ctx.role, item.role));
  const on: string[] = [];
  const off: string[] = [];
  for (const item of allowed) {
    const line = `${ctx.t(`items.${item.id}.name`)}${ctx.t('common.clauseSeparator')}${ctx.t(`items.${item.id}.what`)}`;
    ((await receives(state, ctx.user, ctx.role, item.id)) ? on : off).push(line);
  }
  const self = ctx.services.catalog.resolve('subscribe')?.command;
  const usage = self ? ctx.services.catalog.usage(self, ctx.locale).filter((u) => u.action.sub) : [];
  return {
    title: ctx.t('messages.title', { on: on.length, all: allowed.length }),
    sections: [
      { heading: ctx.t('messages.on'), lines: on.length > 0 ? on : [ctx.t('messages.none')] },
      ...(off.length > 0 ? [{ heading: ctx.t('messages.off'), lines: off }] : []),
    ],
    footer: [ctx.t('messages.howTo'), ...usage.flatMap((u, i) => [i > 0 ? ' · ' : ' ', code(u.line)])],
  };
}

/** Turns an item on or off for the member who typed it. */
async function choose(ctx: CommandContext<{ item: string }>, on: boolean): Promise<Reply> {
  const item = itemNamed(ctx, ctx.args.item);
  const state = ctx.state(SUBSCRIPTIONS);
  const key = ctx.user.toLowerCase();
  const name = ctx.t(`items.${item.id}.name`);
  if ((await receives(state, ctx.user, ctx.role, item.id)) === on) {
    return { title: ctx.t(on ? 'messages.alreadyOn' : 'messages.alreadyOff', { item: name }), tone: 'comment' };
  }
  await state.set(key, { ...(await state.get(key)), [item.id]: on });
  return {
    title: ctx.t(on ? 'messages.turnedOn' : 'messages.turnedOff', { item: name }),
    tone: 'info',
    sections: [{ lines: [ctx.t(`items.${item.id}.what`)] }],
  };
}

/** `/订阅 开 <项目>` or `/订阅 关 <项目>`: asks which item when none is given, offering those the member may have. */
const choice = (sub: { 'zh-Hans': string; 'zh-Hant': string; en: string }, on: boolean) =>
  action({
    sub,
    role: 'staff',
    args: [{ name: 'item', type: 'string', required: true }],
    ask: { item: async (ctx) => itemChoices(ctx) },
    run: (ctx) => choose(ctx, on),
  });

/** What the bot tells a member without being asked (alerts), and the member's choice of it. */
const subscribe = defineCommand({
  id: 'subscribe',
  names: { 'zh-Hans': '订阅', 'zh-Hant': '訂閱', en: 'subscribe' },
  actions: [
    action({ role: 'staff', run: list }),
    choice({ 'zh-Hans': '开', 'zh-Hant': '開', en: 'on' }, true),
    choice({ 'zh-Hans': '关', 'zh-Hant': '關', en: 'off' }, false),
  ],
  events: { external_contact: onContactEvent, external_chat: onChatEvent },
  // Defaults; BOT_WEEKLY_DIGEST and BOT_DAILY_REMINDER move them or turn them off.
  schedules: {
    weekly: { at: { weekday: 1, hour: 9, minute: 0 }, run: weeklyDigest },
    resigned: { at: { hour: 9, minute: 30 }, run: resignedReminder },
  },
});

export default subscribe;
