import { action, UserError } from '../../src/bot/command.js';
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
    let chats: string[];
    if (words.length === 1 && ALL_WORDS.includes((words[0] ?? '').toLowerCase())) {
      chats = [];
      for await (const page of ctx.client.externalContact.iterateGroupChats({ owner_filter: { userid_list: [m.from] }, limit: 1000 })) {
        chats.push(...page.group_chat_list.map((c) => c.chat_id));
      }
      if (chats.length === 0) throw new UserError('commands.transfer.messages.noChats', { user: m.from });
    } else {
      chats = [...new Set(words)];
    }
    const payload: ChatsPayload = { from: m.from, to: m.to, kind, chats };
    const nameOf = await memberLabels(ctx);
    return {
      summary: { title: ctx.t('messages.planChatsTitle', { count: chats.length }) },
      fields: [
        [ctx.t('fields.chats'), String(chats.length)],
        [ctx.t('fields.from'), nameOf(m.from)],
        [ctx.t('fields.to'), nameOf(m.to)],
        [ctx.t('fields.kind'), ctx.t(`kinds.${kind}`)],
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
    return {
      title: ctx.t('messages.chatsDone', { ok: p.chats.length - failed.length, failed: failed.length, to: p.to }),
      tone: failed.length === 0 ? 'info' : 'warning',
      sections: failureSections(ctx, failed, 20, new Map(), 'groups'),
    };
  },
});
