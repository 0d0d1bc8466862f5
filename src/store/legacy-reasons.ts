/**
 * Schema 2 keeps an audit entry's reason as data (`AuditReason` in src/bot/command.ts); schema 1 kept a string
 * ("needs admin", "errcode 40096", a message key with its values beside it in `reasonParams`). This reads a schema-1
 * entry's reason once, when the store is migrated, so nothing reading the log parses strings.
 */

/** The shape of a schema-2 reason, as stored (the bot's `AuditReason`). */
type StoredReason =
  | { kind: 'role'; needed: string }
  | {
      kind: 'input';
      key: string;
      params?: Record<string, string | number>;
      fields?: Record<string, { kind: 'option'; name: string }>;
      members?: Record<string, string>;
    }
  | { kind: 'wecom'; errcode: number }
  | { kind: 'noAnswer'; maybeApplied: boolean }
  | { kind: 'proposal'; why: 'superseded' | 'notProposer' | 'expired' }
  | { kind: 'error'; name: string };

/** An audit entry as either schema stores it; only the reason's fields are read. */
export interface EntryWithReason {
  reason?: unknown;
  reasonParams?: Record<string, string | number>;
  errcode?: number;
  [other: string]: unknown;
}

const MESSAGE_KEY = /^[a-z]+(\.[A-Za-z0-9]+)+$/;
/** A member as schema 1 labelled one: "王五（wangwu）" or "Wayne Wang (wangwu)". */
const MEMBER_LABEL = /^([^/;；、,，()（）]+?) ?[（(]([A-Za-z0-9_.@-]+)[）)]$/;
const PROPOSAL: Record<string, 'superseded' | 'notProposer' | 'expired'> = {
  superseded: 'superseded',
  'not the proposer': 'notProposer',
  expired: 'expired',
};

/** The schema-2 reason of a schema-1 entry. */
function typed(reason: string, params: Record<string, string | number>, errcode: number | undefined): StoredReason {
  const needs = /^needs (staff|manager|admin)$/.exec(reason);
  if (needs) return { kind: 'role', needed: needs[1]! };
  const code = /^errcode (\d+)$/.exec(reason);
  if (code) return { kind: 'wecom', errcode: Number(code[1]) };
  // The welcome message kept WeCom's own message beside the errcode.
  if (errcode !== undefined) return { kind: 'wecom', errcode };
  if (reason.startsWith('no answer')) return { kind: 'noAnswer', maybeApplied: reason.includes('may have been applied') };
  // The welcome message kept the error's message: WeCom not answering said so in words.
  if (/did not answer|timed out|failed \(/.test(reason)) return { kind: 'noAnswer', maybeApplied: true };
  const why = PROPOSAL[reason];
  if (why) return { kind: 'proposal', why };
  if (!MESSAGE_KEY.test(reason)) return { kind: 'error', name: reason.slice(0, 60) };
  const values: Record<string, string | number> = {};
  const fields: Record<string, { kind: 'option'; name: string }> = {};
  const members: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) {
    // Schema 1 kept a field as its flag, and read it as an option's label and flag.
    const flag = typeof value === 'string' ? /^--([\w-]+)$/.exec(value)?.[1] : undefined;
    if (flag && name === 'field') {
      fields[name] = { kind: 'option', name: flag };
      continue;
    }
    values[name] = value;
    const member = typeof value === 'string' ? MEMBER_LABEL.exec(value) : null;
    if (member) members[name] = member[2]!;
  }
  return {
    kind: 'input',
    key: reason,
    ...(Object.keys(values).length > 0 ? { params: values } : {}),
    ...(Object.keys(fields).length > 0 ? { fields } : {}),
    ...(Object.keys(members).length > 0 ? { members } : {}),
  };
}

/**
 * The entry with its reason as schema 2 keeps it; an entry already in schema 2 (a migration run twice, by two
 * instances at once) or without a reason comes back as it was, and `changed` says which.
 */
export function upgradeReason(entry: EntryWithReason): { entry: EntryWithReason; changed: boolean } {
  if (typeof entry.reason !== 'string') return { entry, changed: false };
  const { reasonParams, ...rest } = entry;
  return { entry: { ...rest, reason: typed(entry.reason, reasonParams ?? {}, entry.errcode) }, changed: true };
}
