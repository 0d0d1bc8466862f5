import { action, defineCommand } from '../src/bot/command.js';
import { displayMember } from './_lib/directory.js';

/** /我: who the bot takes you for — name, role, reply language — and how many commands you may run. */
const whoami = defineCommand({
  id: 'whoami',
  names: { 'zh-Hans': '我', 'zh-Hant': '我', en: 'whoami' },
  actions: [
    action({
      role: 'staff',
      run: async (ctx) => {
        const mine = ctx.services.catalog.permitted(ctx.role);
        return {
          title: ctx.t('messages.title', { user: await displayMember(ctx, ctx.user), role: ctx.t(`common.roles.${ctx.role}`) }),
          sections: [
            {
              lines: [ctx.t('messages.locale', { name: ctx.t('common.localeName') }), ctx.t('messages.commands', { count: mine.length })],
            },
          ],
        };
      },
    }),
  ],
});

export default whoami;
