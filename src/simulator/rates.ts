import { simError } from './errors.js';

/** Per-minute call limits, by API path (under /cgi-bin/). */
export type MinuteLimits = Record<string, number>;

/**
 * WeCom's documented per-minute limits of single APIs (doc 90454 访问频率限制): add_moment_task takes 10 a minute
 * per corp. Others share the corp-wide 10,000 a minute, which a test lowers through the simulator's options.
 */
export const DEFAULT_MINUTE_LIMITS: MinuteLimits = { 'externalcontact/add_moment_task': 10 };

/**
 * Frequency limits as WeCom applies them: past an API's per-minute limit it answers 45009, and keeps answering
 * 45009 for the whole block (doc 90454: a per-minute block lasts 60 s), so a caller that retries inside it only
 * meets more refusals.
 */
export class RateLimiter {
  private readonly calls = new Map<string, number[]>();
  private readonly blockedUntil = new Map<string, number>();

  constructor(
    private readonly limits: MinuteLimits,
    /** The window and the block, in ms (WeCom: 60 000; tests shorten it). */
    private readonly windowMs: number = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one call of `path`. @throws SimError 45009 when the path is over its limit or blocked. */
  admit(path: string): void {
    const limit = this.limits[path];
    if (limit === undefined) return;
    const at = this.now();
    if ((this.blockedUntil.get(path) ?? 0) > at) throw simError(45009, `${path}: blocked after its per-minute limit`);
    const recent = (this.calls.get(path) ?? []).filter((t) => t > at - this.windowMs);
    if (recent.length >= limit) {
      this.blockedUntil.set(path, at + this.windowMs);
      this.calls.set(path, recent);
      throw simError(45009, `${path}: at most ${limit} a minute`);
    }
    recent.push(at);
    this.calls.set(path, recent);
  }
}
