import { action } from '../../src/bot/command.js';
import { chunk, tally, transferBatch, TRANSFER_BATCH, type Tally } from '../_lib/transfers.js';
import { changedSince, memberChoices, memberOptions, msgOption, namedMembers, outcome, planCard, transferable, type CustomersPayload } from './shared.js';

/** `/转接 <external_userid,…> --from … --to …`: named customers, in service or from a resigned member. */
export const transferCustomers = action({
  role: 'admin',
  // Without ids it is every customer of the member (as 转接 全部): `/转接` alone asks whom from and to whom.
  args: [{ name: 'ids', type: 'list' }],
  options: [...memberOptions, msgOption],
  ask: memberChoices,
  plan: async (ctx) => {
    const m = await namedMembers(ctx, ctx.args);
    const named = ctx.args.ids === undefined ? undefined : [...new Set(ctx.args.ids)];
    const { kind, ids, pending } = await transferable(ctx, m, named);
    const payload: CustomersPayload = { ...m, kind, ids };
    const title = named ? 'commands.transfer.messages.planTitle' : 'commands.transfer.messages.planAllTitle';
    return { ...(await planCard(ctx, kind, m, ids.length, title, pending.length)), subject: subjectOf(m.from), payload };
  },
  execute: async (ctx, p) => {
    const changed = await changedSince(ctx, p);
    if (changed) return changed;
    const result: Tally = { ok: 0, failed: [] };
    for (const ids of chunk(p.ids, TRANSFER_BATCH)) {
      tally(result, (await transferBatch(ctx, p.kind, ids, p.from, p.to, p.msg)).customer);
    }
    return await outcome(ctx, result.ok, result.failed, p);
  },
});

/** Proposals to move one member's customers retire each other: the newest card is the one that counts. */
export function subjectOf(from: string): string {
  return `transfer:${from.toLowerCase()}`;
}
