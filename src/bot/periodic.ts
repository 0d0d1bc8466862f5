import type { Logger } from '../log.js';

/**
 * A look the bot takes now and then (the outbox, the schedules): one at a time — a look asked for while one is under
 * way joins it — every `everyMs` once started, and at once when asked. A look that throws is logged as `failedEvent`.
 */
export class Periodic {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly look: () => Promise<void>,
    private readonly everyMs: number,
    private readonly log: Logger,
    private readonly failedEvent: string,
  ) {}

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => void this.now(), this.everyMs);
    this.timer.unref();
    void this.now();
  }

  /** Stops looking; resolves once the look under way (if any) is over. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Looks now, or joins the look under way; nothing once stopped (the store may be closing). */
  now(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.running ??= this.look()
      .catch((err: unknown) => this.log.warn({ event: this.failedEvent, err }))
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }
}
