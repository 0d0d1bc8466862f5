import type { Logger } from '../log.js';
import type { AuditLog } from './audit-log.js';
import { ParseError, PermissionDenied, UserError, type AuditEntry } from './command.js';
import { errcodeOf, reasonOf } from './explain.js';
import { WeComRetryLater } from '../wecom/index.js';
import { isStoreFailure } from '../store/index.js';

/** Who did what: the member (or `sys`), the action id, its arguments (already redacted), the confirmation code. */
export type AuditSubject = Pick<AuditEntry, 'userid' | 'command' | 'args'> & { code?: string };

/** How a piece of audited work ended. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * The one way commands, confirmed actions and event handlers run and are recorded: `work` runs, then the audit log
 * says what came of it — executed, with its duration (unless `recordSuccess` is false: the work recorded something
 * more telling itself), denied (a role was missing), or failed, with WeCom's errcode and the reason. A failure that
 * is neither bad input nor a WeCom answer is logged as an error too. What `work` threw is returned, not thrown: the
 * caller explains it to the member. Only work put off for later ({@link WeComRetryLater}, a store failure) is thrown, unrecorded.
 */
export async function audited<T>(
  deps: { audit: AuditLog; log: Logger },
  subject: AuditSubject,
  work: () => Promise<T>,
  opts: { recordSuccess?: boolean } = {},
): Promise<Outcome<T>> {
  const started = Date.now();
  try {
    const value = await work();
    if (opts.recordSuccess !== false) await deps.audit.append({ ...subject, decision: 'executed', durationMs: Date.now() - started });
    return { ok: true, value };
  } catch (error) {
    // Work put off for later (a blocked API, a store that cannot record) is not over: its next run is audited.
    if (WeComRetryLater.is(error) || isStoreFailure(error)) throw error;
    const denied = PermissionDenied.is(error);
    if (!denied && !UserError.is(error) && !ParseError.is(error) && errcodeOf(error) === undefined) {
      deps.log.error({ event: 'action.failed', command: subject.command, err: (error as Error)?.message, reason: reasonOf(error).kind });
    }
    await deps.audit.append({
      ...subject,
      decision: denied ? 'denied' : 'failed',
      errcode: errcodeOf(error),
      reason: reasonOf(error),
      durationMs: Date.now() - started,
    });
    return { ok: false, error };
  }
}
