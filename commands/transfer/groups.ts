import { action, UserError, type CommandContext } from '../../src/bot/command.js';
import { WeComError } from '../../src/wecom/index.js';
import { checkTakeover, chunk, failureSections, handoverKind, TRANSFER_BATCH, type TransferFailure, type TransferKind } from '../_lib/transfers.js';
import { chatChoices, memberOptions, namedMembers } from './shared.js';
import { memberLabels } from '../_lib/directory.js';

/** The word that means "every chat of the old owner", in any locale. */
const ALL_WORDS = ['全部', 'all'];

interface ChatsPayload {
  from: string;
  to: string;
  kind: TransferKind;
  chats: string[];
}

/**
 * True when the chat is a customer group: groupchat/get knows it (86003 for a group that is not one) and a customer
 * is among its members.
 */
async function isCustomerGroup(ctx: CommandContext, chatId: string): Promise<boolean> {
  try {
    const { group_chat } = await ctx.client.externalContact.getGroupChat(chatId);
    return group_chat.member_list.some((member) => member.type === 2);
  } catch (err) {
    if (WeComError.is(err) && err.errcode === 86003) return false;
    throw err;
  }
}

/** `/转接 群 <chat_id,…|全部> --from … --to …`: customer group chats to a new owner. */
export const transferGroups = action({
  sub: { 'zh-Hans': '群', 'zh-Hant': '群', en: 'groups' },
  role: 'admin',
  args: [{ name: 'chats', type: 'list', required: true }],
  options: memberOptions,
  ask: chatChoices,
  plan: async (ctx) => {
    const m = await namedMembers(ctx, ctx.args);
    await checkTakeover(ctx, m.to);
    const kind = await handoverKind(ctx, m.from);
    const words = ctx.args.chats;
    const nameOf = await memberLabels(ctx);
    let chats: string[];
    let internal = 0;
    if (words.length === 1 && ALL_WORDS.includes((words[0] ?? '').toLowerCase())) {
      const listed: string[] = [];
      for await (const page of ctx.client.externalContact.iterateGroupChats({ owner_filter: { userid_list: [m.from] }, limit: 1000 })) {
        listed.push(...page.group_chat_list.map((c) => c.chat_id));
      }
      // "All" means the customer groups: a group of colleagues only is no customer group, and WeCom refuses to hand it
      // over (90501), so it is left out here, and the card says so.
      chats = [];
      for (const id of listed) {
        if (await isCustomerGroup(ctx, id)) chats.push(id);
        else internal++;
      }
      if (chats.length === 0) {
        throw new UserError(internal > 0 ? 'commands.transfer.messages.onlyInternalChats' : 'commands.transfer.messages.noChats', {
          user: nameOf(m.from),
          count: internal,
        });
      }
    } else {
      chats = [...new Set(words)];
    }
    const payload: ChatsPayload = { from: m.from, to: m.to, kind, chats };
    const skipped = internal > 0 ? ctx.t('messages.internalSkipped', { count: internal }) : undefined;
    return {
      summary: { title: ctx.t('messages.planChatsTitle', { count: chats.length }), ...(skipped ? { sections: [{ lines: [skipped] }] } : {}) },
      fields: [
        [ctx.t('fields.chats'), String(chats.length)],
        [ctx.t('fields.from'), nameOf(m.from)],
        [ctx.t('fields.to'), nameOf(m.to)],
        [ctx.t('fields.kind'), ctx.t(`kinds.${kind}`)],
        ...(skipped ? [[ctx.t('fields.skipped'), ctx.t('messages.internalSkippedShort', { count: internal })] as [string, string]] : []),
      ],
      payload,
    };
  },
  execute: async (ctx, p) => {
    const api = ctx.client.externalContact;
    const failed: TransferFailure[] = [];
    for (const ids of chunk(p.chats, TRANSFER_BATCH)) {
      let res = p.kind === 'onjob' ? await api.onjobTransferGroupChat(ids, p.to) : await api.transferGroupChat(ids, p.to);
      // Chats refused because the owner has not resigned go through the in-service API instead.
      const notResigned = res.failed_chat_list.filter((f) => f.errcode === 90500).map((f) => f.chat_id);
      if (p.kind === 'resigned' && notResigned.length > 0) {
        const retry = await api.onjobTransferGroupChat(notResigned, p.to);
        res = { ...res, failed_chat_list: [...res.failed_chat_list.filter((f) => f.errcode !== 90500), ...retry.failed_chat_list] };
      }
      failed.push(...res.failed_chat_list.map((f) => ({ id: f.chat_id, errcode: f.errcode })));
    }
    const nameOf = await memberLabels(ctx);
    return {
      title: ctx.t('messages.chatsDone', { ok: p.chats.length - failed.length, failed: failed.length, to: nameOf(p.to) }),
      tone: failed.length === 0 ? 'info' : 'warning',
      sections: failureSections(ctx, failed, 20, new Map(), 'groups'),
    };
  },
});
