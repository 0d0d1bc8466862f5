import { expect } from 'chai';
import { planByDepartment, type Scope } from '../../../commands/_lib/departments.js';

const dept = (id: number, parentid: number, order = 0) => ({ id, parentid, order });
const member = (userid: string, ...department: number[]) => ({ userid, department });

/** The members a plan counts, as WeCom would under a reading of partyid: direct members only, or with sub-departments. */
function counted(scopes: readonly Scope[], members: ReturnType<typeof member>[], parents: Map<number, number>, recursive: boolean): Map<string, number> {
  const within = (d: number, ancestor: number): boolean => d === ancestor || (recursive && parents.has(d) && within(parents.get(d)!, ancestor));
  const times = new Map<string, number>();
  for (const scope of scopes) {
    const inCall = new Set(scope.users);
    for (const m of members) if (m.department.some((d) => scope.parties.some((p) => within(d, p)))) inCall.add(m.userid);
    for (const u of inCall) times.set(u, (times.get(u) ?? 0) + (scope.weight ?? 1));
  }
  return times;
}

describe('planByDepartment: a report of the whole corp added up by department', () => {
  // 1 → 2 (the company) → regions 3 and 4; 3 → teams 5, 6; 4 → team 7 → group 8. ceo in the company, lead in two regions.
  const tree = [dept(1, 0), dept(2, 1), dept(3, 2, 10), dept(4, 2, 20), dept(5, 3), dept(6, 3), dept(7, 4), dept(8, 7)];
  const parents = new Map(tree.filter((d) => d.id !== 1).map((d) => [d.id, d.parentid]));
  const people = [member('ceo', 2), member('a', 5), member('b', 6), member('c', 8), member('lead', 3, 7), member('d', 7)];
  const everyone = people.map((m) => m.userid);

  it('counts every member once under either reading of partyid, one in two regions too, and ranks the regions', () => {
    const plan = planByDepartment(tree, people, everyone)!;
    // Larger order first, as WeCom shows them.
    expect(plan.branches).to.deep.equal([4, 3]);
    for (const recursive of [false, true]) {
      const times = counted(plan.scopes, people, parents, recursive);
      for (const u of everyone) expect(times.get(u), `${u}, ${recursive ? 'with' : 'without'} sub-departments`).to.equal(1);
    }
    // A call per region, the company's own member by UserID, and the one in two regions taken away once.
    expect(plan.scopes).to.deep.include({ users: [], parties: [4, 7, 8], branch: 4 });
    expect(plan.scopes).to.deep.include({ users: ['ceo'], parties: [] });
    expect(plan.scopes).to.deep.include({ users: ['lead'], parties: [], weight: -1 });
    expect(
      plan.scopes.every((s) => !s.parties.includes(1) && !s.parties.includes(2)),
      'no call names the trunk',
    ).to.equal(true);
  });

  it('packs a branch of more than 100 departments into calls of whole sub-branches, its head asked by its members', () => {
    const teams = Array.from({ length: 150 }, (_, i) => dept(100 + i, 3));
    const groups = Array.from({ length: 150 }, (_, i) => dept(300 + i, 100 + i));
    const big = [dept(1, 0), dept(3, 1), dept(4, 1), ...teams, ...groups];
    const bigParents = new Map(big.filter((d) => d.id !== 1).map((d) => [d.id, d.parentid]));
    const staff = [member('head', 3), member('t1', 100), member('g1', 300), member('g150', 449), member('other', 4)];
    const plan = planByDepartment(
      big,
      staff,
      staff.map((m) => m.userid),
    )!;
    expect(plan.scopes.every((s) => s.parties.length <= 100 && s.users.length <= 100)).to.equal(true);
    for (const recursive of [false, true]) {
      const times = counted(plan.scopes, staff, bigParents, recursive);
      for (const m of staff) expect(times.get(m.userid), `${m.userid}, ${recursive}`).to.equal(1);
    }
    expect(plan.scopes.filter((s) => s.branch === 3).length).to.equal(4); // 150 teams of 2: 50 a call, and the head
  });

  it('has no plan when the app does not see the root department, or the directory knows no departments', () => {
    expect(planByDepartment([dept(3, 2), dept(4, 2)], people, everyone)).to.equal(undefined);
    expect(planByDepartment(tree, [{ userid: 'a' }], ['a'])).to.equal(undefined);
  });
});
