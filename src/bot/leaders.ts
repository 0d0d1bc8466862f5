import type { Logger } from '../log.js';
import { defineNamespace, type Store } from '../store/index.js';
import { WeComError, WeComTransportError, type WeComClient } from '../wecom/index.js';
import type { LeaderSource } from './roles.js';

/** The department leaders as last read from the contacts, shared by every instance. */
const LEADERS = defineNamespace<{ at: number; userids: string[]; failedAt?: number }>('department-leaders');

/** Leaders change rarely: the contacts are read again after this long. */
const REFRESH_MS = 6 * 3600_000;
/** After the contacts could not be read (no permission, an untrusted IP), the last reading serves this long. */
const RETRY_MS = 10 * 60_000;

/**
 * Department leaders (负责人: `is_leader_in_dept` in the contacts), for BOT_MANAGERS_FROM_LEADERS: read from the
 * departments in the app's visible range, kept in the store for six hours, read once however many messages ask at
 * once. When the contacts cannot be read, the last reading serves (or none).
 */
export function departmentLeaders(client: WeComClient, store: Store, log: Logger): LeaderSource {
  const kept = store.namespace(LEADERS);
  let memo: { at: number; set: ReadonlySet<string> } | undefined;
  let reading: Promise<ReadonlySet<string>> | undefined;
  const read = async (): Promise<ReadonlySet<string>> => {
    const cached = await kept.get('corp');
    const fresh = cached && (Date.now() - cached.at < REFRESH_MS || Date.now() - (cached.failedAt ?? 0) < RETRY_MS);
    if (cached && fresh) return new Set(cached.userids.map((u) => u.toLowerCase()));
    try {
      const leaders = new Set<string>();
      for (const department of (await client.contacts.departments(1)).department_id) {
        for (const member of (await client.contacts.members(department.id)).userlist) {
          if ((member.is_leader_in_dept ?? []).some((flag) => flag === 1)) leaders.add(member.userid);
        }
      }
      await kept.set('corp', { at: Date.now(), userids: [...leaders] });
      return new Set([...leaders].map((u) => u.toLowerCase()));
    } catch (err) {
      if (!WeComError.is(err) && !WeComTransportError.is(err)) throw err;
      log.warn({ event: 'leaders.unreadable', errcode: WeComError.is(err) ? err.errcode : undefined });
      // Not asked again at every message: the last reading (or none) serves until the retry is due.
      await kept.set('corp', { at: cached?.at ?? 0, userids: cached?.userids ?? [], failedAt: Date.now() }).catch(() => undefined);
      return new Set((cached?.userids ?? []).map((u) => u.toLowerCase()));
    }
  };
  return async () => {
    // A message asks every time: the store is read at most once a second, the contacts once in six hours.
    if (memo && Date.now() - memo.at < 1000) return memo.set;
    reading ??= read().finally(() => {
      reading = undefined;
    });
    const set = await reading;
    memo = { at: Date.now(), set };
    return set;
  };
}
