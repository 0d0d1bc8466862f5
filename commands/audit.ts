import { action, defineCommand, UserError, type AuditEntry, type CommandContext } from '../src/bot/command.js';
import { formatDateTime } from '../src/render/format.js';
import { bold, code, color, type Inline, type Line } from '../src/render/markdown.js';
import { memberDirectory, memberLabels, resolveMember } from './_lib/directory.js';

/**
 * A recorded reason in words: a message key (bad input) as its text, a refusal (`needs admin`) as the role it needed,
 * a WeCom error (`errcode 41060`) as what the code means; other reasons are shown as recorded.
 */
function reasonText(ctx: CommandContext, e: Pick<AuditEntry, 'command' | 'reasonParams'>, reason: string): string {
  const params = readerParams(ctx, e);
  const needs = /^needs (staff|manager|admin)$/.exec(reason);
  if (needs) return ctx.t('errors.denied', { role: ctx.t(`common.roles.${needs[1]}`) });
  const errcode = /^errcode (\d+)$/.exec(reason);
  const key = errcode ? `errors.wecom.${errcode[1]}` : reason;
  if (!/^[a-z]+(\.[A-Za-z0-9]+)+$/.test(key)) return reason;
  const text = ctx.t(key, params);
  // An older entry kept the key without its values: a value reads "…", a counted word takes its plural form.
  return text === key ? reason : text.replace(/\{\w+\|[^|{}]*\|([^|{}]*)\}/g, '$1').replace(/\{\w+\}/g, '…');
}

/**
 * A reason's recorded values as the reader's locale writes them: a field kept as its flag (`--page`) by its label
 * ("页码（--page）"), a member label written in the recorder's locale ("王五 (wangwu)") in the reader's.
 */
function readerParams(ctx: CommandContext, e: Pick<AuditEntry, 'command' | 'reasonParams'>): Record<string, string | number> {
  const commandId = e.command.split('.')[0] ?? '';
  return Object.fromEntries(
    Object.entries(e.reasonParams ?? {}).map(([name, value]) => {
      if (typeof value !== 'string') return [name, value];
      const flag = name === 'field' ? /^--([\w-]+)$/.exec(value)?.[1] : undefined;
      if (flag) {
        const key = `commands.${commandId}.labels.${flag}`;
        const label = ctx.t(key);
        return [name, label === key ? value : ctx.t('common.optionField', { label, option: value })];
      }
      // One member label only: a list ("测试组/丙 (et1)；来源/丙 (et2)") keeps its own form.
      const member = /^([^/;；、,，()（）]+?) ?[（(]([A-Za-z0-9_.@-]+)[）)]$/.exec(value);
      return [name, member ? ctx.t('common.memberLabel', { name: member[1] ?? '', userid: member[2] ?? '' }) : value];
    }),
  );
}

/** /审计 [--user member] [--limit N]: recent audit entries, newest first; the member by UserID or name. */
const audit = defineCommand({
  id: 'audit',
  names: { 'zh-Hans': '审计', 'zh-Hant': '審計', en: 'audit' },
  actions: [
    action({
      role: 'admin',
      options: [
        { name: 'user', type: 'string' },
        { name: 'limit', type: 'int', min: 1, max: 100 },
      ],
      run: async (ctx) => {
        const user = ctx.args.user === undefined ? undefined : await resolveMember(ctx, ctx.args.user);
        const entries = await ctx.services.audit.recent({ user, limit: ctx.args.limit ?? 20 });
        const label = await memberLabels(ctx);
        if (entries.length === 0 && user !== undefined) {
          // A word that names no member ("张", a typo) says so, rather than "no entries" for a member who does not exist.
          const known = (await memberDirectory(ctx)).some((m) => m.userid.toLowerCase() === user.toLowerCase());
          if (!known && user !== BOT_USER) throw new UserError('commands.audit.messages.noSuchMember', { word: user });
          return { title: ctx.t('commands.audit.messages.emptyFor', { user: label(user) }) };
        }
        if (entries.length === 0) return { title: ctx.t('commands.audit.messages.empty') };
        return {
          title: ctx.t('commands.audit.messages.title', { count: entries.length }),
          sections: [
            {
              lines: entries.map((e): Line => {
                const tone = e.decision === 'denied' || e.decision === 'failed' ? 'warning' : e.decision === 'executed' ? 'info' : 'comment';
                return [
                  color('comment', formatDateTime(e.time, ctx.timeZone)),
                  ' ',
                  bold(e.userid === BOT_USER ? ctx.t('commands.audit.messages.bot') : label(e.userid)),
                  ' ',
                  what(ctx, e, label),
                  ' ',
                  color(tone, ctx.t(`commands.audit.decisions.${e.decision}`)),
                  ...(e.errcode !== undefined ? [' ', code(`errcode ${e.errcode}`)] : []),
                  // A WeCom error is said in words by its errcode; the recorded message is only for the log.
                  ...(e.errcode !== undefined && ctx.t(`errors.wecom.${e.errcode}`) !== `errors.wecom.${e.errcode}`
                    ? [' ', color('comment', ctx.t(`errors.wecom.${e.errcode}`))]
                    : e.reason
                      ? [' ', color('comment', reasonText(ctx, e, e.reason))]
                      : []),
                  ...(e.durationMs !== undefined ? [' ', color('comment', `${e.durationMs}ms`)] : []),
                ];
              }),
            },
          ],
        };
      },
    }),
  ],
});

/** The UserID the bot records its own work under (events, welcome messages). */
const BOT_USER = 'sys';

/**
 * What an entry did: a member's command as they typed it; the bot's own work (a welcome message sent, an event
 * handled) in words.
 */
function what(ctx: CommandContext, e: AuditEntry, label: (userid: string) => string): Inline {
  const typed = ctx.services.catalog.spokenLine(e.command, inWords(ctx, e.args), ctx.locale);
  if (typed) return code(cutLine(typed));
  const arg = (name: string) => String(e.args[name] ?? '');
  if (e.command === 'welcome.send') return ctx.t('commands.audit.messages.welcomeSent', { member: label(arg('member')), customer: arg('customer') });
  const event = /^(\w+)\.event$/.exec(e.command);
  if (event) {
    const key = `commands.audit.events.${arg('kind') || 'other'}`;
    const kind = ctx.t(key);
    return ctx.t('commands.audit.messages.event', {
      event: kind === key ? ctx.t('commands.audit.events.other') : kind,
      command: ctx.services.catalog.spoken(event[1] ?? '', ctx.locale) ?? event[1] ?? '',
    });
  }
  return code(e.command);
}

/** Recorded values in words: a redacted text says how long it was, in the reader's language. */
function inWords(ctx: CommandContext, args: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(args).map(([name, value]) => {
      const redacted = typeof value === 'string' ? /^\[redacted (\d+) chars\]$/.exec(value) : null;
      return [name, redacted ? ctx.t('commands.audit.messages.redacted', { count: Number(redacted[1]) }) : value];
    }),
  );
}

/** An audited command line is shown whole up to 160 characters (three customer ids and the options), then cut. */
function cutLine(line: string): string {
  return line.length > 160 ? `${line.slice(0, 159)}…` : line;
}

export default audit;
