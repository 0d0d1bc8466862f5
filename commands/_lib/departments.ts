import { defineNamespace, type CommandContext } from '../../src/bot/command.js';
import { mapLimit, WeComError, type DepartmentRef } from '../../src/wecom/index.js';
import { chunk } from './transfers.js';

/** WeCom takes at most 100 departments, and 100 members, in one statistics call. */
const PER_CALL = 100;

/** What one statistics call asks about: some members, some departments, or both. */
export interface Scope {
  users: readonly string[];
  parties: readonly number[];
  /** The head of the corp's branch the call adds to, in a report by department. */
  branch?: number;
  /** How the call's figures count in the sum: -1 takes away members counted twice (default 1). */
  weight?: number;
}

/** A member as the directory knows them: enough to tell which calls count them. */
export interface PlacedMember {
  userid: string;
  department?: readonly number[];
}

/** A report of the whole corp by department: its calls, and the branches they rank. */
export interface DepartmentPlan {
  scopes: Scope[];
  /** The heads of the branches, as they are ranked. */
  branches: number[];
}

/**
 * The department list the app sees (department/simplelist from the root), or undefined when the contacts cannot be
 * read (no permission, outside the range): callers then go without it.
 */
export async function readDepartments(ctx: CommandContext): Promise<DepartmentRef[] | undefined> {
  try {
    return (await ctx.client.contacts.departments(1)).department_id;
  } catch (err) {
    if (WeComError.is(err)) return undefined;
    throw err;
  }
}

/** Each department's children, larger order first (as WeCom shows them). */
function childrenOf(departments: readonly DepartmentRef[]): Map<number, DepartmentRef[]> {
  const children = new Map<number, DepartmentRef[]>();
  for (const d of departments) if (d.id !== 1) children.set(d.parentid, [...(children.get(d.parentid) ?? []), d]);
  for (const list of children.values()) list.sort((a, b) => b.order - a.order);
  return children;
}

/** `id` and every department under it, at any depth. */
function under(children: ReadonlyMap<number, readonly DepartmentRef[]>, id: number): number[] {
  return [id, ...(children.get(id) ?? []).flatMap((c) => under(children, c.id))];
}

/** The departments `ids` and every department under them. */
export function departmentsUnder(departments: readonly DepartmentRef[], ids: readonly number[]): Set<number> {
  const children = childrenOf(departments);
  return new Set(ids.flatMap((id) => under(children, id)));
}

/**
 * How a report of the whole corp is added up by department, right whichever way WeCom reads `partyid` (its docs do not
 * say whether sub-departments count): each call names a department only with every department under it (so both
 * readings count the same members), and no two calls name the same department. The branches are the departments under
 * the first level that branches; a branch of more than 100 departments is its sub-branches, packed 100 departments a
 * call, with its head's own members by UserID; the members of the trunk above (the root and a chain that does not
 * branch), and any the department list does not place, are asked by UserID. A member in departments of two calls is
 * counted by each: they are asked about once more, to be taken away. Undefined when the app does not see the root
 * department (its range names some departments or members only: there is no whole to add up), or when the directory
 * does not know the members' departments.
 */
export function planByDepartment(
  departments: readonly DepartmentRef[],
  members: readonly PlacedMember[],
  followUsers: readonly string[],
): DepartmentPlan | undefined {
  if (!departments.some((d) => d.id === 1)) return undefined;
  const counted = new Set(followUsers.map((u) => u.toLowerCase()));
  const placed = members.filter((m) => counted.has(m.userid.toLowerCase()));
  if (!placed.some((m) => m.department !== undefined)) return undefined;
  const children = childrenOf(departments);
  const directOf = (ids: ReadonlySet<number>) => placed.filter((m) => (m.department ?? []).some((d) => ids.has(d))).map((m) => m.userid);

  const scopes: Scope[] = [];
  /** Department → the call that names it. */
  const callOf = new Map<number, number>();
  /** Member → the calls that name them by UserID. */
  const byName = new Map<string, Set<number>>();
  const addUsers = (users: readonly string[], branch: number | undefined) => {
    for (const batch of chunk(users, PER_CALL)) {
      const at = scopes.push({ users: batch, parties: [], ...(branch === undefined ? {} : { branch }) }) - 1;
      for (const u of batch) byName.set(u, new Set([...(byName.get(u) ?? []), at]));
    }
  };
  // A department with all under it, packed into calls of at most 100; a head too big to fit is asked by its members.
  const closedSets = (id: number): { sets: number[][]; heads: number[] } => {
    const all = under(children, id);
    if (all.length <= PER_CALL) return { sets: [all], heads: [] };
    const parts = (children.get(id) ?? []).map((c) => closedSets(c.id));
    return { sets: parts.flatMap((p) => p.sets), heads: [id, ...parts.flatMap((p) => p.heads)] };
  };
  const trunk = [1];
  let node = 1;
  while (children.get(node)?.length === 1) {
    node = children.get(node)![0]!.id;
    trunk.push(node);
  }
  const branches = (children.get(node) ?? []).map((c) => c.id);
  for (const head of branches) {
    const { sets, heads } = closedSets(head);
    const calls: number[][] = [];
    for (const set of sets) {
      const last = calls.at(-1);
      if (last && last.length + set.length <= PER_CALL) last.push(...set);
      else calls.push([...set]);
    }
    for (const parties of calls) {
      const at = scopes.push({ users: [], parties, branch: head }) - 1;
      for (const d of parties) callOf.set(d, at);
    }
    addUsers(directOf(new Set(heads)), head);
  }
  // The trunk's own members, and members the department list does not place (the directory is older than it).
  const trunkSet = new Set(trunk);
  const known = new Set(departments.map((d) => d.id));
  addUsers(
    placed.filter((m) => (m.department ?? []).some((d) => trunkSet.has(d)) || !(m.department ?? []).some((d) => known.has(d))).map((m) => m.userid),
    undefined,
  );
  // A member counted by several calls (in two departments, or named and in a department named) is taken away the extra times.
  const extra = new Map<number, string[]>();
  for (const m of placed) {
    const calls = new Set(byName.get(m.userid) ?? []);
    for (const d of m.department ?? []) if (callOf.has(d)) calls.add(callOf.get(d)!);
    if (calls.size > 1) extra.set(calls.size - 1, [...(extra.get(calls.size - 1) ?? []), m.userid]);
  }
  for (const [times, users] of extra) for (const batch of chunk(users, PER_CALL)) scopes.push({ users: batch, parties: [], weight: -times });
  return { scopes, branches };
}

/** Department names, as department/get answers them: they change rarely, so kept a day. */
const DEPARTMENT_NAMES = defineNamespace<string>('department-names');
const NAME_TTL_MS = 24 * 3600_000;

/**
 * The names of `ids`, a few calls at a time; a department the app cannot read (60011) or WeCom would not name is
 * called by its id.
 */
export async function departmentNames(ctx: CommandContext, ids: readonly number[]): Promise<Map<number, string>> {
  const kept = ctx.state(DEPARTMENT_NAMES);
  const names = await mapLimit(ids, 4, async (id) => {
    const cached = await kept.get(String(id));
    if (cached) return cached;
    try {
      const { department } = await ctx.client.contacts.department(id);
      if (!department.name) return undefined;
      await kept.set(String(id), department.name, NAME_TTL_MS);
      return department.name;
    } catch (err) {
      if (WeComError.is(err)) return undefined;
      throw err;
    }
  });
  return new Map(ids.map((id, i) => [id, names[i] ?? ctx.t('messages.department', { id })]));
}
