import { action } from '../../src/bot/command.js';
import { chunk, handoverKind, tally, transferBatch, TRANSFER_BATCH, type Tally } from '../_lib/transfers.js';
import { memberOptions, members, msgOption, outcome, planCard, type CustomersPayload } from './shared.js';

/** `/转接 <external_userid,…> --from … --to …`: named customers, in service or from a resigned member. */
export const transferCustomers = action({
  role: 'admin',
  args: [{ name: 'ids', type: 'list', required: true }],
  options: [...memberOptions, msgOption],
  plan: async (ctx) => {
    const m = members(ctx.args);
    const ids = [...new Set(ctx.args.ids)];
    const kind = await handoverKind(ctx, m.from);
    const payload: CustomersPayload = { ...m, kind, ids };
    return { ...planCard(ctx, kind, m, ids.length, 'commands.transfer.messages.planTitle'), payload };
  },
  execute: async (ctx, p) => {
    const result: Tally = { ok: 0, failed: [] };
    for (const ids of chunk(p.ids, TRANSFER_BATCH)) {
      tally(result, (await transferBatch(ctx, p.kind, ids, p.from, p.to, p.msg)).customer);
    }
    return outcome(ctx, result.ok, result.failed, p);
  },
});
