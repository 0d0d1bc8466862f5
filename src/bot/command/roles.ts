/** Who may run what: the roles, and the registry of who holds one. */

/** staff < manager < admin. */
export type Role = 'staff' | 'manager' | 'admin';

const RANK: Record<Role, number> = { staff: 0, manager: 1, admin: 2 };

/** True when `role` includes `needed` (an admin may do what a manager may). */
export function hasRole(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}

/** Someone who holds a role, and where it comes from. */
export interface RoleHolder {
  userid: string;
  role: 'admin' | 'manager';
  /** `root`: BOT_ADMINS; `config`: BOT_MANAGERS; `chat`: given with /角色; `leader`: a department leader. */
  source: 'root' | 'config' | 'chat' | 'leader';
  /** For `chat`: who gave it, and when (ms). */
  by?: string;
  at?: number;
}

/** The roles beyond staff, as /角色 reads and changes them. */
export interface RoleRegistry {
  /** Everyone who holds a role, read fresh from the store. */
  list(): Promise<RoleHolder[]>;
  /** Where a member's role comes from (after {@link list} or at the start of a message). */
  sourceOf(userid: string): RoleHolder['source'] | undefined;
  /** Gives a role in chat; effective at once, for every instance. */
  grant(userid: string, role: 'admin' | 'manager', by: string): Promise<void>;
  /** Takes back a role given in chat; false when there was none. */
  revoke(userid: string): Promise<boolean>;
}
