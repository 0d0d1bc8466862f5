import { action, defineCommand } from '../src/bot/command.js';
import { paginate } from '../src/render/format.js';
import { code, type Line } from '../src/render/markdown.js';
import { memberNames } from './_lib/directory.js';
import { pageFooter, requirePage } from './_lib/paging.js';

const PAGE_SIZE = 50;

/** /成员 [--page N]: members with customer contact enabled (get_follow_user_list). */
const staff = defineCommand({
  id: 'staff',
  names: { 'zh-Hans': '成员', 'zh-Hant': '成員', en: 'staff' },
  aliases: ['members'],
  actions: [
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
