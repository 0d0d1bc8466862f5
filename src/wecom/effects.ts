import { AsyncLocalStorage } from 'node:async_hooks';
import type { Namespace } from '../store/index.js';
import { WeComError, WeComTransportError } from './errors.js';

/**
 * The unit of work whose WeCom writes must happen once: one inbound delivery. A delivery re-run after a crash has
 * the same `key` and a higher `attempt`; its writes are numbered in the order they are made, and each is looked up
 * by number before it is sent again.
 */
interface EffectScope {
  key: string;
  attempt: number;
  seq: number;
}

/** What is known of one write of a scope. */
export interface EffectRecord {
  /** `started`: sent, answer not recorded (the process may have died in between); `done`: the answer. */
  state: 'started' | 'done';
  response?: unknown;
}

/** How long a write's record is kept: longer than any delivery can wait for its re-run. */
export const EFFECT_TTL_MS = 24 * 3600_000;

const scopes = new AsyncLocalStorage<EffectScope>();

/**
 * Runs `work` as delivery `key`, run number `attempt`: the WeCom writes it makes happen once across re-runs, and
 * the app messages it sends are sent again at most once (only one whose sending was not recorded).
 */
export function withEffectScope<T>(key: string, attempt: number, work: () => Promise<T>): Promise<T> {
  return scopes.run({ key, attempt, seq: 0 }, work);
}

/** The delivery being handled, if any: its key and run number. */
export function currentDelivery(): { key: string; attempt: number } | undefined {
  const scope = scopes.getStore();
  return scope ? { key: scope.key, attempt: scope.attempt } : undefined;
}

/** Runs `work` outside any scope: for sends that depend on timing (a "处理中…" note) and must not shift the count. */
export function outsideEffectScope<T>(work: () => T): T {
  return scopes.exit(work);
}

/**
 * Sends a write at most once per scope and position (`resendable` sends, app messages, at least once and at most
 * twice). On a re-run, a write whose answer was recorded is not sent again: the recorded answer is returned. One
 * that was sent but whose answer was not recorded is reported as possibly applied instead of being sent again.
 */
export async function sendOnce<T>(records: Namespace<EffectRecord>, path: string, resendable: boolean, send: () => Promise<T>): Promise<T> {
  const scope = scopes.getStore();
  if (!scope) return send();
  const id = `${scope.key}:${++scope.seq}`;
  if (scope.attempt > 1) {
    const known = await records.get(id);
    if (known?.state === 'done') return known.response as T;
    if (known?.state === 'started' && !resendable) {
      throw new WeComTransportError(path, new Error('sent before the bot restarted; its outcome was not recorded'), true);
    }
  }
  if (!resendable) await records.set(id, { state: 'started' }, EFFECT_TTL_MS);
  let response: T;
  try {
    response = await send();
  } catch (err) {
    // WeCom refused it (errcode ≠ 0): nothing was applied, so a re-run may try again.
    if (WeComError.is(err) && !resendable) await records.delete(id);
    throw err;
  }
  await records.set(id, { state: 'done', response }, EFFECT_TTL_MS);
  return response;
}
