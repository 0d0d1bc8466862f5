import type { Corp } from '../corp.js';
import { simError } from '../errors.js';
import type { Endpoint } from './types.js';

/** Every department the corp's members are in, with the root (1) as the parent of the others. */
function departments(corp: Corp): number[] {
  const ids = new Set<number>([1]);
  for (const m of corp.members.values()) for (const d of m.department) ids.add(d);
  return [...ids].sort((a, b) => a - b);
}

function departmentId(query: Record<string, string>, name: string, corp: Corp): number {
  const id = Number(query[name] ?? '');
  if (!Number.isInteger(id) || !departments(corp).includes(id)) throw simError(60123, `invalid department id: ${query[name] ?? ''}`);
  return id;
}

/**
 * Contacts as a self-built app reads them, with its own secret (the 客户联系 secret's token answers 48002): departments,
 * and each department's members by name. A member who resigned is no longer in the contacts.
 */
export const contactEndpoints: Endpoint[] = [
  {
    method: 'GET',
    path: 'department/simplelist',
    token: 'agent',
    handle: ({ query }, { corp }) => {
      const root = departmentId(query, 'id', corp);
      const ids = departments(corp).filter((d) => root === 1 || d === root);
      return { department_id: ids.map((id, order) => ({ id, parentid: id === 1 ? 0 : 1, order })) };
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
      const userlist = [...corp.members.values()]
        .filter((m) => m.status === 'active' && m.department.includes(id))
        .map((m) => ({ userid: m.userid, name: m.name, ...(m.alias ? { alias: m.alias } : {}), department: m.department, status: 1 }));
      return { userlist };
    },
  },
];
