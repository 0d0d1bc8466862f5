import { expect } from 'chai';
import { startChat, type Chat } from '../helpers/chat.js';

describe('/统计 (stats)', () => {
  let chat: Chat;
  beforeEach(async () => {
    chat = await startChat({ admins: ['zhangsan'], managers: ['lisi'], sim: { momentJobDelayMs: 100 } });
  });
  afterEach(() => chat.close());
  const day = (offset: number) => new Date(Date.now() + 8 * 3600_000 - offset * 86400_000).toISOString().slice(0, 10);

  it('reads the periods people say, in each script, and says where each ends', async () => {
    const today = day(0);
    const lastMonth = new Date(`${today.slice(0, 8)}01T00:00:00Z`);
    lastMonth.setUTCMonth(lastMonth.getUTCMonth() - 1);
    const from = lastMonth.toISOString().slice(0, 10);
    const to = new Date(Date.parse(`${today.slice(0, 8)}01T00:00:00Z`) - 86400_000).toISOString().slice(0, 10);
    await chat.shouldReply('lisi', '/统计 上个月', `（${from} 至 ${to}）`, ['看不懂', '到今天为止']);
    await chat.shouldReply('lisi', '/統計 上個月', `（${from} 至 ${to}）`, ['看不懂']);
    await chat.shouldReply('lisi', '/统计 最近一周', [`（${day(7)} 至 ${day(1)}）`, '到昨天为止，不含今天。'], ['看不懂']);
    await chat.shouldReply('lisi', '/統計 最近一週', [`（${day(7)} 至 ${day(1)}）`, '到昨天為止']);
    await chat.shouldReply('lisi', '/统计 本月', [`（${today.slice(0, 8)}01 至 ${today}）`, '到今天为止'], ['看不懂']);
    await chat.shouldReply('lisi', '/统计 前天', `（${day(2)} 至 ${day(2)}）`);
    const monthNumber = Number(from.slice(5, 7));
    const chinese = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二'][monthNumber - 1]!;
    await chat.shouldReply('lisi', `/统计 ${chinese}月`, `（${from} 至 ${to}）`, ['看不懂']);
    const english = new Date(`${from}T00:00:00Z`).toLocaleString('en', { month: 'short', timeZone: 'UTC' });
    await chat.shouldReply('lisi', `/stats ${english} 1-15`, `(${from} to ${from.slice(0, 8)}15)`, ['Cannot read']);
  });

  it('labels each row with the days it holds, and compares days in the trend (a short week is no collapse)', async () => {
    // 30 days: a row a week; the first and last weeks hold only the days of the period.
    const replies = await chat.as('lisi').say(`/统计 zhangsan --from ${day(30)} --to ${day(1)}`);
    const text = replies.map((m) => m.content ?? '').join('\n');
    expect(text).to.contain('每周').and.not.contain(' 起');
    const rows = [...text.matchAll(/<font color="comment">(\d\d-\d\d)(?:–(\d\d-\d\d))?<\/font> 聊天/g)].map((m) => [m[1], m[2] ?? m[1]]);
    expect(rows[0]![0], 'the first row starts on the first day').to.equal(day(30).slice(5));
    expect(rows.at(-1)![1], 'the last row ends on the last day').to.equal(day(1).slice(5));
    for (const [a, b] of rows) expect(Date.parse(`2026-${b}`) - Date.parse(`2026-${a}`)).to.be.at.most(6 * 86400_000);
  });

  it('统计 over 60 days makes exactly 2 behaviour calls per member batch; totals equal the simulator’s per-day data', async () => {
    const [reply] = await chat.as('lisi').say(`/统计 zhangsan,lisi --from ${day(59)} --to ${day(0)}`);
    const all = chat.sim.calls('externalcontact/get_user_behavior_data');
    // Two for the totals (both members a call, 30 days a call), two for the 60 days before (环比), and two per member
    // for the ranking.
    const both = all.filter((c) => (c.body.userid as string[]).length === 2);
    expect(both).to.have.length(4);
    expect(all).to.have.length(8);
    const calls = both.slice(0, 2);
    expect(both[3]!.body.end_time, 'the period before ends the day before').to.equal((calls[0]!.body.start_time as number) - 86400);
    let chats = 0;
    let contacts = 0;
    for (const c of calls) {
      for (let t = c.body.start_time as number; t <= (c.body.end_time as number); t += 86400) {
        for (const u of ['zhangsan', 'lisi']) {
          chats += chat.sim.corp.behavior(u, t).chat_cnt;
          contacts += chat.sim.corp.behavior(u, t).new_contact_cnt;
        }
      }
    }
    expect(reply!.content).to.contain(`<font color="comment">聊天数：</font>**${chats}**`);
    expect(reply!.content).to.contain(`<font color="comment">新增客户：</font>**${contacts}**`);
    expect(reply!.content).to.match(/`[▁▂▃▄▅▆▇█]{60}`/);
    expect(reply!.content).to.match(/聊天数：<\/font>\*\*\d+\*\* <font color="comment">环比 (?:[+−][\d.]+%|持平)<\/font>/);
    expect(reply!.content).to.contain('环比：与前一段同样长的').and.contain('到今天为止');
    // 60 days: a row a week, and the two members ranked (the reply may come in two parts).
    const all2 = (await chat.as('lisi').say(`/统计 zhangsan,lisi --from ${day(59)} --to ${day(0)}`)).map((m) => m.content).join('\n');
    expect(all2).to.contain('每周').and.contain('成员排名').and.contain('新增客户最多：');
    const [hant] = await chat.as('lisi').say(`/統計 zhangsan --from ${day(6)} --to ${day(0)}`);
    expect(hant!.content).to.contain('客戶聯絡資料').and.contain('回覆率');
  });

  it('统计 refuses a period wholly older than 180 days before any call; 统计 群 by owner and by day', async () => {
    const [old] = await chat.as('lisi').say(`/统计 --from ${day(200)} --to ${day(190)}`);
    expect(old!.content).to.contain('最近 180 天');
    expect(chat.sim.calls('externalcontact/get_user_behavior_data')).to.have.length(0);
    const [owners] = await chat.as('lisi').say(`/统计 群 --owner zhangsan,wangwu --from ${day(40)} --to ${day(0)}`);
    expect(owners!.content)
      .to.contain('客户群数据：2 位群主')
      .and.contain('**张三（zhangsan）**')
      .and.contain(`群统计只到昨天：已按 ${day(1)} 截止`);
    expect(chat.sim.calls('externalcontact/groupchat/statistic')).to.have.length(2);
    const [byDay] = await chat.as('lisi').say(`/統計 群 --from ${day(6)} --to ${day(0)} --by day`);
    expect(byDay!.content).to.contain('客戶群每日資料').and.contain('群統計只到昨天');
    const [today] = await chat.as('lisi').say(`/统计 群 --from ${day(0)} --to ${day(0)}`);
    expect(today!.content).to.contain('今天的群统计要到明天才有');
  });

  it('staff see their own figures, in each script, and nobody else’s', async () => {
    const [own] = await chat.as('zhaoliu').say(`/统计 --from ${day(6)} --to ${day(0)}`);
    expect(own!.content).to.contain('赵六（zhaoliu）的客户联系数据').and.not.contain('成员排名');
    const calls = chat.sim.calls('externalcontact/get_user_behavior_data');
    expect(
      calls.every((c) => JSON.stringify(c.body.userid) === '["zhaoliu"]'),
      'only their own figures are read',
    ).to.equal(true);
    await chat.shouldReply('zhaoliu', '/統計 上週', '赵六（zhaoliu）的客戶聯絡資料');
    await chat.shouldReply('zhaoliu', '/stats me last week', 'Customer contact of 赵六 (zhaoliu)');
    await chat.shouldReply('zhaoliu', '/统计 我 上周', '赵六（zhaoliu）的客户联系数据');
    await chat.shouldReply('zhaoliu', '我的统计', ['`/统计 我`', '赵六（zhaoliu）的客户联系数据']);
    await chat.shouldReply('zhaoliu', '/统计 张三', '需要主管权限');
    await chat.shouldReply('zhaoliu', '/统计 --party 1', '需要主管权限');
    await chat.shouldReply('zhaoliu', '/统计 群', '需要主管权限');
  });

  /** Unix seconds of 00:00 (Asia/Shanghai) of a YYYY-MM-DD day. */
  const start = (date: string) => Date.parse(`${date}T00:00:00+08:00`) / 1000;
  /** Monday of this week (Asia/Shanghai), as YYYY-MM-DD. */
  const thisMonday = () => {
    const today = day(0);
    const weekday = (new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7;
    return day(weekday);
  };
  const lastCall = () => chat.sim.calls('externalcontact/get_user_behavior_data').at(-1)!.body;

  it('reads periods as people say them: 统计 alone is the last 7 days to yesterday, 上周 is last Monday to Sunday', async () => {
    const [alone] = await chat.as('lisi').say('/统计');
    expect(alone!.content).to.contain(`${day(7)} 至 ${day(1)}`);
    expect(lastCall()).to.include({ start_time: start(day(7)), end_time: start(day(1)) });
    const monday = thisMonday();
    const lastMonday = new Date(Date.parse(`${monday}T00:00:00Z`) - 7 * 86400_000).toISOString().slice(0, 10);
    const lastSunday = new Date(Date.parse(`${monday}T00:00:00Z`) - 86400_000).toISOString().slice(0, 10);
    await chat.shouldReply('lisi', '/统计 上周', `${lastMonday} 至 ${lastSunday}`);
    expect(lastCall()).to.include({ start_time: start(lastMonday), end_time: start(lastSunday) });
    await chat.shouldReply('lisi', '/統計 上週', `${lastMonday} 至 ${lastSunday}`);
    await chat.shouldReply('lisi', '/stats last week', `${lastMonday} to ${lastSunday}`);
    await chat.shouldReply('lisi', '/统计 zhangsan 本月', ['zhangsan', `${day(0).slice(0, 8)}01 至 ${day(0)}`]);
    expect(lastCall()).to.deep.include({ userid: ['zhangsan'] });
    await chat.shouldReply('lisi', '/统计 近30天', `${day(30)} 至 ${day(1)}`);
  });

  it('fits a period to what WeCom keeps with a note instead of refusing, and lists the forms it reads', async () => {
    await chat.shouldReply('lisi', `/统计 --from ${day(3)} --to ${day(-5)}`, [`结束日期 ${day(-5)} 还没到`, `${day(3)} 至 ${day(0)}`]);
    await chat.shouldReply('lisi', `/统计 --from ${day(200)} --to ${day(1)}`, ['只保留最近 180 天', `从 ${day(179)} 开始`]);
    await chat.shouldReply('lisi', '/统计 本年', ['看不懂“本年”', '上周', '10.1-10.15', '/成员']);
    await chat.shouldReply('lisi', '/stats whenever', ['Cannot read "whenever"', 'last week']);
  });

  it('fits 180 days of every member in one message, a row a month, with a bounded, cached ranking', async () => {
    const replies = await chat.as('lisi').say(`/统计 --from ${day(179)} --to ${day(1)}`);
    expect(replies.length).to.be.at.most(3);
    const text = replies.map((r) => r.content).join('\n');
    expect(text).to.contain('每月').and.contain('成员排名').and.contain('新增客户最少：');
    const calls = chat.sim.calls('externalcontact/get_user_behavior_data');
    expect(calls.length).to.be.at.most(6 + 60); // 6 windows of totals, at most 60 for the ranking
    const again = chat.sim.calls('externalcontact/get_user_behavior_data').length;
    await chat.as('lisi').say(`/统计 --from ${day(179)} --to ${day(1)}`);
    expect(chat.sim.calls('externalcontact/get_user_behavior_data').length - again).to.equal(6); // the ranking came from the cache
    // More members than 60 calls allow: ranked over the last 30 days, and it says so.
    for (let i = 0; i < 3; i++) chat.sim.corp.addMember({ userid: `extra${i}`, name: `新人${i}`, department: [1], status: 'active' });
    const wide = (await chat.as('lisi').say(`/统计 --from ${day(179)} --to ${day(1)}`)).map((m) => m.content).join('\n');
    expect(wide).to.contain('排名按');
    const en = (await chat.as('lisi').say(`/stats --from ${day(179)} --to ${day(1)}`)).map((m) => m.content).join('\n');
    expect(en).to.contain('By month').and.contain('Fewest new customers:');
    const hant = (await chat.as('lisi').say('/統計 上週')).map((m) => m.content).join('\n');
    expect(hant).to.contain('每天').and.contain('成員排名');
  });
});

describe('/统计 of a corp of 1,000 members (issue 30)', function () {
  this.timeout(30_000);
  let chat: Chat;
  afterEach(() => chat.close());

  it('sums everyone in calls of 100 members, the period and the one before: no call per member, no ranking of a thousand', async () => {
    chat = await startChat({ admins: ['zhangsan'], managers: ['lisi'], sim: { members: 1000, departments: 50, customers: 3000 } });
    const followers = chat.sim.corp.activeMembers().filter((m) => chat.sim.corp.customerCount(m.userid) > 0).length;
    const before = chat.sim.calls('externalcontact/get_user_behavior_data').length;
    await chat.shouldReply('lisi', '/统计', ['的客户联系数据', '聊天数'], ['成员排名']);
    const calls = chat.sim.calls('externalcontact/get_user_behavior_data').length - before;
    expect(calls).to.equal(2 * Math.ceil(followers / 100));
  });
});
