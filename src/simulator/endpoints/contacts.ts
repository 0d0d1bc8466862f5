import type { Corp, SimMember } from '../corp.js';
import { simError } from '../errors.js';
import type { Endpoint } from './types.js';

/** Every department of the corp: the root (1), those set up with a parent, and those members are in. */
function departments(corp: Corp): number[] {
  const ids = new Set<number>([1, ...(corp.departmentParents?.keys() ?? [])]);
  for (const m of corp.members.values()) for (const d of m.department) ids.add(d);
  return [...ids].sort((a, b) => a - b);
}

/** The departments the app sees: the whole corp, or those of its visible range and their sub-departments (doc 90227). */
function visibleDepartments(corp: Corp): number[] {
  const { visibleUsers, visibleDepartments: named } = corp.app;
  if (visibleUsers === undefined && named === undefined) return departments(corp);
  return departments(corp).filter((d) => (named ?? []).some((n) => corp.isWithin(d, n)));
}

function departmentId(query: Record<string, string>, name: string, corp: Corp): number {
  const id = Number(query[name] ?? '');
  if (!Number.isInteger(id) || !departments(corp).includes(id)) throw simError(60123, `invalid department id: ${query[name] ?? ''}`);
  return id;
}

/** A member as user/list and user/get answer: name, alias, departments, and the ones they lead. */
function listed(m: SimMember): Record<string, unknown> {
  return {
    userid: m.userid,
    name: m.name,
    ...(m.alias ? { alias: m.alias } : {}),
    department: m.department,
    is_leader_in_dept: m.department.map((d) => ((m.leads ?? []).includes(d) ? 1 : 0)),
    // 1 active, 4 not yet activated (doc 90196).
    status: m.activated === false ? 4 : 1,
  };
}

/**
 * Contacts as a self-built app reads them, with its own secret (the 客户联系 secret's token answers 48002), within its
 * visible range: departments, each department's members by name, one member. A member who resigned is no longer in
 * the contacts.
 */
export const contactEndpoints: Endpoint[] = [
  {
    method: 'GET',
    path: 'department/simplelist',
    token: 'agent',
    handle: ({ query }, { corp }) => {
      const root = departmentId(query, 'id', corp);
      const visible = visibleDepartments(corp);
      if (!visible.includes(root) && !(root === 1 && visible.length > 0)) throw simError(60011);
      // The department asked for and all below it, at any depth (doc 95350).
      const ids = visible.filter((d) => corp.isWithin(d, root));
      return { department_id: ids.map((id, order) => ({ id, parentid: corp.parentOf(id), order })) };
    },
  },
  {
    method: 'GET',
    path: 'department/get',
    token: 'agent',
    // Doc 95351: a self-built app reads the departments of its visible range (60011 beyond), with their names.
    handle: ({ query }, { corp }) => {
      const id = departmentId(query, 'id', corp);
      if (!visibleDepartments(corp).includes(id)) throw simError(60011);
      const leaders = corp.visibleMembers().filter((m) => m.department.includes(id) && (m.leads ?? []).includes(id));
      return {
        department: { id, name: corp.departmentName(id), parentid: corp.parentOf(id), order: 0, department_leader: leaders.map((m) => m.userid) },
      };
    },
  },
  {
    method: 'GET',
    path: 'user/list',
    token: 'agent',
    handle: ({ query }, { corp }) => {
      // One department only: WeCom no longer takes fetch_child (doc 96260 asks callers to walk sub-departments); a
      // new self-built app gets no avatar, gender, mobile or email (since 2022-06-20), so none is answered.
      const id = departmentId(query, 'department_id', corp);
      if (!visibleDepartments(corp).includes(id)) throw simError(60011);
      const userlist = corp
        .visibleMembers()
        .filter((m) => m.department.includes(id))
        .map(listed);
      return { userlist };
    },
  },
  {
    method: 'GET',
    path: 'user/get',
    token: 'agent',
    // Doc 90196: an unknown (or resigned, hence deleted) member is 60111; one outside the app's range is 60011.
    handle: ({ query }, { corp }) => {
      const member = corp.members.get(query.userid ?? '');
      if (!query.userid) throw simError(41009);
      if (!member || member.status === 'resigned') throw simError(60111, `userid not found: ${query.userid}`);
      if (!corp.inRange(member)) throw simError(60011, `no privilege to access userid: ${member.userid}`);
      return listed(member);
    },
  },
];
