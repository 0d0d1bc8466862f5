import { action, defineCommand, hasRole, type CommandContext } from '../src/bot/command.js';
import { formatDate, paginate } from '../src/render/format.js';
import { bold, code, color, type Line } from '../src/render/markdown.js';
import { chatsWaiting, unassignedByMember } from './_lib/transfers.js';
import { pageFooter, requirePage } from './_lib/paging.js';
import { memberLabels, writtenAs } from './_lib/directory.js';

/**
 * What to do next: an admin gets the transfer of the first member's customers with the member filled in; anyone
 * else is told an admin hands them over (they may not run /转接 themselves).
 */
function nextStep(ctx: CommandContext, member: string, onlyChats: boolean): Line {
  if (!hasRole(ctx.role, 'admin')) return color('comment', ctx.t('messages.askAdmin'));
  const example = onlyChats ? 'commands.resigned.messages.chatsExample' : 'commands.resigned.messages.transferExample';
  return [color('comment', ctx.t('messages.hint')), ' ', code(ctx.t(example, { user: member }))];
}

/** Resigned members a page. */
const PAGE_SIZE = 20;

/** /离职 [--page N]: customers of resigned members awaiting a new owner, grouped by member. */
const resigned = defineCommand({
  id: 'resigned',
  names: { 'zh-Hans': '离职', 'zh-Hant': '離職', en: 'resigned' },
  actions: [
    action({
      role: 'manager',
      options: [{ name: 'page', type: 'int', min: 1, max: 100_000 }],
      run: async (ctx) => {
        const { byMember: waiting, inTransfer } = await unassignedByMember(ctx);
        const byMember = new Map([...waiting].map(([user, e]) => [user, { ...e, chats: 0 }]));
        // Group chats waiting for a new owner: a resigned member with chats and no customers is listed too.
        for (const [owner, chats] of await chatsWaiting(ctx, waiting.keys())) {
          const entry = byMember.get(owner) ?? { count: 0, chats: 0, dimission: 0 };
          entry.chats = chats.length;
          byMember.set(owner, entry);
        }
        const inTransferLine = inTransfer > 0 ? [ctx.t('messages.inTransfer', { count: inTransfer })] : [];
        if (byMember.size === 0) {
          return {
            title: ctx.t(inTransfer > 0 ? 'commands.resigned.messages.allInTransfer' : 'commands.resigned.messages.none', { count: inTransfer }),
            tone: 'info',
          };
        }
        const total = [...byMember.values()].reduce((a, e) => a + e.count, 0);
        const chats = [...byMember.values()].reduce((a, e) => a + e.chats, 0);
        const sorted = [...byMember.entries()].sort((a, b) => b[1].count - a[1].count || b[1].chats - a[1].chats);
        const shown = paginate(sorted, ctx.args.page ?? 1, PAGE_SIZE);
        const person = await memberLabels(ctx);
        requirePage(ctx.args.page ?? 1, shown.pages, sorted.length);
        return {
          title:
            chats === 0
              ? ctx.t('messages.title', { members: byMember.size, customers: total })
              : total === 0
                ? ctx.t('messages.titleOnlyChats', { members: byMember.size, chats })
                : ctx.t('messages.titleWithChats', { members: byMember.size, customers: total, chats }),
          sections: [
            {
              lines: shown.items.map(
                ([user, e]): Line => [
                  bold(person(user)),
                  ' ',
                  [
                    ...(e.count > 0 ? [ctx.t('messages.count', { count: e.count })] : []),
                    ...(e.chats > 0 ? [ctx.t('messages.chats', { count: e.chats })] : []),
                  ].join(ctx.listSeparator),
                  ...(e.dimission > 0 ? [' ', color('comment', ctx.t('messages.since', { date: formatDate(e.dimission, ctx.timeZone) }))] : []),
                ],
              ),
            },
            {
              lines: [
                ...inTransferLine,
                nextStep(ctx, await writtenAs(ctx, sorted[0]?.[0] ?? ''), (sorted[0]?.[1].count ?? 0) === 0),
                // Group chats are handed over with their own command: shown too when there are any.
                ...(chats > 0 && hasRole(ctx.role, 'admin') && (sorted[0]?.[1].count ?? 0) > 0
                  ? [nextStep(ctx, await writtenAs(ctx, sorted.find(([, e]) => e.chats > 0)?.[0] ?? ''), true)]
                  : []),
              ],
            },
          ],
          footer: pageFooter(ctx, shown.page, shown.pages, `/${resigned.names[ctx.locale]} --page ${shown.page + 1}`),
        };
      },
    }),
  ],
});

export default resigned;
