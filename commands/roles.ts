import { action, defineCommand, UserError, type CommandContext, type RoleHolder } from '../src/bot/command.js';
import { formatDate } from '../src/render/format.js';
import { code } from '../src/render/markdown.js';
import type { Reply } from '../src/render/reply.js';
import { WeComError } from '../src/wecom/index.js';
import { memberLabels, resolveMember } from './_lib/directory.js';

type Grantable = 'admin' | 'manager';

/** The role a word names, in any script: 管理员 · 管理員 · admin, 主管 · manager. */
function roleOf(ctx: CommandContext, word: string): Grantable {
  const wanted = word.trim().toLowerCase();
  for (const role of ['admin', 'manager'] as const) {
    const words = (['zh-Hans', 'zh-Hant', 'en'] as const).flatMap((l) => [
      ctx.translate(l, `common.roles.${role}`),
      ...ctx.translate(l, `words.${role}`).split('|'),
    ]);
    if (words.some((w) => w.toLowerCase() === wanted)) return role;
  }
  throw new UserError('commands.roles.messages.badRole', { value: word, admin: ctx.t('common.roles.admin'), manager: ctx.t('common.roles.manager') });
}

/**
 * The member a word names, who must be in the corp and in the app's visible range (a role is useless to someone the
 * bot cannot message).
 */
async function memberToName(ctx: CommandContext, word: string): Promise<string> {
  const userid = await resolveMember(ctx, word);
  try {
    await ctx.client.contacts.member(userid);
  } catch (err) {
    if (WeComError.is(err) && err.errcode === 60111) throw new UserError('commands.roles.messages.notMember', { value: word });
    if (WeComError.is(err) && err.errcode === 60011)
      throw new UserError('commands.roles.messages.outOfRange', { user: (await memberLabels(ctx))(userid) }, undefined, { user: userid });
    throw err;
  }
  return userid;
}

/** Where a role comes from, as a person reads it: BOT_ADMINS, BOT_MANAGERS, given by whom and when, a leader. */
function origin(ctx: CommandContext, holder: RoleHolder, label: (userid: string) => string): string {
  if (holder.source === 'chat')
    return ctx.t('messages.givenBy', { by: label(holder.by ?? ''), date: formatDate(Math.floor((holder.at ?? 0) / 1000), ctx.timeZone) });
  return ctx.t(`messages.source.${holder.source}`);
}

async function list(ctx: CommandContext): Promise<Reply> {
  const holders = await ctx.services.roles.list();
  const label = await memberLabels(ctx);
  const lines = (role: Grantable) =>
    holders.filter((h) => h.role === role).map((h) => `${label(h.userid)}${ctx.t('common.clauseSeparator')}${origin(ctx, h, label)}`);
  const admins = lines('admin');
  const managers = lines('manager');
  const { catalog } = ctx.services;
  const self = catalog.resolve('roles')?.command;
  const usage = self ? catalog.usage(self, ctx.locale).filter((u) => u.action.sub) : [];
  return {
    title: ctx.t('messages.title', { admins: admins.length, managers: managers.length }),
    sections: [
      { heading: ctx.t('common.roles.admin'), lines: admins.length > 0 ? admins : [ctx.t('messages.none')] },
      { heading: ctx.t('common.roles.manager'), lines: managers.length > 0 ? managers : [ctx.t('messages.none')] },
    ],
    footer: [ctx.t('messages.howTo'), ...usage.flatMap((u, i) => [i > 0 ? ' · ' : ' ', code(u.line)])],
  };
}

const roles = defineCommand({
  id: 'roles',
  names: { 'zh-Hans': '角色', 'zh-Hant': '角色', en: 'roles' },
  actions: [
    action({ role: 'admin', run: list }),
    action({
      sub: { 'zh-Hans': '添加', 'zh-Hant': '新增', en: 'add' },
      role: 'admin',
      args: [
        { name: 'member', type: 'string', required: true },
        { name: 'role', type: 'string', required: true },
      ],
      ask: {
        role: async (ctx) => (['admin', 'manager'] as const).map((r) => ({ value: ctx.t(`common.roles.${r}`), label: ctx.t(`common.roles.${r}`) })),
      },
      run: async (ctx) => {
        const role = roleOf(ctx, ctx.args.role);
        const userid = await memberToName(ctx, ctx.args.member);
        const who = (await memberLabels(ctx))(userid);
        const holders = await ctx.services.roles.list();
        const current = holders.find((h) => h.userid.toLowerCase() === userid.toLowerCase() && h.source !== 'leader');
        if (current?.source === 'root') return { title: ctx.t('messages.alreadyRoot', { user: who }), tone: 'comment' };
        if (current?.role === role) return { title: ctx.t('messages.already', { user: who, role: ctx.t(`common.roles.${role}`) }), tone: 'comment' };
        await ctx.services.roles.grant(userid, role, ctx.user);
        return { title: ctx.t('messages.granted', { user: who, role: ctx.t(`common.roles.${role}`) }), tone: 'info' };
      },
    }),
    action({
      sub: { 'zh-Hans': '移除', 'zh-Hant': '移除', en: 'remove' },
      role: 'admin',
      args: [{ name: 'member', type: 'string', required: true }],
      run: async (ctx) => {
        const userid = await resolveMember(ctx, ctx.args.member);
        const who = (await memberLabels(ctx))(userid);
        await ctx.services.roles.list();
        const source = ctx.services.roles.sourceOf(userid);
        if (source === 'root' || source === 'config' || source === 'leader') {
          throw new UserError(`commands.roles.messages.cannotRemove.${source}`, { user: who }, undefined, { user: userid });
        }
        if (!(await ctx.services.roles.revoke(userid))) throw new UserError('commands.roles.messages.noRole', { user: who }, undefined, { user: userid });
        const after = (await ctx.services.roles.list()).find((h) => h.userid.toLowerCase() === userid.toLowerCase());
        return {
          title: ctx.t('messages.revoked', { user: who, role: ctx.t(`common.roles.${after?.role ?? 'staff'}`) }),
          tone: 'info',
        };
      },
    }),
  ],
});

export default roles;
