import { defineNamespace, type Namespace, type Store } from '../store/index.js';
import type { Role, RoleHolder, RoleRegistry } from './command.js';

/** A role given in chat (`/角色 添加`): who gave it and when. */
interface Granted {
  /** As it was typed (the key is in lower case). */
  userid: string;
  role: 'admin' | 'manager';
  by: string;
  at: number;
}

/** The roles given in chat, by UserID (lower case), in one record: one read tells every role. */
const ROLES = defineNamespace<Record<string, Granted>>('roles');
const KEY = 'granted';
/** The claim that serialises changes of the record, how long one lasts at most, and how long a change waits for it. */
const LOCK = 'roles:change';
const LOCK_TTL_MS = 5000;
const CHANGE_WAIT_MS = 10_000;

/** Where department leaders come from (the contacts), for BOT_MANAGERS_FROM_LEADERS. */
export type LeaderSource = () => Promise<ReadonlySet<string>>;

/**
 * Who holds which role: the root admins (BOT_ADMINS, which chat cannot remove), BOT_MANAGERS, the roles given in chat
 * (kept in the store, so every instance sees a change at its next message), and, with BOT_MANAGERS_FROM_LEADERS, the
 * department leaders. Everyone else in the app's visible range is staff. {@link refresh} reads the store once per
 * message; {@link of} answers from that reading.
 */
export class Roles implements RoleRegistry {
  private readonly rootAdmins: ReadonlySet<string>;
  private readonly configManagers: ReadonlySet<string>;
  private readonly rootList: readonly string[];
  private readonly managerList: readonly string[];
  private readonly granted: Namespace<Record<string, Granted>> | undefined;
  private readonly store: Store | undefined;
  private chat: Record<string, Granted> = {};
  private leaders: ReadonlySet<string> = new Set();

  constructor(
    admins: readonly string[],
    managers: readonly string[],
    store?: Store,
    private readonly leaderSource?: LeaderSource,
  ) {
    this.rootAdmins = new Set(admins.map((u) => u.toLowerCase()));
    this.configManagers = new Set(managers.map((u) => u.toLowerCase()));
    this.rootList = admins;
    this.managerList = managers;
    this.granted = store?.namespace(ROLES);
    this.store = store;
  }

  /** Reads the roles given in chat (and the leaders, when they count); call once per message. */
  async refresh(): Promise<void> {
    if (this.granted) this.chat = (await this.granted.get(KEY)) ?? {};
    if (this.leaderSource) this.leaders = await this.leaderSource();
  }

  /** The role of a UserID (WeCom compares UserIDs case-insensitively). */
  of(userid: string): Role {
    const id = userid.toLowerCase();
    if (this.rootAdmins.has(id) || this.chat[id]?.role === 'admin') return 'admin';
    if (this.configManagers.has(id) || this.chat[id]?.role === 'manager' || this.leaders.has(id)) return 'manager';
    return 'staff';
  }

  /** Every admin: the root ones and those given in chat (notices without a known recipient go to them). */
  admins(): string[] {
    const chatAdmins = Object.values(this.chat)
      .filter((g) => g.role === 'admin' && !this.rootAdmins.has(g.userid.toLowerCase()))
      .map((g) => g.userid);
    return [...this.rootList, ...chatAdmins];
  }

  async list(): Promise<RoleHolder[]> {
    await this.refresh();
    const out: RoleHolder[] = [];
    for (const userid of this.rootList) out.push({ userid, role: 'admin', source: 'root' });
    for (const [id, g] of Object.entries(this.chat)) {
      if (!this.rootAdmins.has(id)) out.push({ userid: g.userid, role: g.role, source: 'chat', by: g.by, at: g.at });
    }
    for (const userid of this.managerList) {
      if (this.sourceOf(userid) === 'config') out.push({ userid, role: 'manager', source: 'config' });
    }
    for (const userid of this.leaders) if (this.sourceOf(userid) === 'leader') out.push({ userid, role: 'manager', source: 'leader' });
    return out;
  }

  /** Where a member's role comes from, if anywhere. */
  sourceOf(userid: string): RoleHolder['source'] | undefined {
    const id = userid.toLowerCase();
    if (this.rootAdmins.has(id)) return 'root';
    if (this.chat[id]) return 'chat';
    if (this.configManagers.has(id)) return 'config';
    if (this.leaders.has(id)) return 'leader';
    return undefined;
  }

  async grant(userid: string, role: 'admin' | 'manager', by: string): Promise<void> {
    await this.change((current) => {
      current[userid.toLowerCase()] = { userid, role, by, at: Date.now() };
      return true;
    });
  }

  async revoke(userid: string): Promise<boolean> {
    return this.change((current) => {
      const id = userid.toLowerCase();
      if (!current[id]) return false;
      delete current[id];
      return true;
    });
  }

  /**
   * Reads, changes and writes the record of roles given in chat as one step across every instance: two admins giving
   * roles at the same moment both keep theirs (a claim in the store serialises them).
   */
  private async change(edit: (current: Record<string, Granted>) => boolean): Promise<boolean> {
    const { store, granted } = this;
    if (!store || !granted) throw new Error('roles are not stored');
    const me = `roles-${process.pid}-${Math.random().toString(36).slice(2)}`;
    const deadline = Date.now() + CHANGE_WAIT_MS;
    while ((await store.claimFor(LOCK, me, LOCK_TTL_MS)) !== me) {
      if (Date.now() > deadline) throw new Error('roles are being changed elsewhere: try again');
      await new Promise((r) => setTimeout(r, 20));
    }
    try {
      const current = (await granted.get(KEY)) ?? {};
      const changed = edit(current);
      if (changed) await granted.set(KEY, current);
      this.chat = current;
      return changed;
    } finally {
      await store.release(LOCK);
    }
  }
}
