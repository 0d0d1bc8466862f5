import { action, defineCommand, type CommandContext } from '../src/bot/command.js';
import { formatDateTime } from '../src/render/format.js';
import { bold, code, color, type Line } from '../src/render/markdown.js';
import { memberLabels, resolveMember } from './_lib/directory.js';

/**
 * A recorded reason in words: a message key (bad input) as its text, a refusal (`needs admin`) as the role it needed,
 * a WeCom error (`errcode 41060`) as what the code means; other reasons are shown as recorded.
 */
function reasonText(ctx: CommandContext, reason: string): string {
  const needs = /^needs (staff|manager|admin)$/.exec(reason);
  if (needs) return ctx.t('errors.denied', { role: ctx.t(`common.roles.${needs[1]}`) });
  const errcode = /^errcode (\d+)$/.exec(reason);
  const key = errcode ? `errors.wecom.${errcode[1]}` : reason;
  if (!/^[a-z]+(\.[A-Za-z0-9]+)+$/.test(key)) return reason;
  const text = ctx.t(key);
  // The entry keeps the key, not its values: a value reads "…", a counted word takes its plural form.
  return text === key ? reason : text.replace(/\{\w+\|[^|{}]*\|([^|{}]*)\}/g, '$1').replace(/\{\w+\}/g, '…');
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
        if (entries.length === 0) return { title: ctx.t('commands.audit.messages.empty') };
        const label = await memberLabels(ctx);
        return {
          title: ctx.t('commands.audit.messages.title', { count: entries.length }),
          sections: [
            {
              lines: entries.map((e): Line => {
                const tone = e.decision === 'denied' || e.decision === 'failed' ? 'warning' : e.decision === 'executed' ? 'info' : 'comment';
                return [
                  color('comment', formatDateTime(e.time)),
                  ' ',
                  bold(label(e.userid)),
                  ' ',
                  code(cutLine(ctx.services.catalog.spokenLine(e.command, inWords(ctx, e.args), ctx.locale) ?? e.command)),
                  ' ',
                  color(tone, ctx.t(`commands.audit.decisions.${e.decision}`)),
                  ...(e.errcode !== undefined ? [' ', code(`errcode ${e.errcode}`)] : []),
                  ...(e.reason ? [' ', color('comment', reasonText(ctx, e.reason))] : []),
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
