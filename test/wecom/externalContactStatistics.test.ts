import { expect } from 'chai';
import { dayStart } from '../../src/simulator/index.js';
import { lastCall, simClient, type SimClient } from '../helpers/sim.js';
import { errcodeOf } from './errcode.js';

describe('client: externalContactStatistics against the simulator', () => {
  let t: SimClient;
  beforeEach(async () => {
    t = await simClient();
  });
  afterEach(() => t.close());

  const today = () => dayStart(Math.floor(Date.now() / 1000));

  it('userBehavior sums the members per day, equal to the simulator’s own data', async () => {
    const from = today() - 6 * 86400;
    const to = today();
    const res = await t.client.externalContactStatistics.userBehavior(['zhangsan', 'lisi'], from, to);
    expect(lastCall(t.sim, 'externalcontact/get_user_behavior_data').body).to.deep.equal({
      userid: ['zhangsan', 'lisi'],
      partyid: [],
      start_time: from,
      end_time: to,
    });
    expect(res.behavior_data).to.have.length(7);
    for (const day of res.behavior_data) {
      const a = t.sim.corp.behavior('zhangsan', day.stat_time);
      const b = t.sim.corp.behavior('lisi', day.stat_time);
      expect(day.chat_cnt).to.equal(a.chat_cnt + b.chat_cnt);
      expect(day.new_contact_cnt).to.equal(a.new_contact_cnt + b.new_contact_cnt);
    }
  });

  it('refuses spans over 30 days and dates older than 180 days', async () => {
    const s = t.client.externalContactStatistics;
    expect(await errcodeOf(s.userBehavior(['zhangsan'], today() - 30 * 86400, today()))).to.equal(40058);
    expect(await errcodeOf(s.userBehavior(['zhangsan'], today() - 29 * 86400, today()))).to.equal(0);
    expect(await errcodeOf(s.userBehavior(['zhangsan'], today() - 200 * 86400, today() - 190 * 86400))).to.equal(40058);
  });

  it('groupChatStatistic pages with offset/next_offset/total; the iterator reads every owner', async () => {
    const s = t.client.externalContactStatistics;
    const owners = [...new Set([...t.sim.corp.groupChats.values()].map((c) => c.owner))];
    const params = {
      day_begin_time: today() - 4 * 86400,
      day_end_time: today() - 86400,
      owner_filter: { userid_list: owners },
      order_by: 2,
      order_asc: 0 as const,
      offset: 0,
      limit: 3,
    };
    const page = await s.groupChatStatistic(params);
    expect(lastCall(t.sim, 'externalcontact/groupchat/statistic').body).to.deep.equal(params);
    expect(page.total).to.equal(owners.length);
    expect(page.next_offset).to.equal(3);
    const { offset: _o, ...rest } = params;
    const seen: string[] = [];
    for await (const p of s.iterateGroupChatStatistic(rest)) seen.push(...p.items.map((i) => i.owner));
    expect(seen.sort()).to.deep.equal([...owners].sort());
  });

  it('groupChatStatisticGroupByDay answers one item per day', async () => {
    // Group statistics cover days up to yesterday: today is refused.
    expect(await errcodeOf(t.client.externalContactStatistics.groupChatStatisticGroupByDay(today() - 86400, today(), ['zhangsan']))).to.equal(40058);
    const res = await t.client.externalContactStatistics.groupChatStatisticGroupByDay(today() - 3 * 86400, today() - 86400, ['zhangsan']);
    expect(lastCall(t.sim, 'externalcontact/groupchat/statistic_group_by_day').body).to.deep.equal({
      day_begin_time: today() - 3 * 86400,
      day_end_time: today() - 86400,
      owner_filter: { userid_list: ['zhangsan'] },
    });
    expect(res.items.map((i) => i.stat_time)).to.deep.equal([today() - 3 * 86400, today() - 2 * 86400, today() - 86400]);
  });
});
