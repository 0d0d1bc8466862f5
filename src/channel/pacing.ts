/** Pacing of app messages per member (WeCom drops what goes past 30 a minute, or 1,000 an hour). */
export interface PacingOptions {
  perWindow: number;
  windowMs: number;
  /** Messages an hour besides the window's (default WeCom's 1,000). */
  perHour?: number;
  /** The length of that hour (tests shorten it). */
  hourMs?: number;
}

/** WeCom's limits: 30 a minute, 1,000 an hour per member. */
export const WECOM_PACING: PacingOptions = { perWindow: 30, windowMs: 60_000 };

/** Who may be sent one more message now: 0 to send at once, else how long to wait before asking again. */
export interface PaceLedger {
  take(userid: string): Promise<number>;
}

/** Sends remembered in this process: the pacing of a bot alone on its store (memory://). */
export function memoryLedger(pacing: PacingOptions): PaceLedger {
  const sentAt = new Map<string, number[]>();
  const hourMs = pacing.hourMs ?? 3600_000;
  const perHour = pacing.perHour ?? 1000;
  return {
    async take(userid) {
      const now = Date.now();
      const sent = (sentAt.get(userid) ?? []).filter((t) => t > now - Math.max(pacing.windowMs, hourMs));
      const inWindow = sent.filter((t) => t > now - pacing.windowMs);
      const inHour = sent.filter((t) => t > now - hourMs);
      if (inWindow.length < pacing.perWindow && inHour.length < perHour) {
        sent.push(now);
        sentAt.set(userid, sent);
        return 0;
      }
      return inWindow.length >= pacing.perWindow ? (inWindow[0] as number) + pacing.windowMs - now + 5 : (inHour[0] as number) + hourMs - now + 5;
    },
  };
}

/** "Record `key` for `ttlMs` unless it is live; true for the first caller" — the store's claim, shared by every instance. */
export type Claim = (key: string, ttlMs: number) => Promise<boolean>;

/** How long to wait before trying again when every slot is taken (a slot frees when its claim ends). */
const FULL_RETRY_MS = 1000;
/** Hour slots probed past the last free one before the hour is taken to be full. */
const HOUR_PROBES = 40;

/**
 * Sends counted through the store, so every instance and every restart shares each member's budget: a send takes one
 * of `perWindow` slots that each stay claimed for the window (a sliding window: at most `perWindow` claims are live in
 * any `windowMs`), and one of `perHour` slots for the hour. Probing starts after the slot last taken here, so a send
 * costs about one claim; a full window costs `perWindow` claims and a second's wait.
 */
export function claimLedger(claim: Claim, pacing: PacingOptions): PaceLedger {
  const hourMs = pacing.hourMs ?? 3600_000;
  const perHour = pacing.perHour ?? 1000;
  const next = new Map<string, { minute: number; hour: number }>();
  const probe = async (prefix: string, from: number, size: number, tries: number, ttlMs: number): Promise<number | undefined> => {
    for (let i = 0; i < Math.min(tries, size); i++) {
      const slot = (from + i) % size;
      if (await claim(`${prefix}:${slot}`, ttlMs)) return slot;
    }
    return undefined;
  };
  return {
    async take(userid) {
      const user = userid.toLowerCase();
      const hint = next.get(user) ?? { minute: 0, hour: 0 };
      const minute = await probe(`pace:m:${user}`, hint.minute, pacing.perWindow, pacing.perWindow, pacing.windowMs);
      if (minute === undefined) return FULL_RETRY_MS;
      const hour = await probe(`pace:h:${user}`, hint.hour, perHour, HOUR_PROBES, hourMs);
      next.set(user, { minute: minute + 1, hour: hour === undefined ? hint.hour : hour + 1 });
      // The hour is full: wait a minute (the window's slot just taken is spent; the hour's frees in order).
      return hour === undefined ? Math.min(60_000, hourMs) : 0;
    },
  };
}
