import { UserError, type CommandContext } from '../../src/bot/command.js';
import { dayStartOf, formatDateTime } from '../../src/render/format.js';
import { bold, code, color, type Line } from '../../src/render/markdown.js';
import type { Reply } from '../../src/render/reply.js';
import { WeComError, type GroupMsgListV2Response } from '../../src/wecom/index.js';
import { memberLabels } from '../_lib/directory.js';
import { todayIn } from '../_lib/periods.js';
import { BROADCAST_TTL_MS, BROADCASTS, sendersOf } from './ledger.js';

/** The most mass messages one list shows (the newest). */
const LISTED = 20;

/** /群发 列表: this month's mass messages created by the corp (the bot's and the admin console's), newest first. */
export async function listBroadcasts(ctx: CommandContext): Promise<Reply> {
  const api = ctx.client.externalContactMessage;
  // From the first of this month, midnight in the corp's zone.
  const from = dayStartOf(`${todayIn(ctx.timeZone).slice(0, 7)}-01`, ctx.timeZone);
  const to = Math.floor(Date.now() / 1000);
  const all: GroupMsgListV2Response['group_msg_list'] = [];
  for await (const page of api.iterateGroupmsgListV2('single', from, to, undefined, 0, 100)) all.push(...page.group_msg_list);
  if (all.length === 0) return { title: ctx.t('messages.listEmpty'), tone: 'comment' };
  all.sort((a, b) => b.create_time - a.create_time);
  const label = await memberLabels(ctx);
  const ledger = ctx.state(BROADCASTS);
  const lines: Line[] = [];
  for (const msg of all.slice(0, LISTED)) {
    const mine = await ledger.get(msg.msgid);
    const text = msg.text?.content ?? '';
    lines.push([
      color('comment', formatDateTime(msg.create_time, ctx.timeZone)),
      ' ',
      bold(label(msg.creator)),
      ' ',
      text.length > 24 ? `${text.slice(0, 23)}…` : text,
      ' ',
      code(msg.msgid),
      ...(mine ? [' ', color('comment', ctx.t(mine.closed === 'cancelled' ? 'messages.listCancelled' : 'messages.listBy', { user: label(mine.by) }))] : []),
    ]);
  }
  return {
    title: ctx.t('messages.listTitle', { count: all.length }),
    sections: [{ lines }],
    footer: [color('comment', ctx.t('messages.resultHint')), ' ', code(ctx.t('messages.resultExample'))],
  };
}

interface CancelPayload {
  msgid: string;
}

/** Who has not sent `msgid` yet, and how many senders it has. @throws UserError for a msgid WeCom does not know. */
async function senders(ctx: CommandContext, msgid: string): Promise<{ waiting: string[]; all: number }> {
  try {
    return await sendersOf(ctx.client, msgid);
  } catch (err) {
    if (WeComError.is(err) && err.errcode === 41047) throw new UserError('commands.broadcast.messages.unknownMsgid', { msgid });
    // Still dispatching right after its creation: nobody to name yet.
    if (WeComError.is(err) && err.errcode === 41063) return { waiting: [], all: 0 };
    throw err;
  }
}

/** /群发 取消 <msgid>: what stopping it means (who has not sent it), for the proposer to confirm. */
export async function planCancel(ctx: CommandContext<{ msgid: string }>) {
  const { msgid } = ctx.args;
  const { waiting, all } = await senders(ctx, msgid);
  if (all > 0 && waiting.length === 0) throw new UserError('commands.broadcast.messages.nothingToCancel', { msgid });
  const label = await memberLabels(ctx);
  return {
    summary: {
      title: ctx.t('messages.cancelTitle'),
      sections: [
        {
          lines: [
            ...(waiting.length > 0 ? [ctx.t('messages.cancelWaiting', { users: waiting.map(label).join(ctx.listSeparator) })] : []),
            ctx.t('messages.cancelEffect'),
          ],
        },
      ],
    },
    fields: [[ctx.t('fields.msgid'), msgid]] as [string, string][],
    payload: { msgid } satisfies CancelPayload,
  };
}

export async function executeCancel(ctx: CommandContext, { msgid }: CancelPayload): Promise<Reply> {
  await ctx.client.externalContactMessage.cancel(msgid);
  const ledger = ctx.state(BROADCASTS);
  const record = await ledger.get(msgid);
  if (record) await ledger.set(msgid, { ...record, closed: 'cancelled' }, BROADCAST_TTL_MS);
  return { title: ctx.t('messages.cancelled', { msgid }), tone: 'info' };
}
