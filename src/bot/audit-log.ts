import { silentLogger, type Logger } from '../log.js';
import type { Store, Timeline } from '../store/index.js';
import type { Action, ArgValues, AuditEntry } from './command.js';

export type { AuditDecision, AuditEntry } from './command.js';

/** Audit entries are kept this long. */
const RETENTION_MS = 365 * 24 * 3600 * 1000;

/** Replaces the values of options marked `redact` with a length note. */
export function redactArgs(action: Action, values: ArgValues): ArgValues {
  const out: ArgValues = { ...values };
  for (const option of action.options ?? []) {
    const value = out[option.name];
    if (option.redact && value !== undefined) out[option.name] = `[redacted ${String(value).length} chars]`;
  }
  return out;
}

/** An audit entry as a log line: who, what, how it ended and how long it took; nothing the member typed. */
function logLine(entry: AuditEntry): Record<string, unknown> {
  const { time: _time, args: _args, reason, ...rest } = entry;
  // An older instance wrote reasons as text: logged as they are.
  const why =
    reason === undefined
      ? {}
      : typeof reason === 'object' && reason !== null
        ? { reason: reason.kind, ...('key' in reason && reason.key ? { key: reason.key } : {}) }
        : { reason: String(reason) };
  return { event: 'audit', ...rest, ...why };
}

/**
 * The append-only audit log in the store (shared by every instance on one Redis), indexed by time and by member:
 * the newest entries are read from the index, whatever the size of the log; entries older than a year are purged.
 * Each entry is also one `audit` log line — one per command run and per decision — without its arguments (they may
 * echo what a member typed).
 */
export class AuditLog {
  private readonly entries: Timeline<AuditEntry>;

  constructor(
    store: Store,
    private readonly now: () => number = Date.now,
    private readonly log: Logger = silentLogger,
    private readonly observe?: (entry: AuditEntry) => void,
  ) {
    this.entries = store.timeline<AuditEntry>('audit');
  }

  /** Appends an entry. */
  async append(entry: Omit<AuditEntry, 'time'>): Promise<AuditEntry> {
    const at = this.now();
    const full: AuditEntry = { time: new Date(at).toISOString(), ...entry };
    await this.entries.append(at, entry.userid.toLowerCase(), full, RETENTION_MS);
    this.log[full.decision === 'failed' ? 'warn' : 'info'](logLine(full));
    this.observe?.(full);
    return full;
  }

  /** The newest entries first, optionally of one member. */
  recent(opts: { user?: string; limit?: number } = {}): Promise<AuditEntry[]> {
    return this.entries.newest({ limit: opts.limit ?? 20, ...(opts.user ? { tag: opts.user.toLowerCase() } : {}) });
  }
}
