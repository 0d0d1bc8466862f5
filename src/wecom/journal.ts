import { createHash } from 'node:crypto';
import { STORE_RETRY_MS, type Namespace } from '../store/index.js';
import { WeComError, WeComRetryLater, WeComTransportError } from './errors.js';
import type { CallSpec, WeComCaller } from './http.js';
import type { WeComResponse } from './types/common.js';

/** What is known of one recorded write. */
export interface EffectRecord {
  /** `started`: sent, answer not recorded (the process may have died in between); `done`: the answer. */
  state: 'started' | 'done';
  response?: unknown;
}

/** How long a write's record is kept: longer than any unit of work can wait for its re-run. */
export const EFFECT_TTL_MS = 24 * 3600_000;

/** One unit of work whose writes must happen once: re-run after a crash, it has the same `key` and a higher `attempt`. */
export interface WorkUnit {
  key: string;
  /** 1 on the first run; more after a crash interrupted an earlier run. */
  attempt: number;
  /** How often the unit was put off for later already (see {@link WeComRetryLater}); 0 when never. */
  deferred?: number;
}

/**
 * How often a unit of work is put off for a blocked API (45009) at most: each time it waits a block out (a minute)
 * without holding a worker; after that the 45009 is its answer.
 */
export const MAX_BLOCKED_DEFERRALS = 2;

/** A value written with its object keys in order, so that equal bodies give equal text. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** A record of a write's answer the store refused is written again this often, and when the client closes. */
const RECORD_RETRY_MS = 1000;

/**
 * The records of writes, in the store: a record of an answer that the store refuses (a full disk) is kept here and
 * written again every second and when the client closes, so that once the store takes writes again (before a restart
 * that frees the disk reads it), the write is known as done and never sent again.
 */
export class EffectRecords {
  private readonly pending = new Map<string, { value: EffectRecord; ttlMs: number }>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly records: Namespace<EffectRecord>) {}

  async get(id: string): Promise<EffectRecord | undefined> {
    return this.pending.get(id)?.value ?? (await this.records.get(id));
  }

  /** @throws what the store threw. */
  async set(id: string, value: EffectRecord, ttlMs: number): Promise<void> {
    await this.records.set(id, value, ttlMs);
  }

  /** Records now if the store takes it, else keeps it and tries again until it does. */
  async setSoon(id: string, value: EffectRecord, ttlMs: number): Promise<void> {
    try {
      await this.records.set(id, value, ttlMs);
    } catch {
      this.pending.set(id, { value, ttlMs });
      this.timer ??= setInterval(() => void this.flush(), RECORD_RETRY_MS);
      this.timer.unref();
    }
  }

  delete(id: string): Promise<unknown> {
    this.pending.delete(id);
    return this.records.delete(id);
  }

  /** Writes the records the store refused before, as far as it takes them now. */
  async flush(): Promise<void> {
    for (const [id, { value, ttlMs }] of this.pending) {
      try {
        await this.records.set(id, value, ttlMs);
        this.pending.delete(id);
      } catch {
        return; // still refused: the next round
      }
    }
    if (this.pending.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  /** Writes what it can of the pending records and stops trying. */
  async close(): Promise<void> {
    await this.flush();
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}

/**
 * The writes of one unit of work, recorded so that a re-run after a crash does not repeat them. A write is known by
 * what it writes — its path, query and body — and by how many identical writes came before it in the run: a re-run
 * whose reads changed, and so writes something else, never gets an answer recorded for a different write.
 */
export class WriteJournal {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly records: EffectRecords,
    readonly unit: WorkUnit,
  ) {}

  /** The record id of this write: the unit, a digest of what it writes, and its rank among identical ones. */
  private idOf(spec: CallSpec): string {
    const digest = createHash('sha256')
      .update(`${spec.path}\n${canonical(spec.query ?? {})}\n${canonical(spec.body ?? null)}`)
      .digest('hex')
      .slice(0, 24);
    const rank = (this.seen.get(digest) ?? 0) + 1;
    this.seen.set(digest, rank);
    return `${this.unit.key}:${digest}:${rank}`;
  }

  /**
   * Sends a write at most once per unit (`resendable` ones, app messages and card updates, at least once and at most
   * twice). A write whose answer was recorded is not sent again: the recorded answer is returned. One that was sent but
   * whose answer was not recorded is reported as possibly applied instead of being sent again.
   * @throws WeComRetryLater when the store cannot record the write before it is sent: it is not sent, and the unit runs
   * again later (a full disk, a store outage), so no reply goes out twice because its record was lost.
   */
  async once<T>(spec: CallSpec, send: () => Promise<T>): Promise<T> {
    const id = this.idOf(spec);
    const resendable = spec.resendable === true;
    // Every run looks, the first included: a run the inbox counts as the first may follow one whose record of being
    // taken was lost when the store failed mid-run.
    const known = await this.records.get(id);
    if (known?.state === 'done') return known.response as T;
    if (known?.state === 'started' && !resendable) {
      throw new WeComTransportError(spec.path, new Error('sent before the bot restarted; its outcome was not recorded'), true);
    }
    try {
      await this.records.set(id, { state: 'started' }, EFFECT_TTL_MS);
    } catch (err) {
      throw new WeComRetryLater(spec.path, Date.now() + STORE_RETRY_MS, 'unrecorded', err);
    }
    let response: T;
    try {
      response = await send();
    } catch (err) {
      // Refused (errcode ≠ 0) or never sent (a blocked API): nothing was applied, so a re-run may try again.
      if (WeComError.is(err) || WeComRetryLater.is(err)) await this.records.delete(id).catch(() => undefined);
      throw err;
    }
    // It happened: a record of its answer the store refuses now is written once it takes writes again; until then, a
    // re-run here sees it, and a restart that comes first sees `started` (possibly applied; a reply is sent again).
    await this.records.setSoon(id, { state: 'done', response }, EFFECT_TTL_MS);
    return response;
  }
}

/**
 * Calls through `http` for one unit of work: a call of a blocked API puts the unit off for later (see
 * {@link WeComRetryLater}) instead of waiting, until it was put off {@link MAX_BLOCKED_DEFERRALS} times; writes go
 * through `journal` when there is one, at most once for the unit.
 */
export function unitCaller(http: WeComCaller, unit: WorkUnit, journal: WriteJournal | undefined): WeComCaller {
  const whenBlocked = (unit.deferred ?? 0) < MAX_BLOCKED_DEFERRALS ? 'retryLater' : 'fail';
  return {
    call: <T extends WeComResponse>(spec: CallSpec, token?: string | null) => {
      const marked: CallSpec = { ...spec, whenBlocked };
      return spec.kind === 'write' && journal ? journal.once(marked, () => http.call<T>(marked, token)) : http.call<T>(marked, token);
    },
  };
}
