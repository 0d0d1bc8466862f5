import type { Logger } from '../log.js';
import { defineNamespace, type Store } from '../store/index.js';
import type { EventContext, Schedule, ScheduleContext, SlotTime } from './command.js';
import { Periodic } from './periodic.js';
import type { Registry } from './registry.js';

/** When each schedule (`<command>.<name>`) last ran to its end: the slot's time (ms). */
const DONE = defineNamespace<number>('schedule-done');
/** How long one instance holds a slot while it runs it; one that dies meanwhile leaves it to another after this. */
const RUNNING_MS = 15 * 60_000;
/** After a failed run the slot is tried again this long after, doubled each time, at most an hour later. */
const RETRY_FIRST_MS = 5 * 60_000;

/** The parts of `at` in `timeZone`: weekday (0 Sunday), year, month (1-12), day, hour, minute. */
function partsIn(timeZone: string, at: number) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'short',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return {
    weekday: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(get('weekday')),
    year: Number(get('year')),
    month: Number(get('month')),
    day: Number(get('day')),
    hour: Number(get('hour')),
    minute: Number(get('minute')),
  };
}

/** The instant (ms) of a wall-clock time in `timeZone`. */
function instantIn(timeZone: string, year: number, month: number, day: number, hour: number, minute: number): number {
  const asUtc = Date.UTC(year, month - 1, day, hour, minute);
  const offsetAt = (at: number) => {
    const seen = partsIn(timeZone, at);
    return Date.UTC(seen.year, seen.month - 1, seen.day, seen.hour, seen.minute) - at;
  };
  // The offset is taken again at the instant found: on a day the clocks move, the first guess has the other one.
  return asUtc - offsetAt(asUtc - offsetAt(asUtc));
}

/** The latest slot of `time` at or before `now`, in `timeZone` (ms). */
export function latestSlot(time: SlotTime, timeZone: string, now: number): number {
  const today = partsIn(timeZone, now);
  if (time.hour === undefined) {
    const slot = instantIn(timeZone, today.year, today.month, today.day, today.hour, time.minute);
    return slot > now ? slot - 3600_000 : slot;
  }
  const back = time.weekday === undefined ? 0 : (today.weekday - time.weekday + 7) % 7;
  const day = new Date(Date.UTC(today.year, today.month - 1, today.day - back));
  let slot = instantIn(timeZone, day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), time.hour, time.minute);
  if (slot > now) {
    const earlier = new Date(Date.UTC(today.year, today.month - 1, today.day - back - (time.weekday === undefined ? 1 : 7)));
    slot = instantIn(timeZone, earlier.getUTCFullYear(), earlier.getUTCMonth() + 1, earlier.getUTCDate(), time.hour, time.minute);
  }
  return slot;
}

/** The slot's local time in `timeZone` (`2026-12-07T09:00`), for the keys of what a run posts. */
export function slotKeyOf(timeZone: string, slot: number): string {
  const p = partsIn(timeZone, slot);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${p.year}-${two(p.month)}-${two(p.day)}T${two(p.hour)}:${two(p.minute)}`;
}

/**
 * Runs the commands' schedules: each slot once across every instance (a claim while it runs, the slot recorded when
 * done), again after a crash mid-run (what it posted is not posted twice: notices are keyed by the slot), and after
 * downtime the latest missed slot once, not one run per missed slot.
 */
export class Scheduler {
  private readonly looks: Periodic;
  private readonly schedules: { id: string; commandId: string; schedule: Schedule; at: SlotTime }[] = [];
  private readonly done;
  /** Slots whose run failed here: when to try again, and how often it failed. */
  private readonly failed = new Map<string, { at: number; failures: number }>();

  constructor(
    private readonly deps: {
      registry: Registry;
      store: Store;
      log: Logger;
      timeZone: string;
      clock: () => number;
      /** The context of a command's scheduled run (the bot's own services). */
      context: (commandId: string) => EventContext;
      /** Times that replace the declared ones (`subscribe.weekly`), or `off`. */
      times?: Readonly<Record<string, SlotTime | 'off'>>;
      /** How often the clock is looked at (default 30 s). */
      everyMs?: number;
    },
  ) {
    this.done = deps.store.namespace(DONE);
    this.looks = new Periodic(() => this.tick(), deps.everyMs ?? 30_000, deps.log, 'schedule.tick_failed');
    for (const command of deps.registry.commands) {
      for (const [name, schedule] of Object.entries(command.schedules ?? {})) {
        const id = `${command.id}.${name}`;
        const at = deps.times?.[id] ?? schedule.at;
        if (at !== 'off') this.schedules.push({ id, commandId: command.id, schedule, at });
      }
    }
  }

  start(): void {
    this.looks.start();
  }

  stop(): Promise<void> {
    return this.looks.stop();
  }

  /** Runs what is due now; a look asked for while one is under way joins it. */
  tickNow(): Promise<void> {
    return this.looks.now();
  }

  private async tick(): Promise<void> {
    const now = this.deps.clock();
    for (const entry of this.schedules) {
      const slot = latestSlot(entry.at, this.deps.timeZone, now);
      const last = await this.done.get(entry.id);
      if (last !== undefined && last >= slot) continue;
      if (last === undefined) {
        // A schedule seen for the first time (a new install, a new schedule) starts with its next slot: one that passed
        // before the bot looked, even minutes before, was nobody's to expect.
        await this.done.set(entry.id, slot);
        continue;
      }
      const claim = `schedule:${entry.id}:${slot}`;
      const failedBefore = this.failed.get(claim);
      if (failedBefore && failedBefore.at > now) continue;
      if (!(await this.deps.store.claim(claim, RUNNING_MS))) continue;
      const slotKey = slotKeyOf(this.deps.timeZone, slot);
      const started = Date.now();
      try {
        const ctx: ScheduleContext = { ...this.deps.context(entry.commandId), slot, slotKey };
        await entry.schedule.run(ctx);
        await this.done.set(entry.id, slot);
        this.failed.delete(claim);
        this.deps.log.info({ event: 'schedule.ran', schedule: entry.id, slot: slotKey, durationMs: Date.now() - started });
      } catch (err) {
        // Given back, and tried again later, 5 min, 10, 20 … an hour apart (what it posted already is not posted twice).
        await this.deps.store.release(claim).catch(() => undefined);
        const failures = (failedBefore?.failures ?? 0) + 1;
        const retryAt = now + Math.min(RETRY_FIRST_MS * 2 ** (failures - 1), 3600_000);
        this.failed.set(claim, { at: retryAt, failures });
        this.deps.log.warn({ event: 'schedule.failed', schedule: entry.id, slot: slotKey, failures, retryAt: new Date(retryAt).toISOString(), err });
      }
    }
  }
}
