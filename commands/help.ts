import { action, defineCommand, hasRole, UserError, type CommandContext } from '../src/bot/command.js';
import { bold, code, color, type Line } from '../src/render/markdown.js';
import type { Reply } from '../src/render/reply.js';

/**
 * The order people meet the commands in: daily work first (customers, handovers, groups, tags, figures), then what
 * admins set up, then the bot itself. Commands kept elsewhere (a plugin) come after, in the order they load.
 */
const ORDER = [
  'customers',
  'transfer',
  'resigned',
  'groups',
  'tags',
  'stats',
  'broadcast',
  'welcome',
  'contactway',
  'moments',
  'staff',
  'roles',
  'audit',
  'subscribe',
  'whoami',
  'lang',
  'confirm',
  'cancel',
  'help',
];

function overview(ctx: CommandContext): Reply {
  const rank = (id: string) => (ORDER.includes(id) ? ORDER.indexOf(id) : ORDER.length);
  const commands = [...ctx.services.catalog.permitted(ctx.role)].sort((a, b) => rank(a.id) - rank(b.id));
  return {
    title: ctx.t('messages.title', { count: commands.length }),
    sections: [
      {
        lines: commands.map((c): Line => [code(`/${c.names[ctx.locale]}`), ' ', ctx.t(`commands.${c.id}.description`)]),
      },
    ],
    footer: ctx.t('messages.more'),
  };
}

function detail(ctx: CommandContext, name: string): Reply {
  const word = name.replace(/^[/／]/, '');
  const command = ctx.services.catalog.resolve(word)?.command;
  if (!command || !ctx.services.catalog.permitted(ctx.role).includes(command)) throw new UserError('commands.help.messages.unknown', { name: word });
  const catalog = ctx.services.catalog;
  const fields = catalog.fields(command, ctx.locale);
  const examples = ctx.list(`commands.${command.id}.examples`);
  const names = [...new Set(Object.values(command.names))].map((n) => `/${n}`).join(' · ');
  const sections = [
    { lines: [ctx.t(`commands.${command.id}.description`), [color('comment', ctx.t('messages.names')), names] as Line] },
    { heading: bold(ctx.t('messages.usage')), lines: catalog.usage(command, ctx.locale).map((u): Line => code(u.line)) },
  ];
  if (fields.length > 0) {
    sections.push({
      heading: bold(ctx.t('messages.options')),
      lines: fields.map((f): Line => [code(f.syntax), ' ', f.description]),
    });
  }
  if (examples.length > 0) {
    sections.push({ heading: bold(ctx.t('messages.examples')), lines: examples.map((e): Line => code(e)) });
  }
  const restricted = command.actions.filter((a) => !hasRole(ctx.role, a.role)).length;
  return {
    title: ctx.t('messages.detailTitle', { name: command.names[ctx.locale] }),
    sections,
    ...(restricted > 0 ? { footer: ctx.t('messages.restricted') } : {}),
  };
}

/** /帮助 [命令]: what the member may run, or how to use one command. */
const help = defineCommand({
  id: 'help',
  names: { 'zh-Hans': '帮助', 'zh-Hant': '幫助', en: 'help' },
  aliases: ['?', '？'],
  actions: [
    action({
      role: 'staff',
      args: [{ name: 'command', type: 'string' }],
      run: async (ctx) => (ctx.args.command !== undefined ? detail(ctx, ctx.args.command) : overview(ctx)),
    }),
  ],
});

export default help;
