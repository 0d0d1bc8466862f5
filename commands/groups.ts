import { action, defineCommand, foldScript, PermissionDenied, UserError, type CommandContext } from '../src/bot/command.js';
import { formatDate } from '../src/render/format.js';
import { bold, code, color, type Line } from '../src/render/markdown.js';
import { row, type Reply } from '../src/render/reply.js';
import { cursorPage } from './_lib/cursorPages.js';
import { findGroup, groupChoices } from './_lib/groupNames.js';
import { memberLabels, resolveMembers } from './_lib/directory.js';
import { pageFooter, requirePage } from './_lib/paging.js';

/** --status in words (any script) as WeCom's status_filter: 0 all, 1 owner left (waiting), 2 inheriting, 3 inherited. */
const STATUS_WORDS: Record<string, 0 | 1 | 2 | 3> = {
  '0': 0,
  全部: 0,
  all: 0,
  '1': 1,
  待继承: 1,
  waiting: 1,
  '2': 2,
  继承中: 2,
  inheriting: 2,
  '3': 3,
  已继承: 3,
  inherited: 3,
};

/** The status filter a word names. @throws UserError listing the words when it names none. */
function statusOf(word: string | undefined): 0 | 1 | 2 | 3 {
  if (word === undefined) return 0;
  const status = STATUS_WORDS[foldScript(word)];
  if (status === undefined) throw new UserError('commands.groups.messages.badStatus', { value: word });
  return status;
}

/** Group chats a page (each costs one groupchat/get). */
const PAGE_SIZE = 10;

async function list(ctx: CommandContext<{ who?: string[]; owner?: string[]; status?: string; page?: number }>): Promise<Reply> {
  const words = [...(ctx.args.who ?? []), ...(ctx.args.owner ?? [])];
  let owners: string[];
  try {
    owners = await resolveMembers(ctx, words);
  } catch (err) {
    // `/群 赵六的客户群1`: a word that names no member may name a group chat.
    const unknown = UserError.is(err) && (err.key === 'common.memberUnknown' || err.key === 'common.memberUnknownNear');
    const chat = unknown && words.length === 1 ? await findGroup(ctx, words[0]!).catch(() => undefined) : undefined;
    if (chat === undefined) throw err;
    return showGroup(ctx, chat);
  }
  // Staff see their own chats: the owner filter is always set for them.
  if (ctx.role === 'staff') for (const owner of owners) ctx.requireSelfOr(owner, 'manager');
  const filter = ctx.role === 'staff' ? [ctx.user] : owners;
  const status = statusOf(ctx.args.status);
  const requested = ctx.args.page ?? 1;
  const scope = `groups:${status}:${filter.join(',') || '*'}`;
  // The total first (ids only, 1,000 a call): every role sees how many there are, and a page past the end says so.
  const ownerFilter = filter.length > 0 ? { owner_filter: { userid_list: filter } } : {};
  let total = 0;
  for await (const found of ctx.client.externalContact.iterateGroupChats({ status_filter: status, ...ownerFilter, limit: 1000 }))
    total += found.group_chat_list.length;
  if (total === 0) return { title: ctx.t('messages.none') };
  const pages = Math.ceil(total / PAGE_SIZE);
  requirePage(requested, pages, total);
  const { result, page } = await cursorPage(ctx, scope, requested, (cursor) =>
    ctx.client.externalContact.getGroupChats({
      status_filter: status,
      ...(filter.length > 0 ? { owner_filter: { userid_list: filter } } : {}),
      cursor,
      limit: PAGE_SIZE,
    }),
  );
  if (result.group_chat_list.length === 0) return { title: ctx.t('messages.none') };
  const details = await Promise.all(result.group_chat_list.map((c) => ctx.client.externalContact.getGroupChat(c.chat_id)));
  const person = await memberLabels(ctx);
  const lines = details.flatMap(({ group_chat: g }, i): Line[] => {
    const customers = g.member_list.filter((m) => m.type === 2).length;
    const st = result.group_chat_list[i]!.status;
    return [
      [
        `${(page - 1) * PAGE_SIZE + i + 1}. `,
        bold(g.name || ctx.t('messages.unnamed')),
        ' ',
        color('comment', ctx.t('messages.owner', { owner: person(g.owner) })),
      ],
      [
        '　',
        code(g.chat_id),
        ' ',
        ctx.t('messages.members', { total: g.member_list.length, customers }),
        ...(st !== 0 ? [' ', color('warning', ctx.t(`statuses.${st}`))] : []),
      ],
    ];
  });
  const name = `/${groups.names[ctx.locale]}`;
  const ownerArg = owners.length > 0 ? ` --owner ${owners.join(',')}` : '';
  return {
    title: ctx.t('messages.title', { total }),
    sections: [{ lines }],
    footer: pageFooter(ctx, page, pages, `${name}${ownerArg} --page ${page + 1}`),
  };
}

async function detail(ctx: CommandContext<{ id: string }>): Promise<Reply> {
  return showGroup(ctx, await findGroup(ctx, ctx.args.id));
}

/** One chat: its owner, members, notice; staff see only their own chats. */
async function showGroup(ctx: CommandContext, id: string): Promise<Reply> {
  const { group_chat: g } = await ctx.client.externalContact.getGroupChat(id, 1);
  if (ctx.role === 'staff' && g.owner.toLowerCase() !== ctx.user.toLowerCase()) throw new PermissionDenied('manager');
  const staff = g.member_list.filter((m) => m.type === 1);
  const customers = g.member_list.filter((m) => m.type === 2);
  const person = await memberLabels(ctx);
  return {
    title: ctx.t('messages.detailTitle', { name: g.name || ctx.t('messages.unnamed') }),
    sections: [
      {
        lines: [
          row(ctx.t('messages.ownerField'), bold(person(g.owner))),
          row(ctx.t('messages.created'), formatDate(g.create_time, ctx.timeZone)),
          row(ctx.t('messages.staffCount'), String(staff.length)),
          row(ctx.t('messages.customerCount'), String(customers.length)),
          ...(g.admin_list.length > 0 ? [row(ctx.t('messages.admins'), g.admin_list.map((a) => person(a.userid)).join(ctx.listSeparator))] : []),
          row(ctx.t('messages.notice'), g.notice || ctx.t('messages.noNotice')),
          row(ctx.t('common.ids.chat'), code(g.chat_id)),
        ],
      },
      {
        heading: [bold(ctx.t('messages.staffHeading', { count: staff.length }))] as Line,
        lines: [staff.map((m) => person(m.userid)).join(ctx.listSeparator)],
      },
      {
        heading: [bold(ctx.t('messages.customersHeading', { count: customers.length }))] as Line,
        lines: [
          customers
            .slice(0, 30)
            .map((m) => m.name ?? m.userid)
            .join(ctx.listSeparator) + (customers.length > 30 ? ` ${ctx.t('commands.transfer.messages.more', { count: customers.length - 30 })}` : ''),
        ],
      },
    ],
  };
}

/** /群: customer group chats (staff: their own) and one chat's details. */
const groups = defineCommand({
  id: 'groups',
  names: { 'zh-Hans': '群', 'zh-Hant': '群', en: 'groups' },
  aliases: ['group'],
  actions: [
    action({
      role: 'staff',
      args: [{ name: 'who', type: 'list' }],
      options: [
        { name: 'owner', type: 'list' },
        { name: 'status', type: 'string' },
        { name: 'page', type: 'int', min: 1, max: 100_000 },
      ],
      run: list,
    }),
    action({
      identifiesCustomers: true,
      sub: { 'zh-Hans': '详情', 'zh-Hant': '詳情', en: 'detail' },
      role: 'staff',
      args: [{ name: 'id', type: 'string', required: true, rest: true }],
      ask: { id: groupChoices },
      run: detail,
    }),
  ],
});

export default groups;
