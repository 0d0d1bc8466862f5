import { defineNamespace, hasRole, type CommandContext, type EventContext, type EventHandler } from '../../src/bot/command.js';
import { formatDate } from '../../src/render/format.js';
import { row, type Reply } from '../../src/render/reply.js';
import type { GetExternalContactResponse } from '../../src/wecom/index.js';
import { memberLabels } from '../_lib/directory.js';
import { managersOf } from '../_lib/managers.js';
import { todayIn } from '../_lib/periods.js';
import { receiversAmong, receives, SUBSCRIPTIONS, type Item } from './items.js';

/** Deletions of customers by one member in a day past which the admins are told, subscribed or not. */
export const MANY_DELETIONS = 10;
/** How many customers each member deleted, per corp day (`<userid>:<YYYY-MM-DD>`). */
const DELETIONS = defineNamespace<number>('customer-deletions');
/** The deletion events counted already (by event), so that a delivery run again counts nothing twice. */
const COUNTED = defineNamespace<boolean>('customer-deletions-counted');
/** The name and owner of each customer group chat seen created or changed: a dismissed chat can no longer be read. */
const CHATS = defineNamespace<{ name: string; owner: string }>('group-chat-owners');

/** Posts `reply(ctx)` to each of `users` who receives `item`, in their own language. */
async function tell(
  events: EventContext,
  users: readonly string[],
  item: Item['id'] | 'always',
  key: string,
  reply: (ctx: CommandContext) => Promise<Reply>,
  urgent = false,
) {
  const receivers = await receiversAmong(events, users, item);
  for (const ctx of receivers) await ctx.services.notices.post({ key: `${key}:${ctx.user.toLowerCase()}`, to: ctx.user, reply: await reply(ctx), urgent });
  return receivers.length;
}

/** Whether any manager or admin receives `item` (store reads only: no WeCom call, no context built). */
async function anyoneReceives(events: EventContext, item: Item['id']): Promise<boolean> {
  const state = events.state(SUBSCRIPTIONS);
  for (const holder of await events.services.roles.list()) if (await receives(state, holder.userid, holder.role, item)) return true;
  return false;
}

/** The customer as WeCom still gives them, with what `member` kept about them (remark, tags, since when). */
async function customerSeenBy(events: EventContext, customer: string, member: string) {
  const found: GetExternalContactResponse | undefined = await events.client.externalContact.get(customer).catch(() => undefined);
  const follow = found?.follow_user.find((f) => f.userid.toLowerCase() === member.toLowerCase());
  return { name: found?.external_contact.name, follow };
}

/** What a lost customer's alert says: who, the remark and tags the member kept, how long they had been a customer. */
async function lostReply(
  ctx: CommandContext,
  key: 'lost' | 'teamLost',
  member: string,
  customer: string,
  seen: Awaited<ReturnType<typeof customerSeenBy>>,
  at: number,
): Promise<Reply> {
  const label = await memberLabels(ctx);
  const who = seen.name ? ctx.t('commands.transfer.messages.customerLabel', { name: seen.name, id: customer }) : customer;
  const lines = [
    ...(seen.follow?.remark ? [row(ctx.t('messages.remark'), seen.follow.remark)] : []),
    ...(seen.follow?.tags.length ? [row(ctx.t('messages.tags'), seen.follow.tags.map((t) => t.tag_name).join(ctx.listSeparator))] : []),
    ...(seen.follow?.createtime
      ? [
          row(
            ctx.t('messages.since'),
            ctx.t('messages.sinceValue', {
              date: formatDate(seen.follow.createtime, ctx.timeZone),
              days: Math.max(0, Math.floor((at - seen.follow.createtime) / 86400)),
            }),
          ),
        ]
      : []),
  ];
  return {
    title: ctx.t(`messages.${key}Title`, { customer: who, member: label(member) }),
    tone: 'warning',
    sections: [{ lines: [...lines, ctx.t(`messages.${key}Why`)] }],
    footer: ctx.t('messages.footer'),
  };
}

/**
 * Customer-contact events worth telling someone of: a customer who deleted a member (WeCom tells the member nothing),
 * a member deleting customers (many in a day often comes before someone leaves).
 */
export const onContactEvent: EventHandler<'external_contact'> = async (inbound, events) => {
  const member = inbound.userId;
  const customer = inbound.externalUserId;
  if (!member || !customer) return;
  const at = inbound.createTime || Math.floor(Date.now() / 1000);
  const key = `${inbound.changeType}:${member}:${customer}:${at}`;
  if (inbound.changeType === 'del_follow_user') {
    const seen = await customerSeenBy(events, customer, member);
    const told = await tell(events, [member], 'lost', key, (ctx) => lostReply(ctx, 'lost', member, customer, seen, at));
    const managers = await managersOf(await events.contextFor(member), member);
    const toManagers = await tell(events, managers, 'teamLost', key, (ctx) => lostReply(ctx, 'teamLost', member, customer, seen, at));
    events.log.info({ event: 'alert.lost_customer', told: told + toManagers });
    return;
  }
  if (inbound.changeType !== 'del_external_contact' || inbound.source === 'DELETE_BY_TRANSFER') return;
  const ctxOfMember = await events.contextFor(member);
  const dayKey = `${member.toLowerCase()}:${todayIn(ctxOfMember.timeZone, at * 1000)}`;
  const counts = events.state(DELETIONS);
  const counted = events.state(COUNTED);
  // Counted once per event: a delivery run again (a crash, a wait for WeCom) does not count the deletion twice.
  let count = (await counts.get(dayKey)) ?? 0;
  if (!(await counted.get(key))) {
    count += 1;
    await counts.set(dayKey, count, 2 * 86_400_000);
    await counted.set(key, true, 2 * 86_400_000);
  }
  const name = (await events.client.externalContact.get(customer).catch(() => undefined))?.external_contact.name;
  const admins = events.services.admins;
  await tell(events, admins, 'deletions', key, async (ctx) => ({
    title: ctx.t('messages.deletedTitle', {
      member: (await memberLabels(ctx))(member),
      customer: name ? ctx.t('commands.transfer.messages.customerLabel', { name, id: customer }) : customer,
    }),
    tone: 'comment',
    sections: [{ lines: [row(ctx.t('messages.today'), String(count))] }],
    footer: ctx.t('messages.footer'),
  }));
  // Past the limit, once a day per member, whatever the admins subscribed to: it often comes before someone leaves.
  if (count === MANY_DELETIONS + 1) {
    await tell(
      events,
      admins,
      'always',
      `many-deletions:${dayKey}`,
      async (ctx) => ({
        title: ctx.t('messages.manyTitle', { member: (await memberLabels(ctx))(member), count }),
        tone: 'warning',
        sections: [{ lines: [ctx.t('messages.manyWhy'), ctx.t('messages.manyNext', { member })] }],
        footer: ctx.t('messages.footer'),
      }),
      true,
    );
  }
};

/** A customer group chat dismissed: the owner's managers who subscribe are told. Chats are remembered as they change. */
export const onChatEvent: EventHandler<'external_chat'> = async (inbound, events) => {
  const chatId = inbound.chatId;
  if (!chatId) return;
  const chats = events.state(CHATS);
  // Nobody wants to hear of dismissed chats: no chat is read (a busy corp sends many chat events a second).
  if (!(await anyoneReceives(events, 'dismissed'))) return;
  // Read once per chat, and again when its owner or name changes.
  const changed = inbound.updateDetail === 'change_owner' || inbound.updateDetail === 'change_name';
  if (inbound.changeType === 'create' || (inbound.changeType === 'update' && (changed || !(await chats.get(chatId))))) {
    const chat = await events.client.externalContact
      .getGroupChat(chatId)
      .then((r) => r.group_chat)
      .catch(() => undefined);
    if (chat) await chats.set(chatId, { name: chat.name, owner: chat.owner });
    return;
  }
  if (inbound.changeType !== 'dismiss') return;
  const known = await chats.get(chatId);
  const managers = known
    ? await managersOf(await events.contextFor(known.owner), known.owner)
    : (await events.services.roles.list()).filter((h) => hasRole(h.role, 'manager')).map((h) => h.userid);
  const at = inbound.createTime || Math.floor(Date.now() / 1000);
  await tell(events, managers, 'dismissed', `dismiss:${chatId}:${at}`, async (ctx) => {
    const label = await memberLabels(ctx);
    return {
      title: known
        ? ctx.t('messages.dismissedTitle', { name: known.name || chatId, owner: label(known.owner) })
        : ctx.t('messages.dismissedUnknown', { id: chatId }),
      tone: 'comment',
      sections: [],
      footer: ctx.t('messages.footer'),
    };
  });
  if (known) await chats.delete(chatId);
};
