import { UserError, type CommandContext } from '../../src/bot/command.js';
import { code, color, type Line } from '../../src/render/markdown.js';
import type { Section } from '../../src/render/reply.js';
import { mapLimit, WeComError, type TransferCustomerResponse } from '../../src/wecom/index.js';

/** WeCom takes at most 100 customers per transfer call. */
export const TRANSFER_BATCH = 100;

/** In service (transfer_customer) or resigned (resigned/transfer_customer). */
export type TransferKind = 'onjob' | 'resigned';

/** A customer (or group chat) WeCom did not hand over, and why. */
export interface TransferFailure {
  id: string;
  errcode: number;
}

/** Transfers counted so far: how many went through, and which failed (JSON-serialisable, kept in job states). */
export interface Tally {
  ok: number;
  failed: TransferFailure[];
}

/** Adds WeCom's per-customer answers of one transfer call to `into`. */
export function tally(into: Tally, customers: readonly { external_userid: string; errcode: number }[]): void {
  for (const c of customers) {
    if (c.errcode === 0) into.ok += 1;
    else into.failed.push({ id: c.external_userid, errcode: c.errcode });
  }
}

/** Splits a list into chunks of `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Where a member stands for customer contact, as the app can tell: in service with 客户联系 (`contact`), in service and
 * in the app's visible range without it (`noContact`), in service outside the range (`outOfRange`), or not in the
 * contacts at all (`gone`: resigned, or no such member). A member in service is never taken for a resigned one.
 */
export type Standing = 'contact' | 'noContact' | 'outOfRange' | 'gone';

/** The standing of each of `userids` (one follow-list read; the contacts are asked only about those not in it). */
export async function standings(ctx: CommandContext, userids: readonly string[]): Promise<Map<string, Standing>> {
  const { follow_user } = await ctx.client.externalContact.getFollowUsers();
  const active = new Set(follow_user.map((u) => u.toLowerCase()));
  const out = new Map<string, Standing>();
  for (const userid of userids) {
    if (active.has(userid.toLowerCase())) {
      out.set(userid, 'contact');
      continue;
    }
    try {
      await ctx.client.contacts.member(userid);
      out.set(userid, 'noContact');
    } catch (err) {
      if (WeComError.is(err) && err.errcode === 60011) out.set(userid, 'outOfRange');
      else if (WeComError.is(err) && (err.errcode === 60111 || err.errcode === 40003)) out.set(userid, 'gone');
      else throw err;
    }
  }
  return out;
}

/**
 * In service or resigned, for what needs no customers (results, group chats): a member in the customer-contact list
 * is in service; anyone else is taken as resigned.
 */
export async function handoverKind(ctx: CommandContext, userid: string): Promise<TransferKind> {
  const { follow_user } = await ctx.client.externalContact.getFollowUsers();
  return follow_user.some((u) => u.toLowerCase() === userid.toLowerCase()) ? 'onjob' : 'resigned';
}

/**
 * The takeover member must be in service with 客户联系, in the app's visible range, and have activated WeCom (docs
 * 96325, 96331): checked before any card, each refusal saying which and what an admin does about it.
 * @throws UserError naming them.
 */
export async function checkTakeover(ctx: CommandContext, to: string, standing?: Standing): Promise<void> {
  const found = standing ?? (await standings(ctx, [to])).get(to);
  if (found === 'outOfRange') throw new UserError('commands.transfer.messages.takeoverOutOfRange', { user: to });
  if (found === 'noContact') throw new UserError('commands.transfer.messages.takeoverNoContact', { user: to });
  if (found !== 'contact') throw new UserError('commands.transfer.messages.takeoverNotActive', { user: to });
  // Activation shows in the contacts (status 4: not yet); real-name verification does not (WeCom answers 40098).
  const member = await ctx.client.contacts.member(to).catch(() => undefined);
  if (member?.status === 4) throw new UserError('commands.transfer.messages.takeoverNotActivated', { user: to });
}

/** Group chats read at most to find whose they are (each is one groupchat/get). */
const MAX_WAITING_CHATS = 300;

/**
 * Customer group chats whose owner resigned and that wait for a new owner (groupchat/list status 1), by owner. A
 * resigned member with group chats and no customers is someone to hand over too (get_unassigned_list does not list
 * them). A corp over 1,000 members cannot list its chats at once (81017): there each member who left (the directory
 * keeps them a year, and those whose customers wait) is asked about alone, a few at a time, which also tells whose
 * chats they are without reading each.
 * @param waitingOwners the members whose customers wait, when the caller read them already (else they are read).
 */
export async function chatsWaiting(ctx: CommandContext, waitingOwners?: Iterable<string>): Promise<Map<string, string[]>> {
  const ids: string[] = [];
  try {
    for await (const page of ctx.client.externalContact.iterateGroupChats({ status_filter: 1, limit: 1000 })) {
      ids.push(...page.group_chat_list.map((c) => c.chat_id));
      if (ids.length >= MAX_WAITING_CHATS) break;
    }
  } catch (err) {
    if (WeComError.is(err) && err.errcode === 81017) return chatsWaitingByOwner(ctx, waitingOwners);
    throw err;
  }
  const byOwner = new Map<string, string[]>();
  for (const id of ids.slice(0, MAX_WAITING_CHATS)) {
    const { group_chat } = await ctx.client.externalContact.getGroupChat(id);
    byOwner.set(group_chat.owner, [...(byOwner.get(group_chat.owner) ?? []), id]);
  }
  return byOwner;
}

/** Owners asked about at once when a big corp's waiting chats are listed owner by owner. */
const OWNERS_AT_ONCE = 4;

/** {@link chatsWaiting} owner by owner: the members who left, from the directory and from the customers waiting. */
async function chatsWaitingByOwner(ctx: CommandContext, waitingOwners?: Iterable<string>): Promise<Map<string, string[]>> {
  const gone = (await ctx.services.members.entries()).filter((m) => m.gone).map((m) => m.userid);
  const waiting = waitingOwners ?? (await unassignedByMember(ctx)).byMember.keys();
  const owners = [...new Set([...gone, ...waiting])];
  const chats = await mapLimit(owners, OWNERS_AT_ONCE, async (owner) => {
    const ids: string[] = [];
    const filter = { status_filter: 1 as const, owner_filter: { userid_list: [owner] }, limit: 1000 };
    for await (const page of ctx.client.externalContact.iterateGroupChats(filter)) ids.push(...page.group_chat_list.map((c) => c.chat_id));
    return ids;
  });
  return new Map(owners.flatMap((owner, i) => (chats[i]!.length > 0 ? [[owner, chats[i]!] as [string, string[]]] : [])));
}

/**
 * The customers of resigned members waiting for a new owner (get_unassigned_list), by member, with when they left;
 * WeCom keeps listing a customer until the takeover, so those the bot already handed over are counted apart.
 */
export async function unassignedByMember(
  ctx: Pick<CommandContext, 'client' | 'services'>,
): Promise<{ byMember: Map<string, { count: number; dimission: number }>; inTransfer: number }> {
  const listed: { handover_userid: string; external_userid: string; dimission_time: number }[] = [];
  for await (const page of ctx.client.externalContact.iterateUnassigned()) listed.push(...page.info);
  const pending = await ctx.services.transfers.inTransfer(listed.map((info) => info.external_userid));
  const byMember = new Map<string, { count: number; dimission: number }>();
  for (const info of listed) {
    if (pending.has(info.external_userid)) continue;
    const entry = byMember.get(info.handover_userid) ?? { count: 0, dimission: info.dimission_time };
    entry.count += 1;
    byMember.set(info.handover_userid, entry);
  }
  return { byMember, inTransfer: pending.size };
}

/** A member as a transfer needs them: in service with customer contact, or resigned with customers waiting. */
export interface Handover {
  kind: TransferKind;
  /** Every customer of the member that may be transferred (a resigned member's: those waiting for assignment). */
  customers: string[];
}

/**
 * Checks both members of a transfer before any card: the takeover member as {@link checkTakeover} says, the handover
 * member in service with 客户联系, or resigned with customers waiting (get_unassigned_list). A handover member in
 * service but outside the range or without 客户联系 is told as such, never as resigned or unknown. Ids compare
 * case-insensitively, as WeCom's UserIDs do.
 * @throws UserError naming the member who is wrong and what to do.
 */
export async function checkMembers(ctx: CommandContext, from: string, to: string): Promise<Handover> {
  const found = await standings(ctx, [from, to]);
  await checkTakeover(ctx, to, found.get(to));
  const standing = found.get(from);
  if (standing === 'contact') return { kind: 'onjob', customers: await activeCustomers(ctx, from) };
  if (standing === 'outOfRange') throw new UserError('commands.transfer.messages.handoverOutOfRange', { user: from });
  if (standing === 'noContact') throw new UserError('commands.transfer.messages.handoverNoContact', { user: from });
  const waiting: string[] = [];
  for await (const page of ctx.client.externalContact.iterateUnassigned()) {
    for (const info of page.info) if (info.handover_userid.toLowerCase() === from.toLowerCase()) waiting.push(info.external_userid);
  }
  if (waiting.length === 0) {
    // A resigned member with group chats and no customers: what there is to hand over, and how.
    const chats = [...(await chatsWaiting(ctx, [from])).entries()].find(([owner]) => owner.toLowerCase() === from.toLowerCase())?.[1] ?? [];
    if (chats.length > 0) throw new UserError('commands.transfer.messages.onlyChats', { user: from, count: chats.length, to });
    throw new UserError('commands.transfer.messages.handoverUnknown', { user: from });
  }
  return { kind: 'resigned', customers: waiting };
}

/** Every customer of a member in service (one `list` call); none when WeCom says they have none (84061). */
async function activeCustomers(ctx: CommandContext, userid: string): Promise<string[]> {
  try {
    return (await ctx.client.externalContact.list(userid)).external_userid;
  } catch (err) {
    if (WeComError.is(err) && err.errcode === 84061) return [];
    throw err;
  }
}

/**
 * Transfers one batch (≤ 100) with the API of `kind`; a resigned transfer answered 40097 (member not resigned) is
 * sent again in service. Records who started each accepted transfer.
 * @returns the per-customer errcodes and the kind that was used.
 */
export async function transferBatch(
  ctx: CommandContext,
  kind: TransferKind,
  ids: string[],
  from: string,
  to: string,
  msg: string | undefined,
): Promise<{ kind: TransferKind; customer: TransferCustomerResponse['customer'] }> {
  const api = ctx.client.externalContact;
  const onjob = { external_userid: ids, handover_userid: from, takeover_userid: to, ...(msg !== undefined ? { transfer_success_msg: msg } : {}) };
  let used = kind;
  let res: TransferCustomerResponse;
  if (kind === 'resigned') {
    try {
      res = await api.resignedTransferCustomer({ external_userid: ids, handover_userid: from, takeover_userid: to });
    } catch (err) {
      if (!(WeComError.is(err) && err.errcode === 40097)) throw err;
      used = 'onjob';
      res = await api.transferCustomer(onjob);
    }
  } else {
    res = await api.transferCustomer(onjob);
  }
  const started = res.customer.filter((c) => c.errcode === 0).map((c) => c.external_userid);
  if (started.length > 0) await ctx.services.transfers.started(started, from, to, ctx.user);
  return { kind: used, customer: res.customer };
}

/** The reason of a per-customer errcode in words. */
export function reasonText(ctx: CommandContext, errcode: number): string {
  const key = `errors.wecom.${errcode}`;
  const text = ctx.t(key);
  return text === key ? ctx.t('errors.wecomUnknown', { errmsg: `errcode ${errcode}` }) : text;
}

/**
 * Failures grouped by reason: one heading per errcode with its count and what it means, then the customers it hit (at
 * most `show`), by name where `names` knows them, with their id to copy.
 */
export function failureSections(
  ctx: CommandContext,
  failed: readonly TransferFailure[],
  show = 20,
  names: ReadonlyMap<string, string> = new Map(),
  what: 'customers' | 'groups' = 'customers',
): Section[] {
  const byCode = new Map<number, string[]>();
  for (const f of failed) byCode.set(f.errcode, [...(byCode.get(f.errcode) ?? []), f.id]);
  return [...byCode.entries()].map(([errcode, ids]) => ({
    heading: [
      color('warning', ctx.t(`commands.transfer.messages.failed.${what}`, { count: ids.length, reason: reasonText(ctx, errcode) })),
      ' ',
      code(`errcode ${errcode}`),
    ] as Line,
    lines: [
      ...ids.slice(0, show).map((id): Line => {
        const name = names.get(id);
        return name ? [name, ' ', code(id)] : code(id);
      }),
      ...(ids.length > show ? [color('comment', ctx.t('commands.transfer.messages.more', { count: ids.length - show }))] : []),
    ],
  }));
}
