/** The audit log as commands write and read it. */
import type { ArgValues, FieldRef } from './fields.js';
import type { Role } from './roles.js';

/** What happened to a command, a click or an event. */
export type AuditDecision = 'denied' | 'proposed' | 'confirmed' | 'cancelled' | 'executed' | 'failed';

/**
 * Why an audited action was refused, cancelled or failed, kept as data (schema 2 of the store) and said in the
 * reader's language when /审计 shows it.
 */
export type AuditReason =
  /** A role was missing. */
  | { kind: 'role'; needed: Role }
  /**
   * Bad input, as the message `key` said it with its `params` (strings cut short). `fields` names the parameters that
   * are a declared field, `members` those that are a member (by UserID): both are labelled in the reader's language.
   */
  | { kind: 'input'; key: string; params?: Record<string, string | number>; fields?: Record<string, FieldRef>; members?: Record<string, string> }
  /** WeCom answered with this errcode. */
  | { kind: 'wecom'; errcode: number }
  /** WeCom did not answer; a write may have been applied all the same. */
  | { kind: 'noAnswer'; maybeApplied: boolean }
  /** A confirmation card that no longer counted: a newer one replaced it, someone else clicked it, it expired. */
  | { kind: 'proposal'; why: 'superseded' | 'notProposer' | 'expired' }
  /** Anything else: the error's name (its message goes to the log, never to the audit). */
  | { kind: 'error'; name: string };

/** One line of the audit log. */
export interface AuditEntry {
  /** ISO time. */
  time: string;
  userid: string;
  /** Action id (`transfer`, `tags.delete`, `help`, `welcome.event`). */
  command: string;
  args: ArgValues;
  decision: AuditDecision;
  errcode?: number;
  durationMs?: number;
  /** Why it was refused, cancelled or failed: data, said in the reader's language when the log is read. */
  reason?: AuditReason;
  /** The confirmation code, for proposals and what follows them. */
  code?: string;
}

/** Reading the audit log (`/审计`). */
export interface AuditReader {
  recent(query: { user?: string; limit: number }): Promise<AuditEntry[]>;
}
