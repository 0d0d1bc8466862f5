/** The window over which signed callbacks are counted. */
const WINDOW_MS = 60_000;
/** Signed callbacks refused as stale in the window before the clock is called skewed (a lone late retry is not). */
const MIN_STALE = 3;

/**
 * Watches the bot's clock through WeCom's callbacks: a callback whose signature is WeCom's but whose timestamp lies
 * outside the freshness window says this machine's clock is off (WeCom stamps each delivery as it sends it). When most
 * signed callbacks of the last minute were refused so, the clock is skewed: /healthz says so, and the admins are told.
 */
export class ClockWatch {
  private readonly seen: { at: number; stale: boolean; skewMs: number }[] = [];

  constructor(
    private readonly now: () => number = Date.now,
    /** Called when the clock is first seen skewed (and again after it was fine in between). */
    private readonly onSkewed: (skewSeconds: number) => void = () => undefined,
  ) {}

  private skewedBefore = false;

  /** A signed callback accepted as fresh. */
  accepted(): void {
    this.note(false, 0);
  }

  /** A signed callback refused as stale: its timestamp minus this clock, in ms. */
  stale(skewMs: number): void {
    this.note(true, skewMs);
  }

  /** How far off the clock looks (seconds, WeCom's time minus ours), when most signed callbacks of the last minute were stale. */
  skew(): number | undefined {
    const recent = this.recent();
    const stale = recent.filter((s) => s.stale);
    if (stale.length < MIN_STALE || stale.length * 2 <= recent.length) return undefined;
    const sorted = stale.map((s) => s.skewMs).sort((a, b) => a - b);
    return Math.round((sorted[Math.floor(sorted.length / 2)] ?? 0) / 1000);
  }

  private note(stale: boolean, skewMs: number): void {
    this.seen.push({ at: this.now(), stale, skewMs });
    this.recent();
    const skew = this.skew();
    if (skew !== undefined && !this.skewedBefore) this.onSkewed(skew);
    this.skewedBefore = skew !== undefined;
  }

  /** The entries of the last minute (older ones dropped). */
  private recent(): { at: number; stale: boolean; skewMs: number }[] {
    const since = this.now() - WINDOW_MS;
    while (this.seen.length > 0 && (this.seen[0]?.at ?? 0) < since) this.seen.shift();
    return this.seen;
  }
}
