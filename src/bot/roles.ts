import type { Role } from './command.js';

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
