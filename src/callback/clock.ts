/** The window over which signed callbacks are counted, in whole seconds. */
const WINDOW_SECONDS = 60;
/** Signed callbacks refused as stale in the window before the clock is called skewed (a lone late retry is not). */
const MIN_STALE = 3;
/** Skews kept per second for the median: a sample is enough, and a skewed clock under heavy traffic keeps no more. */
const SKEWS_PER_SECOND = 32;

/** What one second of the window saw. */
interface Second {
  second: number;
  accepted: number;
  stale: number;
  skews: number[];
}

/**
 * Watches the bot's clock through WeCom's callbacks: a callback whose signature is WeCom's but whose timestamp lies
 * outside the freshness window says this machine's clock is off (WeCom stamps each delivery as it sends it). When most
 * signed callbacks of the last minute were refused so, the clock is skewed: /healthz says so, and the admins are told.
 * The minute is counted in one slot per second, so noting a callback costs the same at 10 a minute or 10,000 a second.
 */
export class ClockWatch {
  private readonly seconds: Second[] = Array.from({ length: WINDOW_SECONDS }, () => ({ second: -1, accepted: 0, stale: 0, skews: [] }));
  private skewedBefore = false;

  constructor(
    private readonly now: () => number = Date.now,
    /** Called when the clock is first seen skewed (and again after it was fine in between). */
    private readonly onSkewed: (skewSeconds: number) => void = () => undefined,
  ) {}

  /** A signed callback accepted as fresh. */
  accepted(): void {
    this.slot().accepted += 1;
    // More fresh callbacks can only end a skew, never start one: no need to look at the window.
    if (this.skewedBefore) this.skewedBefore = this.skew() !== undefined;
  }

  /** A signed callback refused as stale: its timestamp minus this clock, in ms. */
  stale(skewMs: number): void {
    const slot = this.slot();
    slot.stale += 1;
    if (slot.skews.length < SKEWS_PER_SECOND) slot.skews.push(skewMs);
    const skew = this.skew();
    if (skew !== undefined && !this.skewedBefore) this.onSkewed(skew);
    this.skewedBefore = skew !== undefined;
  }

  /** How far off the clock looks (seconds, WeCom's time minus ours), when most signed callbacks of the last minute were stale. */
  skew(): number | undefined {
    const since = Math.floor(this.now() / 1000) - WINDOW_SECONDS;
    let stale = 0;
    let all = 0;
    const skews: number[] = [];
    for (const s of this.seconds) {
      if (s.second <= since) continue;
      stale += s.stale;
      all += s.stale + s.accepted;
      skews.push(...s.skews);
    }
    if (stale < MIN_STALE || stale * 2 <= all) return undefined;
    skews.sort((a, b) => a - b);
    return Math.round((skews[Math.floor(skews.length / 2)] ?? 0) / 1000);
  }

  /** This second's slot, emptied first if it last counted a second that has left the window. */
  private slot(): Second {
    const second = Math.floor(this.now() / 1000);
    const slot = this.seconds[second % WINDOW_SECONDS]!;
    if (slot.second !== second) {
      slot.second = second;
      slot.accepted = 0;
      slot.stale = 0;
      slot.skews = [];
    }
    return slot;
  }
}
