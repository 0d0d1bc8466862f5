import { expect } from 'chai';
import { daysIn, defaultPeriod, parsePeriod, todayIn } from '../../../commands/_lib/periods.js';

// A Thursday.
const TODAY = '2026-11-26';
const read = (text: string) => parsePeriod(text, TODAY);

describe('commands/_lib/periods', () => {
  it('reads named periods in all three scripts, weeks starting on Monday', () => {
    for (const w of ['今天', 'today', 'Today']) expect(read(w)).to.deep.equal({ from: TODAY, to: TODAY });
    for (const w of ['昨天', 'yesterday']) expect(read(w)).to.deep.equal({ from: '2026-11-25', to: '2026-11-25' });
    for (const w of ['本周', '本週', 'this week']) expect(read(w)).to.deep.equal({ from: '2026-11-23', to: TODAY });
    for (const w of ['上周', '上週', 'last week', 'Last  Week']) expect(read(w)).to.deep.equal({ from: '2026-11-16', to: '2026-11-22' });
    for (const w of ['本月', 'this month']) expect(read(w)).to.deep.equal({ from: '2026-11-01', to: TODAY });
    for (const w of ['上月', 'last month']) expect(read(w)).to.deep.equal({ from: '2026-10-01', to: '2026-10-31' });
    expect(parsePeriod('上月', '2026-01-15')).to.deep.equal({ from: '2025-12-01', to: '2025-12-31' });
    expect(parsePeriod('上周', '2026-11-23')).to.deep.equal({ from: '2026-11-16', to: '2026-11-22' }); // on a Monday
  });

  it('reads recent days, months and dates as people write them', () => {
    for (const w of ['近7天', '最近7天', '近 7 天', 'last 7 days', 'past 7 days']) expect(read(w)).to.deep.equal({ from: '2026-11-19', to: '2026-11-25' });
    expect(read('近30天')).to.deep.equal({ from: '2026-10-27', to: '2026-11-25' });
    expect(read('11月')).to.deep.equal({ from: '2026-11-01', to: TODAY });
    expect(read('10月')).to.deep.equal({ from: '2026-10-01', to: '2026-10-31' });
    expect(read('12月'), 'a month ahead means last year’s').to.deep.equal({ from: '2025-12-01', to: '2025-12-31' });
    expect(read('2026-10')).to.deep.equal({ from: '2026-10-01', to: '2026-10-31' });
    expect(read('2026-02')).to.deep.equal({ from: '2026-02-01', to: '2026-02-28' });
    expect(read('2026/10/01')).to.deep.equal({ from: '2026-10-01', to: '2026-10-01' });
    expect(read('2026-10-01')).to.deep.equal({ from: '2026-10-01', to: '2026-10-01' });
    expect(read('10.1-10.15')).to.deep.equal({ from: '2026-10-01', to: '2026-10-15' });
    expect(read('10.1-15')).to.deep.equal({ from: '2026-10-01', to: '2026-10-15' });
    expect(read('2026-10-01~2026-10-15')).to.deep.equal({ from: '2026-10-01', to: '2026-10-15' });
    expect(read('2026-10-01 到 2026-10-15')).to.deep.equal({ from: '2026-10-01', to: '2026-10-15' });
  });

  it('reads the periods people say, in each script and in English (issue 25)', () => {
    for (const w of ['上个月', '上個月', '上一个月', 'previous month']) expect(read(w), w).to.deep.equal({ from: '2026-10-01', to: '2026-10-31' });
    for (const w of ['最近一周', '最近一週', '近一周', '过去一周', 'past week', 'the past week'])
      expect(read(w), w).to.deep.equal({ from: '2026-11-19', to: '2026-11-25' });
    for (const w of ['最近两周', '近兩週', 'past 2 weeks']) expect(read(w), w).to.deep.equal({ from: '2026-11-12', to: '2026-11-25' });
    for (const w of ['最近一个月', '近一個月', 'past month']) expect(read(w), w).to.deep.equal({ from: '2026-10-27', to: '2026-11-25' });
    for (const w of ['十月', '10月', '十月份', 'October', 'Oct', 'oct.']) expect(read(w), w).to.deep.equal({ from: '2026-10-01', to: '2026-10-31' });
    expect(read('十一月')).to.deep.equal({ from: '2026-11-01', to: TODAY });
    for (const w of ['前天', 'the day before yesterday']) expect(read(w), w).to.deep.equal({ from: '2026-11-24', to: '2026-11-24' });
    for (const w of ['这周', '這週', '这个星期']) expect(read(w), w).to.deep.equal({ from: '2026-11-23', to: TODAY });
    for (const w of ['上星期', '上個禮拜']) expect(read(w), w).to.deep.equal({ from: '2026-11-16', to: '2026-11-22' });
    for (const w of ['Oct 1-15', 'oct 1 - oct 15', 'October 1 to October 15', '1-15 Oct', 'Oct 1st-15th']) {
      expect(read(w), w).to.deep.equal({ from: '2026-10-01', to: '2026-10-15' });
    }
    expect(read('Oct 2025')).to.deep.equal({ from: '2025-10-01', to: '2025-10-31' });
    expect(read('Oct 1 to Nov 3')).to.deep.equal({ from: '2026-10-01', to: '2026-11-03' });
    for (const w of ['mar 40', '10.40', 'Oct 15-1', '十三月', 'octopus', '7 days', 'Dec 9999', '9999-12']) expect(read(w), w).to.equal(undefined);
    expect(read('15 Oct')).to.deep.equal({ from: '2026-10-15', to: '2026-10-15' });
    // A range whose end lies after today (the report stops it today, saying so), and one across the new year.
    expect(parsePeriod('Nov 25 to Dec 3', '2026-12-01')).to.deep.equal({ from: '2026-11-25', to: '2026-12-03' });
    expect(parsePeriod('Dec 28 to Jan 3', '2027-01-02')).to.deep.equal({ from: '2026-12-28', to: '2027-01-03' });
    expect(parsePeriod('12.28-1.3', '2027-01-02')).to.deep.equal({ from: '2026-12-28', to: '2027-01-03' });
  });

  it('is not fooled by what is no period: member ids, impossible dates, reversed ranges', () => {
    for (const w of ['zhangsan', '0012', '本年', '2026-02-30', '13月', '10.15-10.1', '近0天', '']) expect(read(w), w).to.equal(undefined);
  });

  it('defaults to the last 7 days ending yesterday, and finds today in the corp’s time zone', () => {
    expect(defaultPeriod(TODAY)).to.deep.equal({ from: '2026-11-19', to: '2026-11-25' });
    expect(daysIn(defaultPeriod(TODAY))).to.equal(7);
    const at = Date.parse('2026-11-26T20:00:00Z'); // 04:00 the next day in Shanghai, noon in Los Angeles
    expect(todayIn('Asia/Shanghai', at)).to.equal('2026-11-27');
    expect(todayIn('America/Los_Angeles', at)).to.equal('2026-11-26');
  });
});
