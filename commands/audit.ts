import { action, defineCommand, UserError, type AuditEntry, type AuditReason, type CommandContext } from '../src/bot/command.js';
import { formatDateTime } from '../src/render/format.js';
import { bold, code, color, type Inline, type Line } from '../src/render/markdown.js';
import { memberDirectory, memberLabels, resolveMember } from './_lib/directory.js';

/**
 * A recorded reason in the reader's words: the role a refusal needed; bad input as its message, its fields and
 * members labelled in the reader's language; what became of a confirmation card; WeCom not answering. A WeCom errcode
 * is said from the entry's errcode.
 */
function reasonText(ctx: CommandContext, e: AuditEntry, reason: AuditReason, label: (userid: string) => string): string {
  switch (reason.kind) {
    case 'role':
      return ctx.t('errors.denied', { role: ctx.t(`common.roles.${reason.needed}`) });
    case 'input': {
      const params: Record<string, string | number> = { ...reason.params };
      for (const [name, field] of Object.entries(reason.fields ?? {})) params[name] = ctx.services.catalog.fieldName(e.command, field, ctx.locale);
      // A member the directory no longer knows keeps the name recorded with the entry.
      for (const [name, userid] of Object.entries(reason.members ?? {})) {
        const known = label(userid);
        params[name] = known === userid && typeof params[name] === 'string' ? params[name] : known;
      }
      return withoutMissingValues(ctx.t(reason.key, params));
    }
    case 'wecom':
      return ctx.t(`errors.wecom.${reason.errcode}`);
    case 'noAnswer':
      return ctx.t(reason.maybeApplied ? 'errors.transportMaybeApplied' : 'errors.transport');
    case 'proposal':
      return ctx.t(`reasons.${reason.why}`);
    case 'error':
      return ctx.t('reasons.error', { name: reason.name });
    default:
      // Written by an instance of the version before, during a rolling update: shown as it was recorded.
      return String(reason);
  }
}

/**
 * A message whose values an entry did not keep (entries of the first versions kept the key alone): a value reads "…",
 * a counted word takes its plural form.
 */
function withoutMissingValues(text: string): string {
  return text.replace(/\{\w+\|[^|{}]*\|([^|{}]*)\}/g, '$1').replace(/\{\w+\}/g, '…');
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
          return { title: ctx.t('messages.emptyFor', { user: label(user) }) };
        }
        if (entries.length === 0) return { title: ctx.t('messages.empty') };
        return {
          title: ctx.t('messages.title', { count: entries.length }),
          sections: [
            {
              lines: entries.map((e): Line => {
                const tone = e.decision === 'denied' || e.decision === 'failed' ? 'warning' : e.decision === 'executed' ? 'info' : 'comment';
                return [
                  color('comment', formatDateTime(e.time, ctx.timeZone)),
                  ' ',
                  bold(e.userid === BOT_USER ? ctx.t('messages.bot') : label(e.userid)),
                  ' ',
                  what(ctx, e, label),
                  ' ',
                  color(tone, ctx.t(`decisions.${e.decision}`)),
                  ...(e.errcode !== undefined ? [' ', code(`errcode ${e.errcode}`)] : []),
                  ...said(ctx, e, label),
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

/** Why an entry ended as it did, in words: a WeCom error by its errcode when WeCom's docs say what it means. */
function said(ctx: CommandContext, e: AuditEntry, label: (userid: string) => string): Inline[] {
  const reason: AuditReason | undefined = e.reason ?? (e.errcode !== undefined ? { kind: 'wecom', errcode: e.errcode } : undefined);
  if (!reason) return [];
  const text = reasonText(ctx, e, reason, label);
  // An errcode WeCom's docs say nothing of is shown as its code alone.
  return reason.kind === 'wecom' && text === `errors.wecom.${reason.errcode}` ? [] : [' ', color('comment', text)];
}

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
  if (e.command === 'welcome.send') return ctx.t('messages.welcomeSent', { member: label(arg('member')), customer: arg('customer') });
  const event = /^(\w+)\.event$/.exec(e.command);
  if (event) {
    const key = `commands.audit.events.${arg('kind') || 'other'}`;
    const kind = ctx.t(key);
    return ctx.t('messages.event', {
      event: kind === key ? ctx.t('events.other') : kind,
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
      return [name, redacted ? ctx.t('messages.redacted', { count: Number(redacted[1]) }) : value];
    }),
  );
}

/** An audited command line is shown whole up to 160 characters (three customer ids and the options), then cut. */
function cutLine(line: string): string {
  return line.length > 160 ? `${line.slice(0, 159)}…` : line;
}

export default audit;
