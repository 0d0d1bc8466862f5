import { expect } from 'chai';
import { dayRange, sparkline, windows } from '../../../commands/_lib/dates.js';
import { UserError } from '../../../src/bot/command.js';
import { dayStartOf, formatDate, formatDateTime } from '../../../src/render/format.js';

const DAY = 86400;
const SH = 'Asia/Shanghai';
const daysAgo = (n: number) => formatDate(Math.floor(Date.now() / 1000) - n * DAY, SH);

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
    const range = dayRange('2026-10-01', '2026-10-31', SH);
    expect(range.days).to.equal(31);
    expect(formatDate(range.from, SH)).to.equal('2026-10-01');
    expect(formatDate(range.to, SH)).to.equal('2026-10-31');
    expect(keyOf(() => dayRange('2026-10-02', '2026-10-01', SH))).to.equal('common.dateOrder');
    expect(keyOf(() => dayRange(daysAgo(1), daysAgo(-1), SH))).to.equal('common.dateFuture');
    expect(keyOf(() => dayRange(daysAgo(181), daysAgo(1), SH, 180))).to.equal('common.dateTooOld');
    expect(keyOf(() => dayRange(daysAgo(180), daysAgo(1), SH, 180))).to.equal('none');
  });

  it('windows cut a range into spans of at most N days, covering it exactly', () => {
    const range = dayRange('2026-01-01', '2026-03-01', SH); // 60 days
    const spans = windows(range, 30);
    expect(spans.map((w) => [formatDate(w.from, SH), formatDate(w.to, SH)])).to.deep.equal([
      ['2026-01-01', '2026-01-30'],
      ['2026-01-31', '2026-03-01'],
    ]);
    expect(windows(dayRange('2026-01-01', '2026-01-01', SH), 30)).to.have.length(1);
  });

  it('days and times in any IANA zone: midnights, daylight saving, the date a moment falls on', () => {
    expect(dayStartOf('2026-10-01', SH)).to.equal(Date.parse('2026-09-30T16:00:00Z') / 1000);
    expect(dayStartOf('2026-10-01', 'UTC')).to.equal(Date.parse('2026-10-01T00:00:00Z') / 1000);
    // New York: the day daylight saving ends (2026-11-01) still starts at 04:00Z (EDT); the next day at 05:00Z (EST).
    expect(dayStartOf('2026-11-01', 'America/New_York')).to.equal(Date.parse('2026-11-01T04:00:00Z') / 1000);
    expect(dayStartOf('2026-11-02', 'America/New_York')).to.equal(Date.parse('2026-11-02T05:00:00Z') / 1000);
    const instant = Date.parse('2026-12-04T20:30:00Z');
    expect(formatDateTime(instant, SH)).to.equal('2026-12-05 04:30');
    expect(formatDateTime(instant, 'Europe/Berlin')).to.equal('2026-12-04 21:30');
    expect(formatDate(instant / 1000, 'America/Los_Angeles')).to.equal('2026-12-04');
    expect(formatDate(instant / 1000, 'Asia/Tokyo')).to.equal('2026-12-05');
  });

  it('sparkline draws one bar per value, scaled to the largest, flat for all zeros', () => {
    expect(sparkline([0, 4, 8])).to.equal('▁▅█');
    expect(sparkline([0, 0])).to.equal('▁▁');
    expect([...sparkline([1, 2, 3, 4, 5, 6, 7])]).to.have.length(7);
  });
});
