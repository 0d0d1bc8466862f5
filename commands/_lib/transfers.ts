import { defineNamespace, type CommandContext } from '../../src/bot/command.js';
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
 * In service or resigned: a member in the customer-contact list is in service; anyone else is taken as resigned
 * (WeCom answers 40097 if not, and the transfer then falls back to the in-service API).
 */
export async function handoverKind(ctx: CommandContext, userid: string): Promise<TransferKind> {
  const { follow_user } = await ctx.client.externalContact.getFollowUsers();
  return follow_user.some((u) => u.toLowerCase() === userid.toLowerCase()) ? 'onjob' : 'resigned';
}

/** Every customer of the handover member: one `list` call in service, the unassigned list when resigned. */
export async function customersOf(ctx: CommandContext, kind: TransferKind, userid: string): Promise<string[]> {
  if (kind === 'onjob') {
    try {
      return (await ctx.client.externalContact.list(userid)).external_userid;
    } catch (err) {
      if (WeComError.is(err) && err.errcode === 84061) return [];
      throw err;
    }
  }
  const ids: string[] = [];
  for await (const page of ctx.client.externalContact.iterateUnassigned()) {
    for (const info of page.info) if (info.handover_userid.toLowerCase() === userid.toLowerCase()) ids.push(info.external_userid);
  }
  return ids;
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
  if (res.customer.some((c) => c.errcode === 0)) await rememberOrigin(ctx, from, to);
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
