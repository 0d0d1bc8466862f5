import type { ScheduleContext } from '../../src/bot/command.js';
import { bold, code, color, type Line } from '../../src/render/markdown.js';
import type { Reply } from '../../src/render/reply.js';
import { WeComError } from '../../src/wecom/index.js';
import { memberLabels } from '../_lib/directory.js';
import { BROADCAST_TTL_MS, BROADCASTS, MAX_REMINDERS, REMIND_AFTER_MS, sendersOf } from './ledger.js';

/**
 * Every hour: a mass message the bot created whose senders have not all sent it a day after its creation (or after
 * the last reminder) is reminded through WeCom (remind_groupmsg_send), once a day, three times at most; the admin who
 * proposed it gets the tally each time, and once every sender has sent it.
 */
export async function remindSenders(run: ScheduleContext): Promise<void> {
  const state = run.state(BROADCASTS);
  for await (const [msgid, record] of state.entries()) {
    if (record.closed || record.reminders.length >= MAX_REMINDERS) continue;
    if (run.slot < (record.reminders.at(-1) ?? record.at) + REMIND_AFTER_MS) continue;
    try {
      await remindOne(run, msgid);
    } catch (err) {
      // One mass message WeCom will not read keeps no other from its reminder.
      run.log.warn({ event: 'broadcast.remind_failed', msgid, err });
    }
  }
}

/** Reminds the senders of one mass message who have not sent it, and tells the admin who proposed it. */
async function remindOne(run: ScheduleContext, msgid: string): Promise<void> {
  const state = run.state(BROADCASTS);
  const api = run.client.externalContactMessage;
  const { waiting, all: senders } = await sendersOf(run.client, msgid);
  const record = await state.get(msgid);
  if (!record || record.closed) return;
  const ctx = await run.contextFor(record.by);
  const label = await memberLabels(ctx);
  if (waiting.length === 0) {
    await state.set(msgid, { ...((await state.get(msgid)) ?? record), closed: 'sent' }, BROADCAST_TTL_MS);
    await ctx.services.notices.post({
      key: `broadcast-sent:${msgid}`,
      to: record.by,
      reply: { title: ctx.t('messages.allSent', { msgid, count: senders }), tone: 'info' },
    });
    return;
  }
  let refused: number | undefined;
  try {
    await api.remind(msgid);
  } catch (err) {
    // Stopped meanwhile, or reminded from elsewhere three times today: the tally says so, and the bot tries no more today.
    if (!WeComError.is(err)) throw err;
    refused = err.errcode;
  }
  const reminders = [...record.reminders, run.slot];
  // Read again: a /群发 取消 on another instance meanwhile keeps its mark.
  await state.set(msgid, { ...((await state.get(msgid)) ?? record), reminders }, BROADCAST_TTL_MS);
  const last = reminders.length >= MAX_REMINDERS;
  const reply: Reply = {
    title: ctx.t('messages.tallyTitle', { msgid, sent: senders - waiting.length, senders }),
    tone: 'warning',
    sections: [
      {
        lines: [
          ...waiting.map((userid): Line => [bold(label(userid)), ' ', ctx.t('tasks.0')]),
          refused === undefined ? ctx.t('messages.reminded', { count: reminders.length }) : ctx.t('messages.remindRefused', { errcode: refused }),
          ...(last ? [[color('comment', ctx.t('messages.noMoreReminders')), ' ', code(ctx.t('messages.cancelExample', { msgid }))] as Line] : []),
        ],
      },
    ],
  };
  await ctx.services.notices.post({ key: `broadcast-remind:${msgid}:${reminders.length}`, to: record.by, reply });
}
