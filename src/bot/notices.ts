import type { Channel } from '../channel/channel.js';
import { Periodic } from './periodic.js';
import type { Logger } from '../log.js';
import type { Reply } from '../render/reply.js';
import { defineNamespace, type Store } from '../store/index.js';

/** A message the bot sends on its own (an alert, a digest, a reminder), as it waits in the store to be sent. */
export interface Notice {
  /** What makes it one: the same key posted again (an event delivered twice, a slot fired twice) is the same notice. */
  key: string;
  /** The member it is for. */
  to: string;
  /** Already in the member's language. */
  reply: Reply;
  /** Sent in quiet hours too (most notices wait for the morning). */
  urgent?: boolean;
  postedAt: number;
  /** Sends tried and failed so far. */
  failures: number;
  /** Not sent before this (a failed send waits longer each time; in quiet hours, the end of them). */
  notBefore: number;
}

/** Quiet hours in the corp's time zone, as whole hours: `from` 22 and `until` 8 is 22:00 to 08:00. */
export interface QuietHours {
  from: number;
  until: number;
}

/** 22:00 to 08:00: alerts that can wait, wait for the morning. */
export const DEFAULT_QUIET_HOURS: QuietHours = { from: 22, until: 8 };

const OUTBOX = defineNamespace<Notice>('outbox');
/** Keys of notices sent, remembered a week: a notice posted again after it went is not sent twice. */
const SENT = defineNamespace<number>('outbox-sent');
const SENT_TTL_MS = 7 * 86_400_000;
/** A notice that could not be sent for this long is given up (logged as an error): its news is stale by then. */
const GIVE_UP_MS = 3 * 86_400_000;
/** How long one instance holds a notice while it sends it (its parts may wait for the member's pacing). */
const SENDING_MS = 5 * 60_000;

/** When a notice that failed `failures` times is tried again: 30 s, 1 min, 2 min … at most 30 minutes later. */
export function retryDelayMs(failures: number, firstMs = 30_000): number {
  return Math.min(firstMs * 2 ** Math.max(0, failures - 1), 60 * firstMs);
}

/** The hour of the day (0–23) at `at` in `timeZone`. */
function hourIn(timeZone: string, at: number): number {
  return Number(new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' }).format(at));
}

/** Whether `at` falls in the quiet hours (which may run over midnight). */
export function inQuietHours(quiet: QuietHours | undefined, timeZone: string, at: number): boolean {
  if (!quiet || quiet.from === quiet.until) return false;
  const hour = hourIn(timeZone, at);
  return quiet.from < quiet.until ? hour >= quiet.from && hour < quiet.until : hour >= quiet.from || hour < quiet.until;
}

/**
 * The bot's outbox: what it says on its own is written to the store first and sent from there, so an alert is never
 * lost to a failed send or a restart, waits out the quiet hours, and is sent once across instances (a claim per
 * notice, and each send recorded under the notice's key, so a crash after the send does not send it again). Every
 * send goes through the channel, whose pacing (per member, shared through the store) applies as to any reply.
 */
export class Notices {
  private readonly looks: Periodic;
  private readonly outbox;
  private readonly sent;
  private readonly now: () => number;
  /** Names this instance's claims on notices. */
  private readonly holder = `${process.pid}-${Math.random().toString(36).slice(2, 10)}`;

  constructor(
    private readonly deps: {
      store: Store;
      channel: Channel;
      log: Logger;
      timeZone: string;
      quietHours?: QuietHours;
      /** The clock quiet hours and retries read (tests move it). */
      now?: () => number;
      /** How often the outbox is looked at (default 15 s). */
      everyMs?: number;
      /** The wait after a first failed send (default 30 s; doubled after each, at most 60 times it). */
      retryFirstMs?: number;
    },
  ) {
    this.outbox = deps.store.namespace(OUTBOX);
    this.sent = deps.store.namespace(SENT);
    this.now = deps.now ?? Date.now;
    this.looks = new Periodic(() => this.sweep(), deps.everyMs ?? 15_000, deps.log, 'notice.sweep_failed');
  }

  /**
   * Puts a notice in the outbox and tries to send it at once (outside quiet hours). Posting a key already waiting or
   * already sent does nothing.
   * @returns `posted`, or `duplicate` for a key seen before.
   */
  async post(notice: { key: string; to: string; reply: Reply; urgent?: boolean }): Promise<'posted' | 'duplicate'> {
    if ((await this.outbox.get(notice.key)) || (await this.sent.get(notice.key))) return 'duplicate';
    const now = this.now();
    await this.outbox.set(notice.key, { ...notice, postedAt: now, failures: 0, notBefore: now });
    this.deps.log.info({ event: 'notice.posted', key: notice.key, urgent: notice.urgent === true });
    // Sent by a look of its own: the caller (an event's handler, a schedule) does not wait for the outbox's pacing.
    void this.sweepNow();
    return 'posted';
  }

  /** Starts looking at the outbox now and then (a notice left by a stopped instance, one whose retry is due). */
  start(): void {
    this.looks.start();
  }

  stop(): Promise<void> {
    return this.looks.stop();
  }

  /** Sends what is due; one look at a time (a look asked for meanwhile joins the one under way). */
  sweepNow(): Promise<void> {
    return this.looks.now();
  }

  /** The notices waiting, oldest first (for /healthz-like views and tests). */
  async waiting(): Promise<Notice[]> {
    const out: Notice[] = [];
    for await (const [, notice] of this.outbox.entries()) out.push(notice);
    return out.sort((a, b) => a.postedAt - b.postedAt);
  }

  private async sweep(): Promise<void> {
    const waiting = await this.waiting();
    if (waiting.length === 0) return;
    const now = this.now();
    const quiet = inQuietHours(this.deps.quietHours, this.deps.timeZone, now);
    for (const notice of waiting) {
      if (notice.notBefore > now || (quiet && !notice.urgent)) continue;
      const claim = `notice:${notice.key}`;
      if ((await this.deps.store.claimFor(claim, this.holder, SENDING_MS)) !== this.holder) continue;
      try {
        await this.send(notice);
      } finally {
        // Only a claim still this instance's is let go (one that lapsed meanwhile may be another's now).
        if ((await this.deps.store.claimFor(claim, this.holder, 1).catch(() => '')) === this.holder)
          await this.deps.store.release(claim).catch(() => undefined);
      }
    }
  }

  private async send(notice: Notice): Promise<void> {
    // Recorded under the notice's key: a crash between the send and the outbox entry's removal sends nothing again.
    const channel = this.deps.channel.forDelivery({ key: `notice:${notice.key}`, attempt: notice.failures + 1 });
    try {
      await channel.sendReply(notice.to, notice.reply);
    } catch (err) {
      const failures = notice.failures + 1;
      if (this.now() - notice.postedAt >= GIVE_UP_MS) {
        this.deps.log.error({ event: 'notice.given_up', key: notice.key, to: notice.to, failures, err });
        await this.outbox.delete(notice.key);
        return;
      }
      const notBefore = this.now() + retryDelayMs(failures, this.deps.retryFirstMs);
      this.deps.log.warn({ event: 'notice.send_failed', key: notice.key, to: notice.to, failures, retryAt: new Date(notBefore).toISOString(), err });
      await this.outbox.set(notice.key, { ...notice, failures, notBefore });
      return;
    }
    await this.sent.set(notice.key, this.now(), SENT_TTL_MS);
    await this.outbox.delete(notice.key);
    this.deps.log.info({ event: 'notice.sent', key: notice.key, to: notice.to, failures: notice.failures });
  }
}
