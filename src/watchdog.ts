import type { Bot } from './bot/index.js';
import type { InboxWorker } from './callback/worker.js';
import { t } from './i18n/index.js';
import type { Logger } from './log.js';
import type { Inbox } from './store/index.js';
import type { PathTrouble } from './wecom/index.js';

/** How often the watchdog looks, and after how long it calls the inbox stalled or a job stuck. */
export interface WatchOptions {
  everyMs?: number;
  /** Entries wait and none has finished for this long: the inbox is not draining (default 5 minutes). */
  stalledMs?: number;
  /** A running job has not saved a step for this long (default 10 minutes). */
  jobIdleMs?: number;
}

/**
 * Watches what no single message reports: an inbox that does not drain (entries wait, none finishes), jobs that
 * stopped moving, and WeCom APIs that do not answer. Each is told to the admins through the bot's alerts (one an hour
 * per kind). Returns a stop function.
 */
export function watchFaults(
  deps: { bot: Bot; worker: InboxWorker; inbox: Inbox; log: Logger; wecom?: () => PathTrouble[] },
  options: WatchOptions = {},
): () => void {
  const { bot, worker, inbox, log } = deps;
  const stalledMs = options.stalledMs ?? 5 * 60_000;
  const jobIdleMs = options.jobIdleMs ?? 10 * 60_000;
  let emptyAt = Date.now();
  let looking = false;
  const look = async () => {
    if (looking) return;
    looking = true;
    try {
      const waiting = await inbox.backlog();
      const now = Date.now();
      if (waiting === 0) emptyAt = now;
      const since = Math.max(emptyAt, worker.lastDoneAt);
      if (waiting > 0 && now - since >= stalledMs) {
        const minutes = Math.max(1, Math.round((now - since) / 60_000));
        await bot.alerts.report(
          'inbox.stalled',
          (locale) => ({ title: t(locale, 'alerts.stalled.title'), lines: [t(locale, 'alerts.stalled.text', { waiting, minutes })] }),
          {
            waiting,
            minutes,
          },
        );
      }
      const hanging = (deps.wecom?.() ?? []).filter((trouble) => trouble.problem === 'hanging').map((trouble) => trouble.path);
      if (hanging.length > 0) {
        const paths = hanging.join(', ');
        await bot.alerts.report(
          'wecom.hanging',
          (locale) => ({ title: t(locale, 'alerts.hanging.title'), lines: [t(locale, 'alerts.hanging.text', { paths })] }),
          { paths: hanging },
        );
      }
      for (const job of bot.stuckJobs(jobIdleMs)) {
        const minutes = Math.round((now - job.updatedAt) / 60_000);
        await bot.alerts.report(
          'job.stuck',
          (locale) => ({ title: t(locale, 'alerts.jobStuck.title'), lines: [t(locale, 'alerts.jobStuck.text', { user: job.user, type: job.type, minutes })] }),
          { id: job.id, type: job.type, minutes },
        );
      }
    } catch (err) {
      log.warn({ event: 'watch.failed', err: (err as Error).message });
    } finally {
      looking = false;
    }
  };
  const timer = setInterval(() => void look(), options.everyMs ?? 60_000);
  timer.unref();
  return () => clearInterval(timer);
}
