import { localeFromWord, action, defineCommand, UserError } from '../src/bot/command.js';
import { code } from '../src/render/markdown.js';

/** /语言 zh-Hans|zh-Hant|en: the member's reply language, kept in the store. */
const lang = defineCommand({
  id: 'lang',
  names: { 'zh-Hans': '语言', 'zh-Hant': '語言', en: 'lang' },
  aliases: ['language'],
  actions: [
    action({
      role: 'staff',
      args: [{ name: 'locale', type: 'string' }],
      run: async (ctx) => {
        const word = ctx.args.locale;
        if (word === undefined) {
          return {
            title: ctx.t('messages.current', { name: ctx.t('common.localeName') }),
            sections: [{ lines: [[ctx.t('messages.choose'), ' ', code('zh-Hans'), ' · ', code('zh-Hant'), ' · ', code('en')]] }],
          };
        }
        const locale = localeFromWord(word);
        if (!locale) throw new UserError('commands.lang.messages.unknown', { value: word });
        await ctx.services.setLocale(ctx.user, locale);
        return { title: ctx.translate(locale, 'messages.set', { name: ctx.translate(locale, 'common.localeName') }), tone: 'info' };
      },
    }),
  ],
});

export default lang;
