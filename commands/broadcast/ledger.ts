import { defineNamespace, type CommandClient, type Namespace } from '../../src/bot/command.js';

/** A mass message the bot created: who proposed it, who sends it, and what the bot did about it since. */
export interface BroadcastRecord {
  msgid: string;
  /** The admin who proposed it: they get the tallies. */
  by: string;
  sender: string;
  /** When it was created (ms). */
  at: number;
  /** When the bot reminded its sender through WeCom (ms). */
  reminders: number[];
  /** Stopped with /群发 取消, or every sender sent it: nothing more to do. */
  closed?: 'cancelled' | 'sent';
}

/** The mass messages the bot created, by msgid, for a month (get_groupmsg_list_v2 looks back a month at most). */
export const BROADCASTS = defineNamespace<BroadcastRecord>('broadcasts');
export const BROADCAST_TTL_MS = 31 * 86_400_000;

/** How long after its creation (and after each reminder) a sender who has not sent it is reminded. */
export const REMIND_AFTER_MS = 24 * 3600_000;
/** Reminders the bot sends for one mass message at most (WeCom takes three in 24 hours; one a day is kinder). */
export const MAX_REMINDERS = 3;

/** Records a mass message the bot created. */
export async function recordBroadcast(state: Namespace<BroadcastRecord>, record: Omit<BroadcastRecord, 'reminders'>): Promise<void> {
  await state.set(record.msgid, { ...record, reminders: [] }, BROADCAST_TTL_MS);
}

/** Who has not sent `msgid` yet, and how many senders it has (get_groupmsg_task). */
export async function sendersOf(client: CommandClient, msgid: string): Promise<{ waiting: string[]; all: number }> {
  const waiting: string[] = [];
  let all = 0;
  for await (const page of client.externalContactMessage.iterateGroupmsgTask(msgid)) {
    for (const task of page.task_list) {
      all += 1;
      if (task.status !== 2) waiting.push(task.userid);
    }
  }
  return { waiting, all };
}
