import { action } from '../../src/bot/command.js';
import { paginate } from '../../src/render/format.js';
import { bold, code, type Line } from '../../src/render/markdown.js';
import { customerNames } from '../_lib/customerNames.js';
import { pageFooter, requirePage } from '../_lib/paging.js';
import { row } from '../../src/render/reply.js';
import type { TransferStatus } from '../../src/wecom/index.js';
import { memberLabels } from '../_lib/directory.js';
import { handoverKind } from '../_lib/transfers.js';
import { memberOptions, namedMembers } from './shared.js';

/** Customers waiting, a page. */
const PAGE_SIZE = 20;

/** `/转接 结果 --from … --to …`: where each customer of a transfer stands (taken over, waiting, refused …). */
export const transferResult = action({
  identifiesCustomers: true,
  sub: { 'zh-Hans': '结果', 'zh-Hant': '結果', en: 'result' },
  role: 'admin',
  options: [...memberOptions, { name: 'page', type: 'int', min: 1, max: 100_000 }],
  run: async (ctx) => {
    const m = await namedMembers(ctx, ctx.args);
    const kind = await handoverKind(ctx, m.from);
    const api = ctx.client.externalContact;
    const pair = { handover_userid: m.from, takeover_userid: m.to };
    const pages = kind === 'onjob' ? api.iterateTransferResult(pair) : api.iterateResignedTransferResult(pair);
    const byStatus = new Map<TransferStatus, string[]>();
    for await (const page of pages) {
      for (const c of page.customer) byStatus.set(c.status, [...(byStatus.get(c.status) ?? []), c.external_userid]);
    }
    const total = [...byStatus.values()].reduce((a, ids) => a + ids.length, 0);
    const nameOf = await memberLabels(ctx);
    const [from, to] = [nameOf(m.from), nameOf(m.to)];
    if (total === 0) return { title: ctx.t('messages.noResults', { from, to }) };
    const waiting = byStatus.get(2) ?? [];
    const shown = paginate(waiting, ctx.args.page ?? 1, PAGE_SIZE);
    if (waiting.length > 0) requirePage(ctx.args.page ?? 1, shown.pages, waiting.length);
    // Names, not ids: a waiting customer is found among the takeover's customers, else still the handover's.
    const names = await customerNames(ctx, m.to, shown.items);
    const unnamed = shown.items.filter((id) => !names.has(id));
    for (const [id, name] of await customerNames(ctx, m.from, unnamed)) names.set(id, name);
    return {
      title: ctx.t('messages.resultsTitle', { from, to, total }),
      sections: [
        {
          lines: ([1, 2, 3, 4, 5] as TransferStatus[])
            .filter((st) => byStatus.has(st))
            .map((st): Line => row(ctx.t(`statuses.${st}`), bold(byStatus.get(st)?.length ?? 0))),
        },
        ...(waiting.length > 0
          ? [
              {
                heading: [bold(ctx.t('messages.waitingHeading', { count: waiting.length }))] as Line,
                lines: shown.items.map((id): Line => {
                  const name = names.get(id);
                  return name ? [bold(name), ' ', code(id)] : code(id);
                }),
              },
            ]
          : []),
      ],
      footer: pageFooter(ctx, shown.page, shown.pages, ctx.t('messages.resultsNext', { from: ctx.args.from, to: ctx.args.to, page: shown.page + 1 })),
    };
  },
});
