import { randomBytes } from 'node:crypto';
import type { Namespace, Store } from '../store/index.js';
import type { Action, ArgValues } from './types.js';

/** What happened to a command or a click. */
export type Decision = 'denied' | 'proposed' | 'confirmed' | 'cancelled' | 'executed' | 'failed';

/** One line of the audit log. */
export interface AuditEntry {
  /** ISO time. */
  time: string;
  userid: string;
  /** Action id (`transfer`, `tags.delete`, `help`). */
  command: string;
  args: ArgValues;
  decision: Decision;
  errcode?: number;
  durationMs?: number;
  /** Why (denied: the role needed; failed: the error). */
  reason?: string;
  /** The confirmation code, for proposals and what follows them. */
  code?: string;
}

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

/** The append-only audit log in the store (shared by every instance on one Redis). */
export class AuditLog {
  private readonly entries: Namespace<AuditEntry>;
  private seq = 0;

  constructor(store: Store, private readonly now: () => number = Date.now) {
    this.entries = store.namespace<AuditEntry>('audit');
  }

  /** Appends an entry; keys sort by time, so the log reads in order. */
  async append(entry: Omit<AuditEntry, 'time'>): Promise<AuditEntry> {
    const at = this.now();
    const full: AuditEntry = { time: new Date(at).toISOString(), ...entry };
    const key = `${String(at).padStart(15, '0')}-${String(++this.seq).padStart(6, '0')}-${randomBytes(3).toString('hex')}`;
    await this.entries.set(key, full, RETENTION_MS);
    return full;
  }

  /** The newest entries first, optionally of one member or matching a filter. */
  async recent(opts: { user?: string; limit?: number; filter?: (e: AuditEntry) => boolean } = {}): Promise<AuditEntry[]> {
    const all: [string, AuditEntry][] = [];
    for await (const item of this.entries.entries()) all.push(item);
    all.sort((a, b) => (a[0] < b[0] ? 1 : -1));
    const user = opts.user?.toLowerCase();
    return all
      .map(([, e]) => e)
      .filter((e) => (!user || e.userid.toLowerCase() === user) && (!opts.filter || opts.filter(e)))
      .slice(0, opts.limit ?? 20);
  }
}
