import { expect } from 'chai';
import { CustomerPopulation } from '../../src/simulator/population.js';

const AS_OF = Math.floor(Date.UTC(2026, 11, 1) / 1000);

/** The big corp's layout: 10,000 members, one with 20,000 customers, the rest ~98 each: a million in all. */
function bigLayout(): { members: string[]; counts: number[] } {
  const members = Array.from({ length: 10_000 }, (_, i) => (i === 0 ? 'bigsales' : `user${i}`));
  const counts: number[] = members.map((_, i) => (i === 0 ? 20_000 : 98));
  counts[1] = 1_000_000 - counts.reduce((a, b) => a + b, 0) + counts[1]!;
  return { members, counts };
}

describe('customers derived from their index (the big corp’s million, issue 30)', () => {
  it('holds a million customers without keeping them: the same customer for an index every time, and its id gives the index back', () => {
    const before = process.memoryUsage().heapUsed;
    const population = new CustomerPopulation(7, bigLayout(), AS_OF, ['et1', 'et2']);
    expect(population.size).to.equal(1_000_000);
    expect(process.memoryUsage().heapUsed - before, 'bytes kept').to.be.below(5 * 1024 * 1024);
    const again = new CustomerPopulation(7, bigLayout(), AS_OF, ['et1', 'et2']);
    for (const index of [0, 1, 19_999, 20_000, 543_210, 999_999]) {
      const id = population.idOf(index);
      expect(id).to.match(/^w[mo][A-Za-z0-9]{28}$/);
      expect(population.indexOf(id)).to.equal(index);
      expect(again.profile(index)).to.deep.equal(population.profile(index));
      expect(again.follow(index)).to.deep.equal(population.follow(index));
    }
    expect(population.indexOf(`${population.idOf(5).slice(0, 29)}${population.idOf(5).endsWith('A') ? 'B' : 'A'}`), 'a forged id').to.equal(undefined);
    expect(population.indexOf('wmnotacustomerofthispopulation')).to.equal(undefined);
    expect(new CustomerPopulation(8, bigLayout(), AS_OF).idOf(0)).not.to.equal(population.idOf(0));
  });

  it('gives each member a block: the top member’s 20,000, each customer’s owner, and distinct ids across a block', () => {
    const population = new CustomerPopulation(7, bigLayout(), AS_OF);
    expect(population.rangeOf('bigsales')).to.deep.equal([0, 20_000]);
    const [from, to] = population.rangeOf('user2');
    expect(to - from).to.equal(98);
    expect(population.ownerOf(from)).to.equal('user2');
    expect(population.ownerOf(to - 1)).to.equal('user2');
    expect(population.ownerOf(19_999)).to.equal('bigsales');
    expect(population.follow(from).userid).to.equal('user2');
    const ids = new Set(Array.from({ length: 20_000 }, (_, i) => population.idOf(i)));
    expect(ids.size).to.equal(20_000);
  });
});
