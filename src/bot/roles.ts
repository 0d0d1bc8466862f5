import type { Role } from './types.js';

const RANK: Record<Role, number> = { staff: 0, manager: 1, admin: 2 };

/** True when `role` is at least `needed`. */
export function hasRole(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}

/** Roles from BOT_ADMINS / BOT_MANAGERS; everyone else in the app's visible range is staff. */
export class Roles {
  private readonly admins: Set<string>;
  private readonly managers: Set<string>;

  constructor(admins: string[], managers: string[]) {
    this.admins = new Set(admins.map((u) => u.toLowerCase()));
    this.managers = new Set(managers.map((u) => u.toLowerCase()));
  }

  /** The role of a UserID (WeCom compares UserIDs case-insensitively). */
  of(userid: string): Role {
    const id = userid.toLowerCase();
    if (this.admins.has(id)) return 'admin';
    if (this.managers.has(id)) return 'manager';
    return 'staff';
  }
}
