import { action, defineCommand, UserError, type CommandContext } from '../src/bot/command.js';
import { bold, color, type Line } from '../src/render/markdown.js';
import type { Reply } from '../src/render/reply.js';
import { WeComError } from '../src/wecom/index.js';
import { findCustomer } from './_lib/customerNames.js';
import { requireOwnTags, resolveTag, tagIndex } from './_lib/tags.js';
import { displayMember, resolveMember } from './_lib/directory.js';

/** WeCom's limit for tag and group names. */
const NAME_MAX = 30;

async function show(ctx: CommandContext): Promise<Reply> {
  const index = await tagIndex(ctx, true);
  if (index.groups.length === 0) return { title: ctx.t('messages.none') };
  const count = index.byId.size;
  return {
    title: ctx.t('messages.title', { groups: index.groups.length, tags: count }),
    sections: index.groups.map((g) => ({
      heading: [bold(g.group_name), ' ', color('comment', `(${g.tag.length})`)] as Line,
      lines: [g.tag.map((t) => t.name).join(ctx.listSeparator)],
    })),
    footer: ctx.t('messages.nameOrId'),
  };
}

async function add(ctx: CommandContext<{ group: string; tags: string[] }>): Promise<Reply> {
  const { group } = ctx.args;
  const names = [...new Set(ctx.args.tags)];
  const index = await tagIndex(ctx, true);
  const existing = index.groups.find((g) => g.group_name === group);
  // WeCom refuses a name the group has already (40071): say which, before calling.
  const taken = names.filter((name) => existing?.tag.some((t) => t.name === name));
  if (taken.length > 0) throw new UserError('commands.tags.messages.exists', { names: taken.join(ctx.listSeparator), group });
  const res = await ctx.client.externalContact.addCorpTag({
    ...(existing ? { group_id: existing.group_id } : { group_name: group }),
    tag: names.map((name) => ({ name })),
  });
  await ctx.services.tags.remember([...res.tag_group.tag, ...(existing ? [] : [{ id: res.tag_group.group_id, name: group }])], ctx.user);
  await ctx.services.tags.forget();
  return {
    title: ctx.t(existing ? 'commands.tags.messages.addedTo' : 'commands.tags.messages.addedGroup', { group, count: res.tag_group.tag.length }),
    tone: 'info',
    sections: [{ lines: [res.tag_group.tag.map((t) => t.name).join(ctx.listSeparator)] }],
  };
}

async function rename(ctx: CommandContext<{ tag: string; name: string; order?: number }>): Promise<Reply> {
  const index = await tagIndex(ctx, true);
  const id = resolveTag(index, ctx.args.tag, ctx);
  await requireOwnTags(ctx, index, [id]);
  const { name, order } = ctx.args;
  await ctx.client.externalContact.updateCorpTag(id, name, order);
  await ctx.services.tags.forget();
  return { title: ctx.t('messages.renamed', { old: index.byId.get(id)?.name ?? id, name }), tone: 'info' };
}

interface DeletePayload {
  ids: string[];
}

async function planDelete(ctx: CommandContext<{ tags: string[] }>) {
  const index = await tagIndex(ctx, true);
  const ids = [...new Set(ctx.args.tags.map((word) => resolveTag(index, word, ctx)))];
  await requireOwnTags(ctx, index, ids);
  const names = ids.map((id) => `${index.byId.get(id)?.group}/${index.byId.get(id)?.name}`);
  const emptied = index.groups.filter((g) => g.tag.every((t) => ids.includes(t.id))).map((g) => g.group_name);
  return {
    summary: {
      title: ctx.t('messages.deleteTitle', { count: ids.length }),
      sections: [
        {
          lines: [
            names.join(ctx.listSeparator),
            ctx.t('messages.deleteEffect'),
            ...(emptied.length > 0 ? [ctx.t('messages.deleteGroups', { groups: emptied.join(ctx.listSeparator) })] : []),
          ],
        },
      ],
    },
    fields: [[ctx.t('fields.count'), String(ids.length)]] as [string, string][],
    payload: { ids } satisfies DeletePayload,
  };
}

async function executeDelete(ctx: CommandContext, { ids }: DeletePayload): Promise<Reply> {
  await ctx.client.externalContact.deleteCorpTag(ids, []);
  await ctx.services.tags.forgetOwn(ids);
  await ctx.services.tags.forget();
  return { title: ctx.t('messages.deleted', { count: ids.length }), tone: 'info' };
}

/** The error for tagging a customer `user` has not added: names the members who have, with the command for one. */
async function notFollowing(ctx: CommandContext, customer: string, user: string, tagWords: string): Promise<UserError> {
  const followers = (await ctx.client.externalContact.get(customer)).follow_user.map((f) => f.userid);
  if (followers.length === 0) return new UserError('commands.tags.messages.noFollower', { customer });
  return new UserError('commands.tags.messages.notFollowing', {
    customer,
    user,
    followers: followers.join(ctx.listSeparator),
    example: `/${tags.names[ctx.locale]} ${MARK[ctx.locale]} ${customer} ${tagWords} --user ${followers[0]}`,
  });
}

/** The sub-command word of tagging a customer. */
const MARK = { 'zh-Hans': '打', 'zh-Hant': '打', en: 'mark' } as const;

function marker(mode: 'add' | 'remove') {
  return async (ctx: CommandContext<{ customer: string; tags: string[]; user?: string }>): Promise<Reply> => {
    const user = ctx.args.user === undefined ? ctx.user : await resolveMember(ctx, ctx.args.user);
    const customer = await findCustomer(ctx, ctx.args.customer, user);
    const index = await tagIndex(ctx);
    const ids = [...new Set(ctx.args.tags.map((word) => resolveTag(index, word, ctx)))];
    try {
      await ctx.client.externalContact.markTags({
        userid: user,
        external_userid: customer,
        ...(mode === 'add' ? { add_tag: ids } : { remove_tag: ids }),
      });
    } catch (err) {
      // Not this member's customer: say whose it is, and how to tag it for them.
      if (WeComError.is(err) && err.errcode === 84061) throw await notFollowing(ctx, customer, user, ctx.args.tags.join(','));
      throw err;
    }
    const names = ids.map((id) => index.byId.get(id)?.name ?? id).join(ctx.listSeparator);
    // The customer and the member by name: an external_userid means nothing to the person reading.
    const [profile, member] = await Promise.all([ctx.client.externalContact.get(customer), displayMember(ctx, user)]);
    return {
      title: ctx.t(mode === 'add' ? 'commands.tags.messages.marked' : 'commands.tags.messages.unmarked', {
        customer: profile.external_contact.name || customer,
        tags: names,
        user: member,
      }),
      tone: 'info',
    };
  };
}

const customerTagArgs = [
  { name: 'customer', type: 'string', required: true },
  { name: 'tags', type: 'list', required: true },
] as const;

/** /标签: the corp's tags; adding, renaming, deleting (confirmed), and tagging customers. */
const tags = defineCommand({
  id: 'tags',
  names: { 'zh-Hans': '标签', 'zh-Hant': '標籤', en: 'tags' },
  aliases: ['tag'],
  actions: [
    action({ role: 'staff', run: show }),
    action({
      sub: { 'zh-Hans': '新增', 'zh-Hant': '新增', en: 'add' },
      role: 'admin',
      args: [
        { name: 'group', type: 'string', required: true, maxChars: NAME_MAX },
        { name: 'tags', type: 'list', required: true, maxChars: NAME_MAX },
      ],
      run: add,
    }),
    action({
      sub: { 'zh-Hans': '改名', 'zh-Hant': '改名', en: 'rename' },
      role: 'admin',
      args: [
        { name: 'tag', type: 'string', required: true },
        { name: 'name', type: 'string', required: true, maxChars: NAME_MAX },
      ],
      options: [{ name: 'order', type: 'int', min: 0, max: 4_294_967_295 }],
      run: rename,
    }),
    action({
      sub: { 'zh-Hans': '删除', 'zh-Hant': '刪除', en: 'delete' },
      role: 'admin',
      args: [{ name: 'tags', type: 'list', required: true }],
      plan: planDelete,
      execute: executeDelete,
    }),
    action({ identifiesCustomers: true, sub: MARK, role: 'admin', args: customerTagArgs, options: [{ name: 'user', type: 'string' }], run: marker('add') }),
    action({
      identifiesCustomers: true,
      sub: { 'zh-Hans': '移除', 'zh-Hant': '移除', en: 'unmark' },
      role: 'admin',
      args: customerTagArgs,
      options: [{ name: 'user', type: 'string' }],
      run: marker('remove'),
    }),
  ],
  // Someone changed tags in the admin console: the cached list is stale.
  events: { external_tag: (_inbound, events) => events.services.tags.forget() },
});

export default tags;
