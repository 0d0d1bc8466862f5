import { expect } from 'chai';
import { dayRange, sparkline, windows } from '../../../commands/_lib/dates.js';
import { UserError } from '../../../src/bot/command.js';
import { formatDate } from '../../../src/render/format.js';

const DAY = 86400;
const daysAgo = (n: number) => formatDate(Math.floor(Date.now() / 1000) - n * DAY);

function keyOf(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    if (UserError.is(err)) return err.key;
    throw err;
  }
  return 'none';
}

describe('commands/_lib/dates', () => {
  it('dayRange counts both ends and refuses reversed, future and too old dates', () => {
    const range = dayRange('2026-10-01', '2026-10-31');
    expect(range.days).to.equal(31);
    expect(formatDate(range.from)).to.equal('2026-10-01');
    expect(formatDate(range.to)).to.equal('2026-10-31');
    expect(keyOf(() => dayRange('2026-10-02', '2026-10-01'))).to.equal('common.dateOrder');
    expect(keyOf(() => dayRange(daysAgo(1), daysAgo(-1)))).to.equal('common.dateFuture');
    expect(keyOf(() => dayRange(daysAgo(181), daysAgo(1), 180))).to.equal('common.dateTooOld');
    expect(keyOf(() => dayRange(daysAgo(180), daysAgo(1), 180))).to.equal('none');
  });

  it('windows cut a range into spans of at most N days, covering it exactly', () => {
    const range = dayRange('2026-01-01', '2026-03-01'); // 60 days
    const spans = windows(range, 30);
    expect(spans.map((w) => [formatDate(w.from), formatDate(w.to)])).to.deep.equal([
      ['2026-01-01', '2026-01-30'],
      ['2026-01-31', '2026-03-01'],
    ]);
    expect(windows(dayRange('2026-01-01', '2026-01-01'), 30)).to.have.length(1);
  });

  it('sparkline draws one bar per value, scaled to the largest, flat for all zeros', () => {
    expect(sparkline([0, 4, 8])).to.equal('▁▅█');
    expect(sparkline([0, 0])).to.equal('▁▁');
    expect([...sparkline([1, 2, 3, 4, 5, 6, 7])]).to.have.length(7);
  });
});
