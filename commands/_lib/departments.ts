import { defineNamespace, type CommandContext } from '../../src/bot/command.js';
import { mapLimit, WeComError, type DepartmentRef } from '../../src/wecom/index.js';
import { chunk } from './transfers.js';

/** WeCom takes at most 100 departments in one statistics call. */
const PARTIES_PER_CALL = 100;

/** One branch of the corp a report adds up: a department and every department under it. */
export interface Branch {
  /** The department at the head of the branch. */
  head: number;
  /** The head and everything under it, in calls of at most {@link PARTIES_PER_CALL}. */
  calls: number[][];
}

/**
 * How a report of the whole corp is added up by department: the root's own members (and those of a department chain
 * that does not branch), and each branch under the first level that does. Together they name every department once,
 * so the sum is the corp whichever way WeCom reads `partyid` (its docs do not say whether sub-departments count: a
 * branch is asked with all of its departments listed, which is right under both readings). Undefined when the app
 * does not see the root department (its range names some departments or members only): then there is no whole to
 * add up by department.
 */
export function branchesOf(departments: readonly DepartmentRef[]): { trunk: number[]; branches: Branch[] } | undefined {
  if (!departments.some((d) => d.id === 1)) return undefined;
  const children = new Map<number, DepartmentRef[]>();
  for (const d of departments) if (d.id !== 1) children.set(d.parentid, [...(children.get(d.parentid) ?? []), d]);
  // Larger order first, as WeCom shows a department's children.
  for (const list of children.values()) list.sort((a, b) => b.order - a.order);
  const under = (id: number): number[] => [id, ...(children.get(id) ?? []).flatMap((c) => under(c.id))];
  const trunk = [1];
  let node = 1;
  while (children.get(node)?.length === 1) {
    node = children.get(node)![0]!.id;
    trunk.push(node);
  }
  const branches = (children.get(node) ?? []).map((c) => ({ head: c.id, calls: chunk(under(c.id), PARTIES_PER_CALL) }));
  return { trunk, branches };
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
