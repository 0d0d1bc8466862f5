import { expect } from 'chai';
import { chunk, tally, type Tally } from '../../../commands/_lib/transfers.js';

describe('commands/_lib/transfers', () => {
  it('chunk splits into batches of at most N in order', () => {
    const ids = Array.from({ length: 250 }, (_, i) => `wm${i}`);
    const batches = chunk(ids, 100);
    expect(batches.map((b) => b.length)).to.deep.equal([100, 100, 50]);
    expect(batches.flat()).to.deep.equal(ids);
    expect(chunk([], 100)).to.deep.equal([]);
  });

  it('tally counts accepted customers and keeps each failure with its errcode, across calls', () => {
    const into: Tally = { ok: 0, failed: [] };
    tally(into, [
      { external_userid: 'wmA', errcode: 0 },
      { external_userid: 'wmB', errcode: 40129 },
    ]);
    tally(into, [{ external_userid: 'wmC', errcode: 0 }]);
    expect(into).to.deep.equal({ ok: 2, failed: [{ id: 'wmB', errcode: 40129 }] });
  });
});
