import { action, defineCommand, UserError } from '../src/bot/command.js';
import { paginate } from '../src/render/format.js';
import { code, type Line } from '../src/render/markdown.js';
import { memberNames } from './_lib/directory.js';
import { pageFooter, requirePage } from './_lib/paging.js';

const PAGE_SIZE = 50;

/** What a WeCom UserID may hold: letters, digits and _ - . @ (doc 90196). */
const USERID = /^[A-Za-z0-9_.@-]{1,64}$/;

/**
 * /成员 [--page N]: members with customer contact enabled (get_follow_user_list); /成员 备注 <UserID> <名字> (admin):
 * a name for a member WeCom no longer names.
 */
const staff = defineCommand({
  id: 'staff',
  names: { 'zh-Hans': '成员', 'zh-Hant': '成員', en: 'staff' },
  aliases: ['members'],
  actions: [
    action({
      sub: { 'zh-Hans': '备注', 'zh-Hant': '備註', en: 'name' },
      role: 'admin',
      args: [
        { name: 'userid', type: 'string', required: true },
        { name: 'name', type: 'string', required: true, rest: true, maxChars: 64 },
      ],
      run: async (ctx) => {
        const { userid, name } = ctx.args;
        if (!USERID.test(userid)) throw new UserError('commands.staff.messages.notUserId', { word: userid });
        const present = await ctx.services.members.giveName(userid, name, ctx.user);
        if (present) return { title: ctx.t('messages.inContacts', { userid: present.userid, name: present.name }), tone: 'warning' };
        return { title: ctx.t('messages.named', { userid, name }), tone: 'info', sections: [{ lines: [ctx.t('messages.namedUse', { name })] }] };
      },
    }),
    action({
      role: 'manager',
      options: [{ name: 'page', type: 'int', min: 1, max: 100_000 }],
      run: async (ctx) => {
        const { follow_user } = await ctx.client.externalContact.getFollowUsers();
        const page = paginate(follow_user, ctx.args.page ?? 1, PAGE_SIZE);
        requirePage(ctx.args.page ?? 1, page.pages, follow_user.length);
        // Names from the contacts, so that people can be found by who they are (张三 is zhangsan).
        const nameOf = await memberNames(ctx);
        return {
          title: ctx.t('messages.title', { count: follow_user.length }),
          sections: [
            {
              lines: page.items.map((u, i): Line => [`${(page.page - 1) * PAGE_SIZE + i + 1}. `, ...(nameOf(u) ? [nameOf(u) as string, ' '] : []), code(u)]),
            },
          ],
          footer: pageFooter(ctx, page.page, page.pages, `/${staff.names[ctx.locale]} --page ${page.page + 1}`),
        };
      },
    }),
  ],
});

export default staff;
