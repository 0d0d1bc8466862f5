import type { CommandContext, ScheduleContext } from '../../src/bot/command.js';
import { dayStartOf, formatDate, WECOM_DAYS_ZONE } from '../../src/render/format.js';
import { bold, code, color, type Line } from '../../src/render/markdown.js';
import { row, type Reply } from '../../src/render/reply.js';
import { emptyTotals, memberTotals, mergeTotals, rates, type Totals } from '../_lib/behaviour.js';
import type { DayRange } from '../_lib/dates.js';
import { memberLabels } from '../_lib/directory.js';
import { lookedAfterBy } from '../_lib/managers.js';
import { unassignedByMember } from '../_lib/transfers.js';
import { receiversAmong, type Item } from './items.js';

const DAY = 86400;
/** Customers of a resigned member waiting longer than this are worth a reminder. */
export const WAITING_DAYS = 3;

/** The admins and role holders who receive `item` (by role and their own choice), with their context. */
async function recipients(run: ScheduleContext, item: Item['id']): Promise<CommandContext[]> {
  const holders = await run.services.roles.list();
  return receiversAmong(run, [...run.services.admins, ...holders.map((h) => h.userid)], item);
}

/**
 * The seven days (WeCom's days) that end the day before the slot's date in the corp's zone, and the seven before them:
 * Monday 09:00 in Los Angeles reads the week to Sunday, though it is already Tuesday in Beijing.
 */
function weeksBefore(slot: number, timeZone: string): { last: DayRange; before: DayRange } {
  const slotDate = formatDate(Math.floor(slot / 1000), timeZone);
  const yesterday = dayStartOf(slotDate, WECOM_DAYS_ZONE) - DAY;
  const last = { from: yesterday - 6 * DAY, to: yesterday, days: 7 };
  return { last, before: { from: last.from - 7 * DAY, to: last.to - 7 * DAY, days: 7 } };
}

/** Sums of every member's totals. */
function sum(totals: ReadonlyMap<string, Totals>): Totals {
  const all = emptyTotals();
  for (const t of totals.values()) mergeTotals(all, t);
  return all;
}

/** `value` against `previous`: "12（前一周 9，+3）". */
function versus(ctx: CommandContext, value: number, previous: number, unit = ''): string {
  const delta = Math.round((value - previous) * 10) / 10;
  const sign = delta > 0 ? `+${delta}` : String(delta);
  return ctx.t('messages.versus', { value: `${value}${unit}`, previous: `${previous}${unit}`, delta: `${sign}${unit}` });
}

/** One manager's weekly digest: last week's figures for the members they look after, the trend, the top and bottom three. */
async function weeklyFor(ctx: CommandContext, slot: number, contact: readonly string[]): Promise<Reply | undefined> {
  const { members, everyone } = await lookedAfterBy(ctx, ctx.user, contact);
  if (members.length === 0) return undefined;
  const { last, before } = weeksBefore(slot, ctx.timeZone);
  const now = (await memberTotals(ctx, members, last)).totals;
  const then = sum((await memberTotals(ctx, members, before)).totals);
  const all = sum(now);
  const label = await memberLabels(ctx);
  const ranked = [...now.entries()].sort((a, b) => b[1].contacts - a[1].contacts || a[0].localeCompare(b[0]));
  const line = ([userid, t]: [string, Totals]): Line => [bold(label(userid)), ' ', ctx.t('messages.newCount', { count: t.contacts })];
  const top = ranked.slice(0, 3);
  const bottom = ranked.length > 3 ? ranked.slice(-Math.min(3, ranked.length - 3)).reverse() : [];
  const r = rates(all);
  const p = rates(then);
  return {
    title: ctx.t(everyone ? 'messages.weeklyTitleAll' : 'messages.weeklyTitle', {
      members: members.length,
      from: formatDate(last.from, WECOM_DAYS_ZONE),
      to: formatDate(last.to, WECOM_DAYS_ZONE),
    }),
    sections: [
      {
        lines: [
          row(ctx.t('messages.newCustomers'), versus(ctx, all.contacts, then.contacts)),
          row(ctx.t('messages.lostCustomers'), versus(ctx, all.negative, then.negative)),
          row(ctx.t('messages.replyRate'), versus(ctx, r.reply, p.reply, '%')),
          row(ctx.t('messages.firstReply'), versus(ctx, r.minutes, p.minutes, ctx.t('messages.minutes'))),
        ],
      },
      { heading: ctx.t('messages.top'), lines: top.map(line) },
      ...(bottom.length > 0 ? [{ heading: ctx.t('messages.bottom'), lines: bottom.map(line) }] : []),
    ],
    footer: [color('comment', ctx.t('messages.weeklyMore')), ' ', code(ctx.t('messages.weeklyCommand'))],
  };
}

/** Monday morning: each manager who receives it gets last week's figures of the members they look after. */
export async function weeklyDigest(run: ScheduleContext): Promise<void> {
  let sent = 0;
  let failed = 0;
  // The members with customer contact, read once for every manager.
  const contact = (await run.client.externalContact.getFollowUsers()).follow_user;
  for (const ctx of await recipients(run, 'weekly')) {
    try {
      const reply = await weeklyFor(ctx, run.slot, contact);
      if (!reply) continue;
      await ctx.services.notices.post({ key: `weekly:${run.slotKey}:${ctx.user.toLowerCase()}`, to: ctx.user, reply });
      sent += 1;
    } catch (err) {
      // One manager's figures WeCom will not give (a member out of range, a refusal) keep nobody else's from going.
      failed += 1;
      run.log.warn({ event: 'digest.weekly_failed', to: ctx.user, err });
    }
  }
  run.log.info({ event: 'digest.weekly', sent, failed });
}

/** Every morning: the admins who receive it hear of resigned members whose customers have waited for a new owner over three days. */
export async function resignedReminder(run: ScheduleContext): Promise<void> {
  const cutoff = Math.floor(run.slot / 1000) - WAITING_DAYS * DAY;
  const waiting = new Map([...(await unassignedByMember(run)).byMember].filter(([, e]) => e.dimission <= cutoff));
  if (waiting.size === 0) return;
  const sorted = [...waiting.entries()].sort((a, b) => b[1].count - a[1].count);
  for (const ctx of await recipients(run, 'resigned')) {
    const label = await memberLabels(ctx);
    const total = sorted.reduce((a, [, e]) => a + e.count, 0);
    const reply: Reply = {
      title: ctx.t('messages.resignedTitle', { members: sorted.length, customers: total, days: WAITING_DAYS }),
      tone: 'warning',
      sections: [
        {
          lines: sorted.map(
            ([userid, e]): Line => [
              bold(label(userid)),
              ' ',
              ctx.t('messages.resignedLine', { count: e.count, days: Math.floor((Math.floor(run.slot / 1000) - e.dimission) / DAY) }),
            ],
          ),
        },
      ],
      footer: [color('comment', ctx.t('messages.resignedNext')), ' ', code(ctx.t('commands.resigned.messages.transferExample', { user: sorted[0]![0] }))],
    };
    await ctx.services.notices.post({ key: `resigned:${run.slotKey}:${ctx.user.toLowerCase()}`, to: ctx.user, reply });
  }
}
