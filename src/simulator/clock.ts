/**
 * The simulated corp's clock: real time plus an offset a test (or the playground) moves forward, so that what WeCom
 * does after a day (a transfer taken over 24 h later) is seen without waiting a day. Callbacks and access tokens stay
 * on real time: the bot checks callback timestamps against its own clock.
 */
export class SimClock {
  private offsetMs = 0;
  private readonly listeners: (() => void)[] = [];

  /** Milliseconds since the epoch, as the corp sees it. */
  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** Moves the corp's time forward by `ms`. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new Error('the clock only moves forward');
    this.offsetMs += ms;
    for (const listener of this.listeners) listener();
  }

  /** Calls `listener` after each move (what falls due, such as a transfer's takeover, then happens). */
  onAdvance(listener: () => void): void {
    this.listeners.push(listener);
  }
}
