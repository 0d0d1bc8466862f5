import type {
  BehaviorData,
  ContactWay,
  CorpTagGroup,
  ExternalContactProfile,
  GroupChatMember,
  GroupChatStatData,
  Moment,
  TransferStatus,
} from '../wecom/types/index.js';
import type { Attachment, TextContent } from '../wecom/types/index.js';
import { simError } from './errors.js';
import type { SimFollow } from './follow.js';
import type { CustomerPopulation } from './population.js';
import { createRandom, hashSeed, intBetween, randomId } from './random.js';

/** A member of the simulated corp. */
export interface SimMember {
  userid: string;
  name: string;
  /** The English name or alias. */
  alias?: string;
  department: number[];
  status: 'active' | 'resigned';
  /** Unix seconds, for resigned members. */
  dimissionTime?: number;
  /** Whether the admin console gave the member 客户联系 (customer contact); default true. */
  customerContact?: boolean;
  /** The departments (of `department`) the member leads (负责人): `is_leader_in_dept`. */
  leads?: number[];
  /** Has activated WeCom (user/get status 1; 4 when not); default true. A takeover must have (40098). */
  activated?: boolean;
  /** Has passed real-name verification (实名认证); default true. A takeover must have (40098). */
  verified?: boolean;
  /** How many customers the member may have (WeCom's cap per member); default {@link DEFAULT_CUSTOMER_LIMIT}. */
  customerLimit?: number;
}

/** WeCom's cap on one member's customers unless a test sets its own (doc 96325: 40099, status 4). */
export const DEFAULT_CUSTOMER_LIMIT = 50_000;

/** What a transfer came to when its 24 hours were up, for the events WeCom sends about it (doc 92130). */
export interface SettledTransfer {
  transfer: SimTransfer;
  /** `done`: taken over; `refused`: the customer refused (in service only); `limit`: the takeover had no room. */
  outcome: 'done' | 'refused' | 'limit';
}

/**
 * How the admin console set up the bot's self-built app (doc 90227 应用管理, 92571 客户联系 → 可调用接口的应用, 90313
 * 60020). Each switch is the strict reading of WeCom's docs; a test or `npm run check` turns one on to meet it.
 */
export interface SimAppSetup {
  /** The app's name (agent/get). */
  name: string;
  /**
   * The visible range (可见范围): members named here, and members of departments named here. Both undefined: the whole
   * corp (the root department). A member outside it is not in the contacts the app reads, not in
   * get_follow_user_list, not messageable, and user/get answers 60011.
   */
  visibleUsers?: string[];
  visibleDepartments?: number[];
  /** The app is in 「客户联系 → API → 可调用接口的应用」: otherwise externalcontact/* with its token answers 48002. */
  inContactApi: boolean;
  /** The corp was created after 2023-12-01: the 客户联系 system secret's token gets 48002 on externalcontact/* (doc 92571). */
  systemSecretRefused: boolean;
  /** The server's IP is in each secret's 企业可信IP; a token used from elsewhere gets 60020 naming the IP (doc 90313). */
  trustedIp: { agent: boolean; contact: boolean };
}

export type { SimFollow } from './follow.js';

/** A transfer record (在职 or 离职继承). */
export interface SimTransfer {
  kind: 'onjob' | 'resigned';
  handover: string;
  takeover: string;
  external_userid: string;
  status: TransferStatus;
  createdAt: number;
  /** Unix seconds, once done. */
  takeover_time?: number;
}

/** A customer group chat. */
export interface SimGroupChat {
  chat_id: string;
  name: string;
  owner: string;
  create_time: number;
  notice: string;
  members: GroupChatMember[];
  admins: string[];
  /** 0 normal, 1 resigned owner awaiting transfer, 2 transfer in progress, 3 transfer done. */
  status: 0 | 1 | 2 | 3;
  /** Internal (staff-only) groups are not customer groups: transfers answer 90501. */
  external: boolean;
  /** Each change of owner: when (unix seconds), to whom, and whether the old owner was in service. */
  transfers: { at: number; to?: string; onjob?: boolean }[];
}

/** A 「联系我」 way with when it was created. */
export interface SimContactWay extends ContactWay {
  created: number;
}

/** A mass message (add_msg_template) and its delivery state. */
export interface SimMsgTemplate {
  msgid: string;
  chat_type: 'single' | 'group';
  creator: string;
  create_type: 0 | 1;
  create_time: number;
  text?: TextContent;
  attachments?: Attachment[];
  /** Per member: sent (2) or not (0). */
  tasks: Map<string, { status: 0 | 2; send_time?: number }>;
  /** Per member and customer: 0 unsent, 1 sent, 2 not a friend, 3 already received another today. */
  targets: { userid: string; external_userid: string; status: 0 | 1 | 2 | 3; send_time?: number }[];
  /** When each reminder was sent (ms, remind_groupmsg_send). */
  reminders?: number[];
  /** Stopped (cancel_groupmsg_send): members who have not sent it can no longer. */
  cancelled?: boolean;
}

/** A moment and who it was meant for. */
export interface SimMoment extends Moment {
  /** Per sender: published or not, and the customers it was meant for. */
  senders: Map<string, { publish_status: 0 | 1; customers: string[] }>;
  comments: { external_userid?: string; userid?: string; create_time: number }[];
  likes: { external_userid?: string; userid?: string; create_time: number }[];
}

/** An add_moment_task job. */
export interface SimMomentJob {
  jobid: string;
  readyAt: number;
  result: {
    errcode: number;
    errmsg: string;
    moment_id?: string;
    invalid_sender_list?: { user_list?: string[] };
    invalid_external_contact_list?: { tag_list?: string[] };
  };
}

/** A welcome code from an add_external_contact event: valid 20 s, single use. */
export interface SimWelcomeCode {
  code: string;
  userid: string;
  external_userid: string;
  expiresAt: number;
  used: boolean;
  /** With 会话存档: the customer has not agreed yet, so the code answers 41053 (doc 92137). */
  awaitingConsent?: boolean;
}

/** What decides who gets a new customer's welcome code (doc 92137). */
export interface SimWelcomeSetup {
  /** The admin console has a welcome message of its own: WeCom gives it the code, the event carries none. */
  consoleWelcome: boolean;
  /** 会话存档 is on for the member: the customer must agree first (41053); the code comes with msg_audit_approved. */
  archiveConsent: boolean;
  /** Another app uses each code before the bot can (41051). */
  otherAppFirst: boolean;
}

/** A welcome message the simulator accepted. */
export interface SentWelcome {
  welcome_code: string;
  userid: string;
  external_userid: string;
  text?: TextContent;
  attachments?: Attachment[];
  at: number;
}

/** Asia/Shanghai midnight (unix seconds) of the day containing `unixSeconds`. */
export function dayStart(unixSeconds: number): number {
  const offset = 8 * 3600;
  return Math.floor((unixSeconds + offset) / 86400) * 86400 - offset;
}

/** How the simulated corp's time-dependent rules are tuned. */
export interface CorpTiming {
  /** How long a transfer waits before the takeover (WeCom: 24 h). Default 0: done at the next read. */
  transferDelayMs: number;
  /** How long an add_moment_task job runs. */
  momentJobDelayMs: number;
  /** How long a welcome code lives (WeCom: 20 s). */
  welcomeCodeTtlMs: number;
}

/**
 * The state of one simulated corp: members, customers and the links between them, tags, group chats, contact ways,
 * mass messages, moments, transfers and welcome codes. Behaviour and group-chat statistics are derived from a
 * hash of (seed, member, day), so 180 days of data cost no memory.
 *
 * A big corp's customers come from a {@link CustomerPopulation} (derived, not kept); the maps then hold only the
 * customers something changed (pinned). Endpoints read customers and follows through the accessors
 * ({@link customer}, {@link follow}, {@link followPage} …), which see both.
 */
export class Corp {
  readonly members = new Map<string, SimMember>();
  /** Materialized customers: every customer of a generated demo corp, the pinned ones of a population. */
  readonly customers = new Map<string, ExternalContactProfile>();
  /** userid → external_userid → follow (materialized ones). */
  readonly followsByUser = new Map<string, Map<string, SimFollow>>();
  /** external_userid → userid → follow (materialized ones). */
  readonly followsByCustomer = new Map<string, Map<string, SimFollow>>();
  /** Customers derived from their index (a preset's million); undefined for a materialized corp. */
  population: CustomerPopulation | undefined;
  /** Population indexes whose customer and follow were copied into the maps: derived iteration skips them. */
  private readonly pinned = new Set<number>();
  /** The pinned indexes of each member's block, ascending (a member's page skips or substitutes only those). */
  private readonly pinnedByOwner = new Map<string, number[]>();
  /** Department id → parent id; a department not listed hangs under the root (1), as in a flat demo corp. */
  departmentParents: Map<number, number> | undefined;
  /** Department id → name (department/get); one not named here is 部门 and its id, the root the corp's name. */
  departmentNames: Map<number, string> | undefined;
  readonly tagGroups: CorpTagGroup[] = [];
  /** Ids of the tags and tag groups created through the API: an app may edit and delete only those (doc 92117). */
  readonly appTagIds = new Set<string>();
  readonly groupChats = new Map<string, SimGroupChat>();
  readonly contactWays = new Map<string, SimContactWay>();
  readonly msgTemplates = new Map<string, SimMsgTemplate>();
  readonly moments = new Map<string, SimMoment>();
  readonly momentJobs = new Map<string, SimMomentJob>();
  readonly transfers: SimTransfer[] = [];
  readonly welcomeCodes = new Map<string, SimWelcomeCode>();
  readonly welcomesSent: SentWelcome[] = [];
  /** Ids and codes the corp hands out. */
  readonly random: () => number;
  /**
   * Share of mass-message tasks members confirm at once (deterministic by msgid and member). WeCom delivers nothing
   * until each sender confirms in the WeCom client (doc 92135): 0 by default; a test confirms with
   * {@link confirmMassMessage}, or sets a rate.
   */
  groupMsgSendRate = 0;
  /** Mass messages one customer may receive from the corp in a natural month (doc 92135: the corp's quota). */
  massMessagesPerCustomerPerMonth = 4;
  /** How long after its creation a mass message's results are still being prepared (41063, doc 93338). */
  massMessagePrepareMs = 2000;
  /** The most corp tags a corp may have (WeCom: 3,000; 40126 beyond). */
  tagCap = 3000;
  /** The most 「联系我」 ways the API may add (WeCom: 500,000; 41045 beyond). */
  contactWayQuota = 500_000;
  /** Who gets a new customer's welcome code. */
  readonly welcome: SimWelcomeSetup = { consoleWelcome: false, archiveConsent: false, otherAppFirst: false };
  /** Customers who refuse an in-service transfer when its 24 hours are up (a test names them). */
  readonly refusing = new Set<string>();
  /** Told what each settling of transfers decided (the simulator sends WeCom's events for it). */
  onSettled: ((settled: SettledTransfer[]) => void) | undefined;
  /** How the bot's app is set up in the admin console (visible range, permissions, trusted IPs). */
  readonly app: SimAppSetup = { name: '客户联系助手', inContactApi: true, systemSecretRefused: false, trustedIp: { agent: true, contact: true } };

  constructor(
    readonly seed: number,
    readonly timing: CorpTiming,
    readonly now: () => number = Date.now,
  ) {
    this.random = createRandom(hashSeed('ids', seed));
  }

  /** Current time in unix seconds. */
  nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }

  newId(prefix: string, length = 24): string {
    return randomId(this.random, prefix, length);
  }

  // ---- members and customers -------------------------------------------------------------------------------

  addMember(member: SimMember): SimMember {
    this.members.set(member.userid, member);
    if (!this.followsByUser.has(member.userid)) this.followsByUser.set(member.userid, new Map());
    return member;
  }

  /** @throws 60111 when the member does not exist (resigned members exist, with status resigned). */
  member(userid: unknown): SimMember {
    if (typeof userid !== 'string' || userid === '') throw simError(41009);
    const member = this.members.get(userid);
    if (!member) throw simError(60111, `userid not found: ${userid}`);
    return member;
  }

  /** Members in service. */
  activeMembers(): SimMember[] {
    return [...this.members.values()].filter((m) => m.status === 'active');
  }

  /**
   * A member leaves: resigned from now, gone from the contacts, their customers waiting for assignment and their
   * customer group chats for a new owner (status 1).
   */
  resign(userid: string, at: number = this.nowSeconds()): SimMember {
    const member = this.member(userid);
    member.status = 'resigned';
    member.dimissionTime = at;
    for (const chat of this.groupChats.values()) if (chat.owner === member.userid && chat.external) chat.status = 1;
    return member;
  }

  /** True when the member is in the app's visible range (see {@link SimAppSetup}). */
  inRange(member: SimMember): boolean {
    const { visibleUsers, visibleDepartments } = this.app;
    if (visibleUsers === undefined && visibleDepartments === undefined) return true;
    if (visibleUsers?.includes(member.userid)) return true;
    // A department in the range brings its sub-departments (doc 90227).
    return (visibleDepartments ?? []).some((d) => member.department.some((own) => this.isWithin(own, d)));
  }

  /** A department's parent: 0 for the root (1), 1 for a department with no parent set (a flat demo corp). */
  parentOf(department: number): number {
    if (department === 1) return 0;
    return this.departmentParents?.get(department) ?? 1;
  }

  /** A department's name as department/get answers it. */
  departmentName(department: number): string {
    return this.departmentNames?.get(department) ?? (department === 1 ? '模拟企业' : `部门${department}`);
  }

  /** True when `department` is `ancestor` or below it. */
  isWithin(department: number, ancestor: number): boolean {
    for (let d = department, hops = 0; d !== 0 && hops < 100; d = this.parentOf(d), hops++) if (d === ancestor) return true;
    return false;
  }

  /** Members in service and in the app's visible range: whom the app may read and message. */
  visibleMembers(): SimMember[] {
    return this.activeMembers().filter((m) => this.inRange(m));
  }

  /** get_follow_user_list: members in service, in range, with 客户联系. */
  followUsers(): SimMember[] {
    return this.visibleMembers().filter((m) => m.customerContact !== false);
  }

  /** @throws 40096 for an unknown external_userid. */
  customer(externalUserId: unknown): ExternalContactProfile {
    if (typeof externalUserId !== 'string' || externalUserId === '') throw simError(41035);
    const customer = this.findCustomer(externalUserId);
    if (!customer) throw simError(40096);
    return customer;
  }

  /** The customer with this id, materialized or derived, or undefined. */
  findCustomer(externalUserId: string): ExternalContactProfile | undefined {
    const kept = this.customers.get(externalUserId);
    if (kept) return kept;
    const index = this.population?.indexOf(externalUserId);
    return index === undefined ? undefined : this.population?.profile(index);
  }

  /** True when the corp has this customer (no profile is built for a derived one). */
  hasCustomer(externalUserId: string): boolean {
    return this.customers.has(externalUserId) || this.derivedIndex(externalUserId) !== undefined;
  }

  /** How many customers the corp has, materialized and derived. */
  customerTotal(): number {
    return this.customers.size + (this.population?.size ?? 0) - this.pinned.size;
  }

  /** The population index of a derived customer not yet pinned, or undefined. */
  private derivedIndex(externalUserId: string): number | undefined {
    if (!this.population || this.customers.has(externalUserId)) return undefined;
    const index = this.population.indexOf(externalUserId);
    return index === undefined || this.pinned.has(index) ? undefined : index;
  }

  /**
   * Copies a derived customer and its follow into the maps before something changes them; a materialized or unknown
   * customer is left as it is.
   */
  private pin(externalUserId: string): void {
    const index = this.derivedIndex(externalUserId);
    if (index === undefined || !this.population) return;
    this.pinned.add(index);
    const owner = this.population.ownerOf(index);
    const list = this.pinnedByOwner.get(owner) ?? [];
    let at = list.length;
    while (at > 0 && (list[at - 1] as number) > index) at--;
    list.splice(at, 0, index);
    this.pinnedByOwner.set(owner, list);
    const profile = this.population.profile(index);
    this.customers.set(externalUserId, profile);
    const follow = this.derivedFollow(index, this.liveTags());
    const byUser = this.followsByUser.get(follow.userid) ?? new Map<string, SimFollow>();
    byUser.set(externalUserId, follow);
    this.followsByUser.set(follow.userid, byUser);
    this.followsByCustomer.set(externalUserId, new Map([[follow.userid, follow]]));
  }

  /** Every tag id the corp has now. */
  private liveTags(): Set<string> {
    return new Set(this.tagGroups.flatMap((g) => g.tag.map((t) => t.id)));
  }

  /** A derived follow without the tags deleted since the population was drawn. */
  private derivedFollow(index: number, live: Set<string>): SimFollow {
    const follow = (this.population as CustomerPopulation).follow(index);
    follow.tagIds = follow.tagIds.filter((t) => live.has(t));
    return follow;
  }

  addCustomer(profile: ExternalContactProfile): ExternalContactProfile {
    this.customers.set(profile.external_userid, profile);
    if (!this.followsByCustomer.has(profile.external_userid)) this.followsByCustomer.set(profile.external_userid, new Map());
    return profile;
  }

  /** Links a member and a customer (the member added the customer). */
  addFollow(follow: SimFollow): SimFollow {
    this.pin(follow.external_userid);
    this.followsByUser.get(follow.userid)?.set(follow.external_userid, follow);
    if (!this.followsByUser.has(follow.userid)) this.followsByUser.set(follow.userid, new Map([[follow.external_userid, follow]]));
    const byCustomer = this.followsByCustomer.get(follow.external_userid) ?? new Map<string, SimFollow>();
    byCustomer.set(follow.userid, follow);
    this.followsByCustomer.set(follow.external_userid, byCustomer);
    return follow;
  }

  removeFollow(userid: string, externalUserId: string): void {
    this.pin(externalUserId);
    this.followsByUser.get(userid)?.delete(externalUserId);
    this.followsByCustomer.get(externalUserId)?.delete(userid);
  }

  /** True when the member follows the customer (nothing is pinned). */
  isFollowing(userid: string, externalUserId: string): boolean {
    if (this.followsByUser.get(userid)?.has(externalUserId)) return true;
    const index = this.derivedIndex(externalUserId);
    return index !== undefined && this.population?.ownerOf(index) === userid;
  }

  /**
   * The member's follow of the customer, to read or change: a derived one is pinned first.
   * @throws 84061 when the member and the customer are not linked.
   */
  follow(userid: string, externalUserId: string): SimFollow {
    if (this.isFollowing(userid, externalUserId)) this.pin(externalUserId);
    const follow = this.followsByUser.get(userid)?.get(externalUserId);
    if (!follow) throw simError(84061);
    return follow;
  }

  /** The members who follow a customer, with what each keeps (empty for an unknown customer). */
  followersOf(externalUserId: string): SimFollow[] {
    const index = this.derivedIndex(externalUserId);
    if (index !== undefined) return [this.derivedFollow(index, this.liveTags())];
    return [...(this.followsByCustomer.get(externalUserId)?.values() ?? [])];
  }

  /** How many customers a member has. */
  customerCount(userid: string): number {
    const kept = this.followsByUser.get(userid)?.size ?? 0;
    if (!this.population) return kept;
    const [from, to] = this.population.rangeOf(userid);
    // A pinned customer of the block is either still kept by the member (counted in `kept`) or gone from them.
    return kept + to - from - (this.pinnedByOwner.get(userid)?.length ?? 0);
  }

  /**
   * A member's customers in the order WeCom would keep listing them, whatever was changed meanwhile: the member's block
   * of the population in index order (a customer whose remark or tags were changed keeps its place, one handed over is
   * gone from it), then the customers the member gained otherwise, in the order they came. A page read before a change
   * and the next one after it neither repeat nor miss a customer who stayed.
   */
  private order(userid: string): { kept: Map<string, SimFollow>; from: number; to: number; gone: number[]; extras: SimFollow[] } {
    const kept = this.followsByUser.get(userid) ?? new Map<string, SimFollow>();
    const population = this.population;
    if (!population) return { kept, from: 0, to: 0, gone: [], extras: [...kept.values()] };
    const [from, to] = population.rangeOf(userid);
    const pinnedHere = (this.pinnedByOwner.get(userid) ?? []).map((i) => ({ i, id: population.idOf(i) }));
    const gone = pinnedHere.filter(({ id }) => !kept.has(id)).map(({ i }) => i);
    const inBlock = new Set(pinnedHere.map(({ id }) => id));
    return { kept, from, to, gone, extras: [...kept.values()].filter((f) => !inBlock.has(f.external_userid)) };
  }

  /** The block indexes at positions [offset, offset + limit) of [from, to) without `gone` (ascending). */
  private static positions(from: number, to: number, gone: readonly number[], offset: number, limit: number): number[] {
    if (limit <= 0) return [];
    // The offset-th index left: each gone index at or before it pushes it one further.
    let index = from + offset;
    let k = 0;
    while (k < gone.length && (gone[k] as number) <= index) {
      index++;
      k++;
    }
    const out: number[] = [];
    for (; index < to && out.length < limit; index++) {
      if (k < gone.length && gone[k] === index) k++;
      else out.push(index);
    }
    return out;
  }

  /** One page of a member's customers in {@link order}'s order, building only the page. */
  followPage(userid: string, offset: number, limit: number): SimFollow[] {
    const { kept, from, to, gone, extras } = this.order(userid);
    const population = this.population;
    const inBlock = to - from - gone.length;
    const page: SimFollow[] = [];
    if (population) {
      const live = this.liveTags();
      for (const i of Corp.positions(from, to, gone, offset, limit))
        page.push(this.pinned.has(i) ? kept.get(population.idOf(i))! : this.derivedFollow(i, live));
    }
    const start = Math.max(0, offset - inBlock);
    return page.concat(extras.slice(start, start + limit - page.length));
  }

  /** A member's customers' ids in {@link followPage}'s order (no follow is built). */
  customerIdsOf(userid: string): string[] {
    const { from, to, gone, extras } = this.order(userid);
    const population = this.population;
    const ids = population ? Corp.positions(from, to, gone, 0, Number.POSITIVE_INFINITY).map((i) => population.idOf(i)) : [];
    return ids.concat(extras.map((f) => f.external_userid));
  }

  /** A member's customers in {@link followPage}'s order. */
  customersOf(userid: string): SimFollow[] {
    return this.followPage(userid, 0, Number.POSITIVE_INFINITY);
  }

  /** Takes deleted tags off every kept follow (derived follows drop them as they are read). */
  dropTags(removed: ReadonlySet<string>): void {
    for (const follows of this.followsByUser.values()) {
      for (const f of follows.values()) if (f.tagIds.some((t) => removed.has(t))) f.tagIds = f.tagIds.filter((t) => !removed.has(t));
    }
  }

  /**
   * Adds `count` new customers to a member (a test or the demo wants a member with 2,300 customers).
   * @returns their external_userids.
   */
  addCustomersTo(userid: string, count: number, random: () => number = this.random): string[] {
    this.member(userid);
    const ids: string[] = [];
    const base = this.nowSeconds() - 400 * 86400;
    for (let i = 0; i < count; i++) {
      const type = random() < 0.85 ? 1 : 2;
      const id = randomId(random, type === 1 ? 'wm' : 'wo', 28);
      this.addCustomer({
        external_userid: id,
        name: `客户${this.customers.size + 1}`,
        type,
        gender: intBetween(random, 0, 2) as 0 | 1 | 2,
        avatar: `https://wework.qpic.cn/sim/${id}/0`,
        ...(type === 2 ? { corp_name: '模拟企业', corp_full_name: '模拟企业有限公司', position: '经理' } : {}),
      });
      this.addFollow({
        userid,
        external_userid: id,
        remark: '',
        description: '',
        createtime: base + intBetween(random, 0, 390 * 86400),
        tagIds: [],
        remark_corp_name: '',
        remark_mobiles: [],
        add_way: 1,
        state: '',
        oper_userid: userid,
      });
      ids.push(id);
    }
    return ids;
  }

  // ---- mass messages and moments -------------------------------------------------------------------------------

  /** Customers who may not receive another mass message now: one already today, or the month's quota reached. */
  massMessageRefused(): Set<string> {
    const now = this.nowSeconds();
    const today = dayStart(now);
    const date = new Date((now + 8 * 3600) * 1000);
    const month = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1) / 1000 - 8 * 3600;
    const thisMonth = new Map<string, number>();
    const refused = new Set<string>();
    for (const msg of this.msgTemplates.values()) {
      for (const t of msg.targets) {
        if (t.status !== 1 || (t.send_time ?? 0) < month) continue;
        if ((t.send_time ?? 0) >= today) refused.add(t.external_userid);
        thisMonth.set(t.external_userid, (thisMonth.get(t.external_userid) ?? 0) + 1);
      }
    }
    for (const [id, count] of thisMonth) if (count >= this.massMessagesPerCustomerPerMonth) refused.add(id);
    return refused;
  }

  /**
   * A sender confirms a mass message in the WeCom client (each sender must, doc 92135): their task is sent, and each of
   * their customers receives it (status 1) unless refused by the daily or monthly quota (status 3).
   */
  confirmMassMessage(msgid: string, userid: string): void {
    const msg = this.msgTemplates.get(msgid);
    if (!msg) throw new Error(`no mass message ${msgid}`);
    const task = msg.tasks.get(userid);
    if (!task) throw new Error(`${userid} is not a sender of ${msgid}`);
    if (task.status === 2 || msg.cancelled) return;
    const now = this.nowSeconds();
    const refused = this.massMessageRefused();
    msg.tasks.set(userid, { status: 2, send_time: now });
    for (const target of msg.targets) {
      if (target.userid !== userid || target.status !== 0) continue;
      if (refused.has(target.external_userid)) target.status = 3;
      else {
        target.status = 1;
        target.send_time = now;
      }
    }
  }

  /** A member publishes a moment the corp created for them, in the WeCom client (each member does, doc 95094). */
  publishMoment(momentId: string, userid: string): void {
    const moment = this.moments.get(momentId);
    const sender = moment?.senders.get(userid);
    if (!moment || !sender) throw new Error(`${userid} is not a sender of moment ${momentId}`);
    sender.publish_status = 1;
  }

  // ---- tags ----------------------------------------------------------------------------------------------------

  /** Every tag id in the corp with its group. */
  tagIndex(): Map<string, { group: CorpTagGroup; name: string }> {
    const index = new Map<string, { group: CorpTagGroup; name: string }>();
    for (const group of this.tagGroups) for (const tag of group.tag) index.set(tag.id, { group, name: tag.name });
    return index;
  }

  // ---- transfers -----------------------------------------------------------------------------------------------

  /** The most customers a member may have. */
  customerLimit(userid: string): number {
    return this.members.get(userid)?.customerLimit ?? DEFAULT_CUSTOMER_LIMIT;
  }

  /**
   * Applies transfers whose waiting time is over: the takeover member gets the customer, unless the customer refuses
   * (in service: status 3) or the takeover has no room left (status 4). What was decided goes to {@link onSettled}.
   */
  settleTransfers(): void {
    const now = this.now();
    const settled: SettledTransfer[] = [];
    for (const transfer of this.transfers) {
      if (transfer.status !== 2 || transfer.createdAt + this.timing.transferDelayMs > now) continue;
      if (transfer.kind === 'onjob' && this.refusing.has(transfer.external_userid)) {
        transfer.status = 3;
        settled.push({ transfer, outcome: 'refused' });
        continue;
      }
      if (this.customerCount(transfer.takeover) >= this.customerLimit(transfer.takeover)) {
        transfer.status = 4;
        settled.push({ transfer, outcome: 'limit' });
        continue;
      }
      if (this.isFollowing(transfer.handover, transfer.external_userid)) {
        const old = this.follow(transfer.handover, transfer.external_userid);
        this.removeFollow(transfer.handover, transfer.external_userid);
        if (!this.isFollowing(transfer.takeover, transfer.external_userid)) {
          this.addFollow({ ...old, userid: transfer.takeover, add_way: 202, oper_userid: transfer.takeover, createtime: Math.floor(now / 1000) });
        }
      }
      transfer.status = 1;
      transfer.takeover_time = Math.floor(now / 1000);
      settled.push({ transfer, outcome: 'done' });
    }
    if (settled.length > 0) this.onSettled?.(settled);
  }

  /** Marks a waiting transfer as refused or over the limit (what a transfer_fail event reports). */
  failTransfer(externalUserId: string, reason: 'customer_refused' | 'customer_limit_exceed'): SimTransfer {
    const transfer = this.transfers.find((t) => t.external_userid === externalUserId && t.status === 2);
    if (!transfer) throw new Error(`no waiting transfer for ${externalUserId}`);
    transfer.status = reason === 'customer_refused' ? 3 : 4;
    return transfer;
  }

  // ---- statistics (derived) --------------------------------------------------------------------------------

  /** One member's behaviour on one day (`day` = Asia/Shanghai midnight, unix seconds); deterministic. */
  behavior(userid: string, day: number): Required<BehaviorData> {
    const random = createRandom(hashSeed('behavior', this.seed, userid, day));
    const member = this.members.get(userid);
    const active = member && (member.status === 'active' || (member.dimissionTime ?? 0) > day);
    const chat = active ? intBetween(random, 0, 40) : 0;
    return {
      stat_time: day,
      chat_cnt: chat,
      message_cnt: chat === 0 ? 0 : chat * intBetween(random, 2, 9),
      reply_percentage: chat === 0 ? 0 : Math.round((60 + random() * 40) * 100) / 100,
      avg_reply_time: chat === 0 ? 0 : intBetween(random, 1, 90),
      negative_feedback_cnt: random() < 0.1 ? 1 : 0,
      new_apply_cnt: intBetween(random, 0, active ? 6 : 0),
      new_contact_cnt: intBetween(random, 0, active ? 5 : 0),
    };
  }

  /** How many group chats each owner has (one walk over the chats, for a request about many owners). */
  chatCounts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const chat of this.groupChats.values()) counts.set(chat.owner, (counts.get(chat.owner) ?? 0) + 1);
    return counts;
  }

  /**
   * One owner's group-chat figures on one day; deterministic. `counts` ({@link chatCounts}) spares a walk over every
   * chat per owner and day.
   */
  groupChatStat(owner: string, day: number, counts: Map<string, number> = this.chatCounts()): Required<GroupChatStatData> {
    const random = createRandom(hashSeed('groupchat', this.seed, owner, day));
    const chats = counts.get(owner) ?? 0;
    const members = chats * intBetween(random, 20, 80);
    return {
      new_chat_cnt: random() < 0.05 ? 1 : 0,
      chat_total: chats,
      chat_has_msg: Math.min(chats, intBetween(random, 0, chats)),
      new_member_cnt: intBetween(random, 0, 4),
      member_total: members,
      member_has_msg: Math.min(members, intBetween(random, 0, 20)),
      msg_total: intBetween(random, 0, 300),
      migrate_trainee_chat_cnt: 0,
    };
  }
}
