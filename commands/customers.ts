import { action, defineCommand, hasRole, PermissionDenied, UserError, type CommandContext } from '../src/bot/command.js';
import { formatDate, paginate } from '../src/render/format.js';
import { bold, code, color, type Line } from '../src/render/markdown.js';
import { row, type Reply } from '../src/render/reply.js';
import { WeComError, type ExternalContactProfile, type FollowInfo } from '../src/wecom/index.js';
import { findAnyCustomer, findCustomer } from './_lib/customerNames.js';
import { displayMember, memberLabels, resolveMember, writtenAs } from './_lib/directory.js';
import { cursorPage } from './_lib/cursorPages.js';
import { resolveTag, tagIndex, type TagIndex } from './_lib/tags.js';
import { pageFooter, requirePage } from './_lib/paging.js';

/** Customers a page. */
const PAGE_SIZE = 8;

/** WeCom's remark limits (characters), checked before calling. */
const REMARK_LIMITS = { remark: 20, desc: 150, company: 20 } as const;

function typeLabel(ctx: CommandContext, profile: ExternalContactProfile): string {
  return ctx.t(profile.type === 2 ? 'commands.customers.messages.typeWeCom' : 'commands.customers.messages.typeWeChat');
}

function customerLines(ctx: CommandContext, n: number, profile: ExternalContactProfile, follow: FollowInfo, tags: TagIndex): Line[] {
  const tagNames = follow.tag_id.map((id) => tags.byId.get(id)?.name).filter((x): x is string => Boolean(x));
  const details: Line = [
    '　',
    code(profile.external_userid),
    ...(follow.remark ? [' ', color('comment', ctx.t('messages.remark')), follow.remark] : []),
    ...(tagNames.length > 0 ? [' ', color('comment', ctx.t('messages.tags')), tagNames.join(ctx.listSeparator)] : []),
    ' ',
    color('comment', ctx.t('messages.added', { date: formatDate(follow.createtime, ctx.timeZone) })),
  ];
  const corp = profile.type === 2 && profile.corp_name ? ` · ${profile.corp_name}` : '';
  return [[`${n}. `, bold(profile.name), ' ', color('comment', `${typeLabel(ctx, profile)}${corp}`)], details];
}

async function countCustomers(ctx: CommandContext, userid: string): Promise<number> {
  try {
    return (await ctx.client.externalContact.list(userid)).external_userid.length;
  } catch (err) {
    if (WeComError.is(err) && err.errcode === 84061) return 0;
    throw err;
  }
}

/**
 * The customer `word` names, when it names no member: among the asker's own customers, and for a manager among
 * everyone's (their own first). Undefined when nobody is so called; several so called are asked about.
 */
async function customerNamed(ctx: CommandContext, word: string): Promise<string | undefined> {
  // A word longer than any id or name WeCom keeps goes on to the checks that say so, before any call.
  if (Buffer.byteLength(word) > 64 || (await ctx.services.members.named(word)).length > 0) return undefined;
  const manager = hasRole(ctx.role, 'manager');
  try {
    return manager ? await findAnyCustomer(ctx, word) : await findCustomer(ctx, word, ctx.user);
  } catch (err) {
    if (UserError.is(err) && (manager ? ['common.customerNowhere', 'common.customerNotNearby'] : ['common.customerNotFound']).includes(err.key))
      return undefined;
    throw err;
  }
}

async function listCustomers(ctx: CommandContext<{ userid?: string; tag?: string; page?: number }>): Promise<Reply> {
  const word = ctx.args.userid;
  const named = word === undefined ? undefined : await customerNamed(ctx, word);
  if (named !== undefined) return showCustomer(ctx, named);
  // A member by UserID or by name (`/客户 张三`); shown as 张三（zhangsan）.
  const target = word === undefined ? ctx.user : await resolveMember(ctx, word);
  ctx.requireSelfOr(target, 'manager');
  const who = await displayMember(ctx, target);
  // The next page's command names the member as one would type them (nobody, for one's own).
  const whose = target.toLowerCase() === ctx.user.toLowerCase() ? '' : ` ${await writtenAs(ctx, target)}`;
  const requested = ctx.args.page ?? 1;
  const name = `/${customers.names[ctx.locale]}`;
  const tagWord = ctx.args.tag;
  if (tagWord !== undefined) {
    const index = await tagIndex(ctx);
    const tagId = resolveTag(index, tagWord, ctx);
    const matching: { profile: ExternalContactProfile; follow: FollowInfo }[] = [];
    for await (const page of ctx.client.externalContact.iterateBatchGetByUser([target])) {
      for (const item of page.external_contact_list) {
        if (item.follow_info.tag_id.includes(tagId)) matching.push({ profile: item.external_contact, follow: item.follow_info });
      }
    }
    const shown = paginate(matching, requested, PAGE_SIZE);
    requirePage(requested, shown.pages, matching.length);
    const tagName = index.byId.get(tagId)?.name ?? tagWord;
    return {
      title: ctx.t('messages.titleTag', { user: who, tag: tagName, count: matching.length }),
      sections: [{ list: true, lines: shown.items.flatMap((c, i) => customerLines(ctx, (shown.page - 1) * PAGE_SIZE + i + 1, c.profile, c.follow, index)) }],
      footer: pageFooter(ctx, shown.page, shown.pages, `${name}${whose} --tag ${tagName} --page ${shown.page + 1}`),
    };
  }
  const total = await countCustomers(ctx, target);
  if (total === 0) return { title: ctx.t('messages.none', { user: who }) };
  const pages = Math.ceil(total / PAGE_SIZE);
  requirePage(requested, pages, total);
  const { result, page } = await cursorPage(ctx, `customers:${target}:${PAGE_SIZE}`, requested, (cursor) =>
    ctx.client.externalContact.batchGetByUser([target], cursor, PAGE_SIZE),
  );
  const index = await tagIndex(ctx);
  return {
    title: ctx.t('messages.title', { user: who, count: total }),
    sections: [
      {
        list: true,
        lines: result.external_contact_list.flatMap((item, i) =>
          customerLines(ctx, (page - 1) * PAGE_SIZE + i + 1, item.external_contact, item.follow_info, index),
        ),
      },
    ],
    footer: pageFooter(ctx, page, pages, `${name}${whose} --page ${page + 1}`),
  };
}

async function detail(ctx: CommandContext<{ id: string; user?: string }>): Promise<Reply> {
  // An id, or a customer of the sender (or, for a manager, of the member `--user` names) by name or remark.
  if (ctx.args.user === undefined && hasRole(ctx.role, 'manager')) return showCustomer(ctx, await findAnyCustomer(ctx, ctx.args.id));
  const member = ctx.args.user === undefined ? ctx.user : await resolveMember(ctx, ctx.args.user);
  ctx.requireSelfOr(member, 'manager');
  return showCustomer(ctx, await findCustomer(ctx, ctx.args.id, member));
}

/** A customer's profile and each member's follow-up of them; staff see only their own customers. */
async function showCustomer(ctx: CommandContext, id: string): Promise<Reply> {
  const res = await ctx.client.externalContact.get(id);
  if (ctx.role === 'staff' && !res.follow_user.some((f) => f.userid.toLowerCase() === ctx.user.toLowerCase())) {
    throw new PermissionDenied('manager');
  }
  const p = res.external_contact;
  const person = await memberLabels(ctx);
  const gender = ctx.t(`genders.${p.gender ?? 0}`);
  const profile: Line[] = [
    row(ctx.t('messages.type'), typeLabel(ctx, p)),
    row(ctx.t('messages.gender'), gender),
    ...(p.corp_full_name || p.corp_name ? [row(ctx.t('messages.company'), p.corp_full_name ?? p.corp_name ?? '')] : []),
    ...(p.position ? [row(ctx.t('messages.position'), p.position)] : []),
    row(ctx.t('common.ids.customer'), code(p.external_userid)),
  ];
  const sections = [
    { lines: profile },
    ...res.follow_user.map((f) => {
      const addWayKey = `commands.customers.addWays.${f.add_way}`;
      const addWay = ctx.t(addWayKey) === addWayKey ? ctx.t('addWays.other', { code: f.add_way }) : ctx.t(addWayKey);
      return {
        heading: [bold(ctx.t('messages.follower', { user: person(f.userid) }))] as Line,
        lines: [
          ...(f.remark ? [row(ctx.t('messages.remarkField'), f.remark)] : []),
          ...(f.description ? [row(ctx.t('messages.description'), f.description)] : []),
          ...(f.tags.length > 0 ? [row(ctx.t('messages.tagsField'), f.tags.map((tag) => `${tag.group_name}/${tag.tag_name}`).join(ctx.listSeparator))] : []),
          row(ctx.t('messages.addWay'), addWay),
          ...(f.state ? [row(ctx.t('messages.state'), code(f.state))] : []),
          ...(f.remark_mobiles?.length ? [row(ctx.t('messages.mobiles'), f.remark_mobiles.join(ctx.listSeparator))] : []),
          row(ctx.t('messages.addedAt'), formatDate(f.createtime, ctx.timeZone)),
        ],
      };
    }),
  ];
  return { title: ctx.t('messages.detailTitle', { name: p.name, type: typeLabel(ctx, p) }), sections };
}

type RemarkArgs = {
  id: string;
  user?: string;
  remark?: string;
  desc?: string;
  company?: string;
  mobiles?: string[];
};

async function remark(ctx: CommandContext<RemarkArgs>): Promise<Reply> {
  const { mobiles } = ctx.args;
  const user = ctx.args.user === undefined ? ctx.user : await resolveMember(ctx, ctx.args.user);
  // The right first: another member's customers are not looked through for someone who may not change them.
  ctx.requireSelfOr(user, 'manager');
  const id = await findCustomer(ctx, ctx.args.id, user);
  const fields = { remark: ctx.args.remark, desc: ctx.args.desc, company: ctx.args.company };
  await ctx.client.externalContact.remark({
    userid: user,
    external_userid: id,
    ...(fields.remark !== undefined ? { remark: fields.remark } : {}),
    ...(fields.desc !== undefined ? { description: fields.desc } : {}),
    ...(fields.company !== undefined ? { remark_company: fields.company } : {}),
    ...(mobiles ? { remark_mobiles: mobiles } : {}),
  });
  const lines: Line[] = [
    ...(fields.remark !== undefined ? [row(ctx.t('messages.remarkField'), fields.remark)] : []),
    ...(fields.desc !== undefined ? [row(ctx.t('messages.description'), fields.desc)] : []),
    ...(fields.company !== undefined ? [row(ctx.t('messages.company'), fields.company)] : []),
    ...(mobiles ? [row(ctx.t('messages.mobiles'), mobiles.join(ctx.listSeparator))] : []),
  ];
  const [profile, member] = await Promise.all([ctx.client.externalContact.get(id), displayMember(ctx, user)]);
  return {
    title: ctx.t('messages.remarkDone', { customer: profile.external_contact.name || id, user: member }),
    tone: 'info',
    sections: [{ lines: [...lines, row(ctx.t('common.ids.customer'), code(id))] }],
  };
}

/** /客户: a member's customers, one customer's profile, and remarks. */
const customers = defineCommand({
  id: 'customers',
  names: { 'zh-Hans': '客户', 'zh-Hant': '客戶', en: 'customers' },
  aliases: ['customer'],
  actions: [
    action({
      identifiesCustomers: true,
      role: 'staff',
      args: [{ name: 'userid', type: 'string' }],
      options: [
        { name: 'tag', type: 'string' },
        { name: 'page', type: 'int', min: 1, max: 100_000 },
      ],
      run: listCustomers,
    }),
    action({
      identifiesCustomers: true,
      sub: { 'zh-Hans': '详情', 'zh-Hant': '詳情', en: 'detail' },
      role: 'staff',
      args: [{ name: 'id', type: 'string', required: true }],
      options: [{ name: 'user', type: 'string' }],
      run: detail,
    }),
    action({
      identifiesCustomers: true,
      sub: { 'zh-Hans': '备注', 'zh-Hant': '備註', en: 'remark' },
      role: 'staff',
      args: [{ name: 'id', type: 'string', required: true }],
      options: [
        { name: 'user', type: 'string' },
        { name: 'remark', type: 'string', maxChars: REMARK_LIMITS.remark },
        { name: 'desc', type: 'string', maxChars: REMARK_LIMITS.desc },
        { name: 'company', type: 'string', maxChars: REMARK_LIMITS.company },
        { name: 'mobiles', type: 'list', format: 'phone' },
      ],
      anyOf: [['remark', 'desc', 'company', 'mobiles']],
      run: remark,
    }),
  ],
});

export default customers;
