import { createHash } from 'node:crypto';
import type { Namespace } from '../store/index.js';
import { WeComError, WeComTransportError } from './errors.js';
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
}

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

/**
 * The writes of one unit of work, recorded so that a re-run after a crash does not repeat them. A write is known by
 * what it writes — its path, query and body — and by how many identical writes came before it in the run: a re-run
 * whose reads changed, and so writes something else, never gets an answer recorded for a different write.
 */
export class WriteJournal {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly records: Namespace<EffectRecord>,
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
   * twice). On a re-run, a write whose answer was recorded is not sent again: the recorded answer is returned. One
   * that was sent but whose answer was not recorded is reported as possibly applied instead of being sent again.
   */
  async once<T>(spec: CallSpec, send: () => Promise<T>): Promise<T> {
    const id = this.idOf(spec);
    const resendable = spec.resendable === true;
    if (this.unit.attempt > 1) {
      const known = await this.records.get(id);
      if (known?.state === 'done') return known.response as T;
      if (known?.state === 'started' && !resendable) {
        throw new WeComTransportError(spec.path, new Error('sent before the bot restarted; its outcome was not recorded'), true);
      }
    }
    if (!resendable) await this.records.set(id, { state: 'started' }, EFFECT_TTL_MS);
    let response: T;
    try {
      response = await send();
    } catch (err) {
      // WeCom refused it (errcode ≠ 0): nothing was applied, so a re-run may try again.
      if (WeComError.is(err) && !resendable) await this.records.delete(id);
      throw err;
    }
    await this.records.set(id, { state: 'done', response }, EFFECT_TTL_MS);
    return response;
  }
}

/** Calls through `http`; writes go through `journal`, at most once for its unit of work. */
export function journaledCaller(http: WeComCaller, journal: WriteJournal): WeComCaller {
  return {
    call: <T extends WeComResponse>(spec: CallSpec, token?: string | null) =>
      spec.kind === 'write' ? journal.once(spec, () => http.call<T>(spec, token)) : http.call<T>(spec, token),
  };
}
