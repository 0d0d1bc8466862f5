import { UserError, type AskChoices, type CommandContext, type Plan } from '../../src/bot/command.js';
import type { Reply } from '../../src/render/reply.js';
import { code, type Line } from '../../src/render/markdown.js';
import { memberLabels, memberNames, resolveMember } from '../_lib/directory.js';
import { customerNames } from '../_lib/customerNames.js';
import { contactMemberChoices } from '../_lib/members.js';
import { chatsWaiting, checkMembers, failureSections, type TransferFailure, type TransferKind } from '../_lib/transfers.js';

/** WeCom's limit for the message customers get after an in-service transfer. */
const MSG_MAX_CHARS = 200;

/** `--from` and `--to`, required by every transfer action. */
export const memberOptions = [
  { name: 'from', type: 'string', required: true },
  { name: 'to', type: 'string', required: true },
] as const;

/** `--msg`, the customers' message after an in-service transfer (a free text: kept out of the audit log). */
export const msgOption = { name: 'msg', type: 'string', redact: true, maxChars: MSG_MAX_CHARS } as const;

/** Who hands over, who takes over, and what customers are told. */
export interface Members {
  from: string;
  to: string;
  msg: string | undefined;
}

/** `--from` and `--to` as UserIDs: each may be a UserID or a member's name (`--from 周八`). */
export async function namedMembers(ctx: CommandContext, args: { from: string; to: string; msg?: string }): Promise<Members> {
  return members({ ...args, from: await resolveMember(ctx, args.from), to: await resolveMember(ctx, args.to) });
}

/**
 * The members of a transfer, checked before any call: two different members, and a message within WeCom's limit.
 * @throws UserError naming what is wrong.
 */
export function members(args: { from: string; to: string; msg?: string }): Members {
  const { from, to, msg } = args;
  if (from.toLowerCase() === to.toLowerCase()) throw new UserError('commands.transfer.messages.sameMember');
  return { from, to, msg };
}

/** The card of a customer transfer: title, kind, and the rows of counts and members. */
export async function planCard(
  ctx: CommandContext,
  kind: TransferKind,
  m: Members,
  count: number,
  titleKey: string,
  pending = 0,
): Promise<Omit<Plan, 'payload'>> {
  const kindText = ctx.t(`kinds.${kind}`);
  const nameOf = await memberLabels(ctx);
  const [from, to] = [nameOf(m.from), nameOf(m.to)];
  return {
    summary: {
      title: ctx.t(titleKey, { count }),
      sections: [
        {
          lines: [
            ...(m.msg !== undefined && kind === 'onjob' ? [ctx.t('messages.planMsg', { msg: m.msg })] : []),
            ...(pending > 0 ? [ctx.t('messages.planPending', { count: pending })] : []),
          ],
        },
      ],
    },
    fields: [
      [ctx.t('fields.count'), String(count)],
      [ctx.t('fields.from'), from],
      [ctx.t('fields.to'), to],
      [ctx.t('fields.kind'), kindText],
    ],
  };
}

/** The outcome of customer transfers: counts, then the failures grouped by reason, each customer by name. */
export async function outcome(ctx: CommandContext, ok: number, failed: TransferFailure[], m: Pick<Members, 'from' | 'to'>, show = 20): Promise<Reply> {
  const nameOf = await memberLabels(ctx);
  const [from, to] = [nameOf(m.from), nameOf(m.to)];
  // Names of the customers shown (the first `show` of each reason), where WeCom still gives them (a resigned member's
  // customers may not be readable any more).
  const shown = new Map<number, string[]>();
  for (const f of failed) {
    const ids = shown.get(f.errcode) ?? [];
    if (ids.length < show) shown.set(f.errcode, [...ids, f.id]);
  }
  const ids = [...shown.values()].flat();
  const names = ids.length === 0 ? new Map<string, string>() : await customerNames(ctx, m.from, ids).catch(() => new Map<string, string>());
  return {
    title: ctx.t('messages.done', { ok, failed: failed.length, from, to }),
    tone: failed.length === 0 ? 'info' : 'warning',
    sections: [{ lines: [ctx.t('messages.takesTime')] }, ...failureSections(ctx, failed, show, names)],
    // The customers that could not be handed over are named.
    ...(failed.length > 0 ? { private: true } : {}),
  };
}

/** What a customer transfer proposes and later executes. */
export interface CustomersPayload extends Members {
  kind: TransferKind;
  ids: string[];
}

/** What a transfer may take now, found before its card and again before it runs. */
export interface Transferable {
  kind: TransferKind;
  /** The customers to send. */
  ids: string[];
  /** Customers of the member whose transfer already waits for WeCom's takeover: not sent again. */
  pending: string[];
}

/** Customer ids shown in a message before "…and N more". */
const SHOW_IDS = 5;

function someIds(ctx: CommandContext, ids: readonly string[]): string {
  const shown = ids.slice(0, SHOW_IDS).join(ctx.listSeparator);
  return ids.length <= SHOW_IDS ? shown : `${shown} ${ctx.t('messages.more', { count: ids.length - SHOW_IDS })}`;
}

/**
 * The customers a transfer may take: the handover member's (all of them, or those named), less those already in
 * transfer. Both members are checked first (see checkMembers).
 * @throws UserError when a named customer is not the member's, or nothing is left to send.
 */
export async function transferable(ctx: CommandContext, m: Members, named?: readonly string[]): Promise<Transferable> {
  const handover = await checkMembers(ctx, m.from, m.to);
  if (named) {
    const own = new Set(handover.customers);
    const foreign = named.filter((id) => !own.has(id));
    if (foreign.length > 0) throw new UserError('commands.transfer.messages.notTheirs', { user: m.from, ids: someIds(ctx, foreign), count: foreign.length });
  }
  const candidates = named ?? handover.customers;
  const pending = await ctx.services.transfers.inTransfer(candidates);
  const ids = candidates.filter((id) => !pending.has(id));
  if (ids.length === 0 && pending.size > 0) {
    throw new UserError('commands.transfer.messages.allInTransfer', { user: (await memberLabels(ctx))(m.from), count: pending.size }, undefined, {
      user: m.from,
    });
  }
  if (ids.length === 0) throw new UserError('commands.transfer.messages.nothing', { user: m.from });
  return { kind: handover.kind, ids, pending: [...pending] };
}

/**
 * Checks a confirmed transfer again before it runs: the card may be old, and customers may have moved or gone into
 * transfer since. Returns what changed, to report instead of executing; undefined when the plan still holds.
 */
export async function changedSince(ctx: CommandContext, p: CustomersPayload): Promise<Reply | undefined> {
  const handover = await checkMembers(ctx, p.from, p.to);
  const own = new Set(handover.customers);
  const pending = await ctx.services.transfers.inTransfer(p.ids);
  const moved = p.ids.filter((id) => !own.has(id) || pending.has(id));
  if (moved.length === 0) return undefined;
  return {
    title: ctx.t('messages.changed', { count: moved.length, total: p.ids.length, from: p.from }),
    tone: 'warning',
    sections: [{ lines: [...moved.slice(0, 20).map((id): Line => code(id)), ctx.t('messages.proposeAgain')] }],
  };
}

/** Who may take over: members in service with 客户联系, by name. */
const takeoverChoices = contactMemberChoices;

/** Choices of `/转接 群` left without a member: resigned owners whose chats wait (with their count), and new owners. */
export const chatChoices: AskChoices = {
  from: async (ctx) => {
    const nameOf = await memberNames(ctx);
    return [...(await chatsWaiting(ctx)).entries()]
      .sort((a, b) => b[1].length - a[1].length)
      .map(([userid, chats]) => ({
        value: userid,
        label: ctx.t('messages.choiceChats', { name: nameOf(userid) ?? userid, count: chats.length }),
      }));
  },
  to: takeoverChoices,
};

/** Choices offered when a member is left out: who may hand over (resigned with customers waiting) and who may take over. */
export const memberChoices: AskChoices = {
  from: async (ctx) => {
    const listed: { handover_userid: string; external_userid: string }[] = [];
    for await (const page of ctx.client.externalContact.iterateUnassigned()) listed.push(...page.info);
    // Those already handed over wait for WeCom's takeover: not offered again.
    const pending = await ctx.services.transfers.inTransfer(listed.map((info) => info.external_userid));
    const waiting = new Map<string, number>();
    for (const info of listed) if (!pending.has(info.external_userid)) waiting.set(info.handover_userid, (waiting.get(info.handover_userid) ?? 0) + 1);
    // A button has room for about ten characters: the short name (or the UserID) and the count.
    const nameOf = await memberNames(ctx);
    const withCustomers = [...waiting.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([userid, count]) => ({ value: userid, label: ctx.t('messages.choiceWaiting', { name: nameOf(userid) ?? userid, count }) }));
    // Resigned members with group chats and no customers: picking one says how to hand the chats over.
    const onlyChats = [...(await chatsWaiting(ctx, waiting.keys())).entries()]
      .filter(([owner]) => !waiting.has(owner))
      .map(([userid, chats]) => ({
        value: userid,
        label: ctx.t('messages.choiceChats', { name: nameOf(userid) ?? userid, count: chats.length }),
      }));
    return [...withCustomers, ...onlyChats];
  },
  to: takeoverChoices,
};
