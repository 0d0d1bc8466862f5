import { expect } from 'chai';
import { inQuietHours, retryDelayMs } from '../../src/bot/notices.js';
import { latestSlot, slotKeyOf } from '../../src/bot/schedule.js';

describe('schedule slots and quiet hours, in the corp’s time zone', () => {
  const at = (iso: string) => Date.parse(iso);

  it('finds the latest slot at or before now: the same day once its time passed, else the one before', () => {
    const monday9 = { weekday: 1, hour: 9, minute: 0 };
    // Monday 2026-12-07 09:00 in Shanghai is 01:00 UTC.
    expect(latestSlot(monday9, 'Asia/Shanghai', at('2026-12-07T01:00:00Z'))).to.equal(at('2026-12-07T01:00:00Z'));
    expect(latestSlot(monday9, 'Asia/Shanghai', at('2026-12-07T00:59:59Z'))).to.equal(at('2026-11-30T01:00:00Z'));
    expect(latestSlot(monday9, 'Asia/Shanghai', at('2026-12-10T12:00:00Z'))).to.equal(at('2026-12-07T01:00:00Z'));
    // Sunday evening UTC is already Monday in Shanghai.
    expect(latestSlot(monday9, 'Asia/Shanghai', at('2026-12-13T23:00:00Z'))).to.equal(at('2026-12-07T01:00:00Z'));
    const daily = { hour: 9, minute: 30 };
    expect(latestSlot(daily, 'Asia/Shanghai', at('2026-12-07T01:29:00Z'))).to.equal(at('2026-12-06T01:30:00Z'));
    expect(latestSlot(daily, 'Asia/Shanghai', at('2026-12-07T01:31:00Z'))).to.equal(at('2026-12-07T01:30:00Z'));
    // A zone with daylight saving: 09:30 in New York is 13:30 UTC in summer, 14:30 in winter.
    expect(latestSlot(daily, 'America/New_York', at('2026-07-01T15:00:00Z'))).to.equal(at('2026-07-01T13:30:00Z'));
    expect(latestSlot(daily, 'America/New_York', at('2026-12-01T15:00:00Z'))).to.equal(at('2026-12-01T14:30:00Z'));
    // The day the clocks go forward: 01:30 in Berlin is still winter time (UTC+1), 03:30 already summer time (UTC+2).
    expect(latestSlot({ hour: 1, minute: 30 }, 'Europe/Berlin', at('2025-03-30T12:00:00Z'))).to.equal(at('2025-03-30T00:30:00Z'));
    expect(latestSlot({ hour: 3, minute: 30 }, 'Europe/Berlin', at('2025-03-30T12:00:00Z'))).to.equal(at('2025-03-30T01:30:00Z'));
    expect(slotKeyOf('Asia/Shanghai', at('2026-12-06T17:00:00Z'))).to.equal('2026-12-07T01:00');
    // Every hour at :05.
    expect(latestSlot({ minute: 5 }, 'Asia/Shanghai', at('2026-12-07T03:04:00Z'))).to.equal(at('2026-12-07T02:05:00Z'));
    expect(latestSlot({ minute: 5 }, 'Asia/Shanghai', at('2026-12-07T03:05:00Z'))).to.equal(at('2026-12-07T03:05:00Z'));
  });

  it('keeps quiet hours over midnight, and none when they start and end together', () => {
    const quiet = { from: 22, until: 8 };
    expect(inQuietHours(quiet, 'Asia/Shanghai', at('2026-12-07T14:00:00Z'))).to.equal(true); // 22:00
    expect(inQuietHours(quiet, 'Asia/Shanghai', at('2026-12-07T23:59:00Z'))).to.equal(true); // 07:59
    expect(inQuietHours(quiet, 'Asia/Shanghai', at('2026-12-08T00:00:00Z'))).to.equal(false); // 08:00
    expect(inQuietHours(quiet, 'Asia/Shanghai', at('2026-12-07T13:59:00Z'))).to.equal(false); // 21:59
    expect(inQuietHours({ from: 0, until: 0 }, 'Asia/Shanghai', at('2026-12-07T14:00:00Z'))).to.equal(false);
    expect(inQuietHours({ from: 12, until: 14 }, 'Asia/Shanghai', at('2026-12-07T05:00:00Z'))).to.equal(true); // 13:00
  });

  it('waits longer after each failed send, up to sixty times the first wait', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n))).to.deep.equal([30_000, 60_000, 120_000, 240_000]);
    expect(retryDelayMs(20)).to.equal(30 * 60_000);
  });
});
