import { expect } from 'chai';
import { branchesOf } from '../../../commands/_lib/departments.js';

const dept = (id: number, parentid: number, order = 0) => ({ id, parentid, order });

describe('branchesOf: how a report of the whole corp is added up by department', () => {
  it('takes each department under the first level that branches, with all under it, and the trunk above it', () => {
    // 1 → 2 (the company) → regions 3 and 4; 3 → teams 5, 6; 4 → team 7 → group 8.
    const split = branchesOf([dept(1, 0), dept(2, 1), dept(3, 2, 10), dept(4, 2, 20), dept(5, 3), dept(6, 3), dept(7, 4), dept(8, 7)]);
    expect(split!.trunk).to.deep.equal([1, 2]);
    // Larger order first, as WeCom shows them.
    expect(split!.branches.map((b) => b.head)).to.deep.equal([4, 3]);
    expect(split!.branches.map((b) => b.calls)).to.deep.equal([[[4, 7, 8]], [[3, 5, 6]]]);
    // Every department once.
    const named = [...split!.trunk, ...split!.branches.flatMap((b) => b.calls.flat())].sort((a, b) => a - b);
    expect(named).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('splits a branch of more than 100 departments into calls of 100', () => {
    const teams = Array.from({ length: 150 }, (_, i) => dept(100 + i, 2));
    const split = branchesOf([dept(1, 0), dept(2, 1), dept(3, 1), ...teams]);
    const big = split!.branches.find((b) => b.head === 2)!;
    expect(big.calls.map((c) => c.length)).to.deep.equal([100, 51]);
  });

  it('has nothing to add up when the app does not see the root department', () => {
    expect(branchesOf([dept(3, 2), dept(4, 2)])).to.equal(undefined);
  });
});
