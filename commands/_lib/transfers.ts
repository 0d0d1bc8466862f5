import { defineNamespace, UserError, type CommandContext } from '../../src/bot/command.js';
import { code, color, type Line } from '../../src/render/markdown.js';
import type { Section } from '../../src/render/reply.js';
import { WeComError, type TransferCustomerResponse } from '../../src/wecom/index.js';

/** WeCom takes at most 100 customers per transfer call. */
export const TRANSFER_BATCH = 100;

/** In service (transfer_customer) or resigned (resigned/transfer_customer). */
export type TransferKind = 'onjob' | 'resigned';

/** Who started the transfer of a customer, for the transfer_fail notice. */
export interface TransferOrigin {
  by: string;
  from: string;
  to: string;
  at: number;
}

/** A transfer_fail can come days later (WeCom takes over after 24 h): origins are kept a week. */
const ORIGIN_TTL_MS = 7 * 24 * 3600_000;

/** Who started the latest transfer involving a member, by `member:<userid>`. */
const ORIGINS = defineNamespace<TransferOrigin>('transfers');

/** Records who moves customers between these two members (one entry per member, not per customer). */
async function rememberOrigin(ctx: CommandContext, from: string, to: string): Promise<void> {
  const origins = ctx.store.namespace(ORIGINS);
  const origin = { by: ctx.user, from, to, at: Date.now() };
  await origins.set(`member:${to.toLowerCase()}`, origin, ORIGIN_TTL_MS);
  await origins.set(`member:${from.toLowerCase()}`, origin, ORIGIN_TTL_MS);
}

/** Who started the latest transfer involving this member, if the bot did. */
export function originOf(store: CommandContext['store'], userid: string): Promise<TransferOrigin | undefined> {
  return store.namespace(ORIGINS).get(`member:${userid.toLowerCase()}`);
}

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
 * In service or resigned, for what needs no customers (results, group chats): a member in the customer-contact list
 * is in service; anyone else is taken as resigned.
 */
export async function handoverKind(ctx: CommandContext, userid: string): Promise<TransferKind> {
  const { follow_user } = await ctx.client.externalContact.getFollowUsers();
  return follow_user.some((u) => u.toLowerCase() === userid.toLowerCase()) ? 'onjob' : 'resigned';
}

/** The takeover member must be in service with customer contact. @throws UserError naming them. */
export async function checkTakeover(ctx: CommandContext, to: string): Promise<void> {
  const { follow_user } = await ctx.client.externalContact.getFollowUsers();
  if (!follow_user.some((u) => u.toLowerCase() === to.toLowerCase())) throw new UserError('commands.transfer.messages.takeoverNotActive', { user: to });
}

/** A member as a transfer needs them: in service with customer contact, or resigned with customers waiting. */
export interface Handover {
  kind: TransferKind;
  /** Every customer of the member that may be transferred (a resigned member's: those waiting for assignment). */
  customers: string[];
}

/**
 * Checks both members of a transfer before any card: the takeover member must be in service with customer contact
 * (get_follow_user_list), the handover member in service too, or resigned with customers waiting
 * (get_unassigned_list). Ids compare case-insensitively, as WeCom's UserIDs do.
 * @throws UserError naming the member who is wrong and how to find the right one.
 */
export async function checkMembers(ctx: CommandContext, from: string, to: string): Promise<Handover> {
  const { follow_user } = await ctx.client.externalContact.getFollowUsers();
  const active = new Set(follow_user.map((u) => u.toLowerCase()));
  if (!active.has(to.toLowerCase())) throw new UserError('commands.transfer.messages.takeoverNotActive', { user: to });
  if (active.has(from.toLowerCase())) return { kind: 'onjob', customers: await activeCustomers(ctx, from) };
  const waiting: string[] = [];
  for await (const page of ctx.client.externalContact.iterateUnassigned()) {
    for (const info of page.info) if (info.handover_userid.toLowerCase() === from.toLowerCase()) waiting.push(info.external_userid);
  }
  if (waiting.length === 0) throw new UserError('commands.transfer.messages.handoverUnknown', { user: from });
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

/** A customer the bot handed over, until WeCom takes them over (24 h) and a little longer. */
interface PendingTransfer {
  from: string;
  to: string;
  by: string;
  at: number;
}

/** How long a started transfer is remembered: WeCom's 24 h, and an hour to spare. */
const PENDING_TTL_MS = 25 * 3600_000;

/**
 * Customers whose transfer the bot started and WeCom has not finished: WeCom answers 40129 for them, and its docs do
 * not say they leave get_unassigned_list before the takeover, so the bot keeps them itself.
 */
const PENDING = defineNamespace<PendingTransfer>('pending-transfers');

/** The customers among `ids` whose transfer is waiting for WeCom's takeover. */
export async function inTransfer(ctx: Pick<CommandContext, 'store'>, ids: readonly string[]): Promise<Set<string>> {
  const pending = ctx.store.namespace(PENDING);
  const found = new Set<string>();
  for (const id of ids) if ((await pending.get(id)) !== undefined) found.add(id);
  return found;
}

async function rememberPending(ctx: CommandContext, ids: readonly string[], from: string, to: string): Promise<void> {
  const pending = ctx.store.namespace(PENDING);
  for (const id of ids) await pending.set(id, { from, to, by: ctx.user, at: Date.now() }, PENDING_TTL_MS);
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
  if (started.length > 0) {
    await rememberOrigin(ctx, from, to);
    await rememberPending(ctx, started, from, to);
  }
  return { kind: used, customer: res.customer };
}

/** The reason of a per-customer errcode in words. */
export function reasonText(ctx: CommandContext, errcode: number): string {
  const key = `errors.wecom.${errcode}`;
  const text = ctx.t(key);
  return text === key ? ctx.t('errors.wecomUnknown', { errmsg: `errcode ${errcode}` }) : text;
}

/** Failures grouped by reason: one heading per errcode with the customers (at most `show` listed). */
export function failureSections(ctx: CommandContext, failed: readonly TransferFailure[], show = 20): Section[] {
  const byCode = new Map<number, string[]>();
  for (const f of failed) byCode.set(f.errcode, [...(byCode.get(f.errcode) ?? []), f.id]);
  return [...byCode.entries()].map(([errcode, ids]) => ({
    heading: [color('warning', `${reasonText(ctx, errcode)}（${ids.length}）`), ' ', code(`errcode ${errcode}`)] as Line,
    lines: [
      ...ids.slice(0, show).map((id): Line => code(id)),
      ...(ids.length > show ? [color('comment', ctx.t('commands.transfer.messages.more', { count: ids.length - show }))] : []),
    ],
  }));
}
