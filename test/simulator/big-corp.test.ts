import { expect } from 'chai';
import { simClient, type SimClient } from '../helpers/sim.js';
import { errcodeOf } from '../wecom/errcode.js';

const DAY = 86400;

/**
 * The preset corps of issue 30 over real HTTP: `mid` (1,000 members in 50 nested departments, 50,000 derived
 * customers, zhangsan with 20,000) for what a big corp must get right, `big` (a million) to show it starts.
 */
describe('the big corp presets (issue 30)', () => {
  let t: SimClient;
  afterEach(() => t.close());
  const ec = () => t.client.externalContact;

  it('mid: zhangsan’s 20,000 customers come through batch/get_by_user in 200 pages of 100, none twice, each one externalcontact/get knows', async function () {
    this.timeout(60_000);
    t = await simClient({ preset: 'mid' });
    const ids: string[] = [];
    let cursor = '';
    let pages = 0;
    do {
      const page = await ec().batchGetByUser(['zhangsan'], cursor, 100);
      expect(page.external_contact_list).to.have.length(100);
      ids.push(...page.external_contact_list.map((c) => c.external_contact.external_userid));
      cursor = page.next_cursor ?? '';
      pages++;
    } while (cursor !== '');
    expect(pages).to.equal(200);
    expect(new Set(ids).size).to.equal(20_000);
    expect((await ec().list('zhangsan')).external_userid).to.have.length(20_000);
    for (let i = 0; i < ids.length; i += 50) {
      const batch = ids.slice(i, i + 50);
      const got = await Promise.all(batch.map((id) => ec().get(id)));
      expect(got.map((g) => g.external_contact.external_userid)).to.deep.equal(batch);
      expect(got.every((g) => g.follow_user[0]?.userid === 'zhangsan')).to.equal(true);
    }
  });

  it('mid: a forged id of the right shape (a wrong checksum) answers 40096', async () => {
    t = await simClient({ preset: 'mid' });
    const real = (await ec().batchGetByUser(['lisi'], '', 1)).external_contact_list[0]!.external_contact.external_userid;
    const forged = `${real.slice(0, -1)}${real.endsWith('A') ? 'B' : 'A'}`;
    expect(await errcodeOf(ec().get(forged))).to.equal(40096);
    expect(await errcodeOf(ec().get(real))).to.equal(0);
  });

  it('mid: a remark on a derived customer is kept, and the member still has as many customers', async () => {
    t = await simClient({ preset: 'mid' });
    const id = (await ec().batchGetByUser(['wangwu'], '', 5)).external_contact_list[3]!.external_contact.external_userid;
    const before = t.sim.corp.customerCount('wangwu');
    await ec().remark({ userid: 'wangwu', external_userid: id, remark: '大客户' });
    expect((await ec().get(id)).follow_user[0]!.remark).to.equal('大客户');
    expect(t.sim.corp.customerCount('wangwu')).to.equal(before);
    const all: string[] = [];
    for await (const page of ec().iterateBatchGetByUser(['wangwu'])) all.push(...page.external_contact_list.map((c) => c.external_contact.external_userid));
    expect(all.filter((x) => x === id)).to.have.length(1);
    expect(all).to.have.length(before);
  });

  it("mid: a remark made while a member's customers are paged moves nobody: the pages before and after it neither repeat nor miss", async () => {
    t = await simClient({ preset: 'mid' });
    const count = t.sim.corp.customerCount('wangwu');
    const first = await ec().batchGetByUser(['wangwu'], '', 10);
    const seen = first.external_contact_list.map((c) => c.external_contact.external_userid);
    // A customer of a later page is edited, and one of the page read is handed over and taken over meanwhile.
    const later = t.sim.corp.followPage('wangwu', count - 1, 1)[0]!.external_userid;
    await ec().remark({ userid: 'wangwu', external_userid: later, remark: '改过' });
    const earlier = t.sim.corp.followPage('wangwu', 4, 1)[0]!.external_userid;
    await ec().transferCustomer({ handover_userid: 'wangwu', takeover_userid: 'lisi', external_userid: [seen[2]!] });
    await ec().remark({ userid: 'wangwu', external_userid: earlier, remark: '也改过' });
    let cursor = first.next_cursor ?? '';
    while (cursor !== '') {
      const page = await ec().batchGetByUser(['wangwu'], cursor, 10);
      seen.push(...page.external_contact_list.map((c) => c.external_contact.external_userid));
      cursor = page.next_cursor ?? '';
    }
    expect(new Set(seen).size, 'none twice').to.equal(seen.length);
    expect(seen).to.have.length(count);
    expect(seen.at(-1)).to.equal(later);
  });

  it('mid: an in-service transfer of a derived customer moves it when its 24 hours are up', async () => {
    t = await simClient({ preset: 'mid' });
    const id = (await ec().batchGetByUser(['zhangsan'], '', 100)).external_contact_list[42]!.external_contact.external_userid;
    const count = (userid: string) => t.sim.corp.customerCount(userid);
    const [zhangsan, lisi] = [count('zhangsan'), count('lisi')];
    const res = await ec().transferCustomer({ handover_userid: 'zhangsan', takeover_userid: 'lisi', external_userid: [id] });
    expect(res.customer[0]!.errcode).to.equal(0);
    expect([count('zhangsan'), count('lisi')]).to.deep.equal([zhangsan, lisi]);
    t.sim.clock.advance(24 * 3600_000 + 1000);
    expect([count('zhangsan'), count('lisi')]).to.deep.equal([zhangsan - 1, lisi + 1]);
    expect((await ec().get(id)).follow_user.map((f) => f.userid)).to.deep.equal(['lisi']);
    expect((await ec().list('zhangsan')).external_userid).not.to.include(id);
  });

  it('mid: get_unassigned_list pages through the 1,000 customers of the 20 resigned members', async () => {
    t = await simClient({ preset: 'mid' });
    const seen = new Set<string>();
    const handovers = new Set<string>();
    let pages = 0;
    for await (const page of ec().iterateUnassigned(100)) {
      for (const row of page.info) {
        seen.add(row.external_userid);
        handovers.add(row.handover_userid);
      }
      pages++;
    }
    expect([seen.size, handovers.size, pages]).to.deep.equal([1000, 20, 10]);
  });

  it('mid: department/simplelist has 50 departments and the root, nested; one region answers itself and its teams, and brings their members into the visible range', async () => {
    t = await simClient({ preset: 'mid' });
    const all = (await t.client.contacts.departments()).department_id;
    expect(all).to.have.length(51);
    const parent = new Map(all.map((d) => [d.id, d.parentid]));
    expect([parent.get(1), parent.get(2), parent.get(7), parent.get(16)]).to.deep.equal([0, 1, 2, 3]);
    const region = (await t.client.contacts.departments(3)).department_id;
    expect(region.map((d) => d.id)).to.deep.equal([3, 16, 17, 18, 19, 20, 21, 22, 23, 24]);
    // A region in the app's visible range brings its teams' members.
    t.sim.corp.app.visibleDepartments = [3];
    const visible = (await ec().getFollowUsers()).follow_user;
    const teams = visible.map((u) => t.sim.corp.members.get(u)!.department[0]!);
    expect(visible).to.have.length.above(150);
    expect(teams.every((d) => d >= 16 && d <= 24)).to.equal(true);
  });

  it('mid: get_user_behavior_data with partyid counts a department’s direct members only (a region has none)', async () => {
    t = await simClient({ preset: 'mid' });
    const now = Math.floor(Date.now() / 1000);
    const [from, to] = [now - 8 * DAY, now - 2 * DAY];
    const region = await t.client.externalContactStatistics.userBehavior([], from, to, [2]);
    expect(region.behavior_data.every((d) => d.chat_cnt === 0 && d.new_contact_cnt === 0)).to.equal(true);
    const team = await t.client.externalContactStatistics.userBehavior([], from, to, [7]);
    const members = [...t.sim.corp.members.values()].filter((m) => m.department.includes(7)).map((m) => m.userid);
    expect(members).to.include('zhangsan').and.have.length.above(20);
    const direct = await t.client.externalContactStatistics.userBehavior(members, from, to);
    expect(team.behavior_data).to.deep.equal(direct.behavior_data);
    expect(team.behavior_data.some((d) => (d.chat_cnt ?? 0) > 0)).to.equal(true);
  });

  it('mid: a deleted tag is gone from derived follows', async () => {
    t = await simClient({ preset: 'mid' });
    const tagged = t.sim.corp.followPage('zhaoliu', 0, 50).find((f) => f.tagIds.length > 0)!;
    const tag = tagged.tagIds[0]!;
    const tagsOf = async () => (await ec().get(tagged.external_userid)).follow_user[0]!.tags!.map((x) => x.tag_id);
    expect(await tagsOf()).to.include(tag);
    // A seeded tag is the admin console's: the app may delete it only as its own (doc 92117).
    t.sim.corp.appTagIds.add(tag);
    await ec().deleteCorpTag([tag], []);
    expect(await tagsOf()).not.to.include(tag);
    const page = await ec().batchGetByUser(['zhaoliu'], '', 100);
    expect(page.external_contact_list.flatMap((c) => c.follow_info.tag_id ?? [])).not.to.include(tag);
  });

  it('mid: groupchat/list pages through the 3,000 chats (60 of resigned owners), and corp-wide group statistics cover every owner', async () => {
    t = await simClient({ preset: 'mid' });
    const chats = new Set<string>();
    let pages = 0;
    for await (const page of ec().iterateGroupChats({ limit: 1000 })) {
      for (const c of page.group_chat_list) chats.add(c.chat_id);
      pages++;
    }
    expect([chats.size, pages]).to.deep.equal([3000, 3]);
    const waiting = await ec().getGroupChats({ limit: 1000, status_filter: 1 });
    expect(waiting.group_chat_list).to.have.length(60);
    const now = Math.floor(Date.now() / 1000);
    const stats = await t.client.externalContactStatistics.groupChatStatistic({
      day_begin_time: now - 30 * DAY,
      day_end_time: now - DAY,
      owner_filter: { userid_list: [] },
      limit: 1000,
    });
    expect(stats.total).to.equal(1000);
    expect(stats.items.every((i) => i.data.chat_total === 3)).to.equal(true);
  });

  it('big: starts with a million customers, lists ~9,950 members with 客户联系 and a first page of zhangsan’s customers', async function () {
    this.timeout(60_000);
    const started = Date.now();
    t = await simClient({ preset: 'big' });
    console.log(`      big preset: started in ${((Date.now() - started) / 1000).toFixed(2)} s, rss ${Math.round(process.memoryUsage().rss / 2 ** 20)} MB`);
    expect(t.sim.corp.customerTotal()).to.equal(1_000_000);
    const follow = (await ec().getFollowUsers()).follow_user;
    expect(follow).to.have.length(9_950);
    const page = await ec().batchGetByUser(['zhangsan'], '', 100);
    expect(page.external_contact_list).to.have.length(100);
    expect(page.next_cursor).to.not.equal('');
  });
});
