import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { errcodeOf } from '../wecom/errcode.js';
import { startRecording } from '../helpers/runtime.js';
import { simClient, type SimClient } from '../helpers/sim.js';
import { createWeComClient, WeComError } from '../../src/wecom/index.js';

/**
 * The simulator's rules that make it as strict as WeCom (or stricter where WeCom's docs leave a case open), one test
 * each; docs/wecom-conformance.md lists them with the WeCom document each comes from.
 */
describe('simulator conformance (docs/wecom-conformance.md)', () => {
  let t: SimClient;
  afterEach(() => t.close());
  const ec = () => t.client.externalContact;

  it('corp tags: an app edits and deletes only the tags it created (doc 92117), others answer 40068', async () => {
    t = await simClient();
    const seeded = t.sim.corp.tagGroups[0]!.tag[0]!;
    expect(await errcodeOf(ec().updateCorpTag(seeded.id, '改名'))).to.equal(40068);
    expect(await errcodeOf(ec().deleteCorpTag([seeded.id], []))).to.equal(40068);
    const created = await ec().addCorpTag({ group_name: '机器人', tag: [{ name: '新标签' }] });
    const own = created.tag_group.tag[0]!.id;
    expect(await errcodeOf(ec().updateCorpTag(own, '改过'))).to.equal(0);
    expect(await errcodeOf(ec().deleteCorpTag([own], []))).to.equal(0);
  });

  it('get_moment_list: at most 20 a page (copies of doc 93333 disagree, 20 is taken), and no creator for moments published through the API', async () => {
    t = await simClient();
    await t.client.externalContactMoment.createTask({ text: { content: '企业发表' } });
    const now = Math.floor(Date.now() / 1000);
    const span = { start_time: now - 29 * 86400, end_time: now + 60 };
    expect(await errcodeOf(t.client.externalContactMoment.list({ ...span, limit: 100 }))).to.equal(40058);
    const page = await t.client.externalContactMoment.list({ ...span, limit: 20 });
    expect(page.moment_list.length).to.be.at.most(20);
    const published = page.moment_list.find((m) => m.create_type === 0);
    expect(published, 'the moment the app published').to.not.equal(undefined);
    expect(published).not.to.have.property('creator');
  });

  it('group-chat statistics cover days up to yesterday (doc 92133): a range reaching today is refused', async () => {
    t = await simClient();
    const today = Math.floor(Date.now() / 1000);
    const s = t.client.externalContactStatistics;
    expect(await errcodeOf(s.groupChatStatisticGroupByDay(today - 3 * 86400, today, ['zhangsan']))).to.equal(40058);
    expect(await errcodeOf(s.groupChatStatisticGroupByDay(today - 3 * 86400, today - 86400, ['zhangsan']))).to.equal(0);
  });

  it('add_half_external_contact carries a WelcomeCode (doc 92130) usable once with send_welcome_msg', async () => {
    t = await simClient();
    const bot = await startRecording({ env: t.sim.botEnv() });
    try {
      t.sim.botUrl = bot.url;
      const { welcomeCode } = await t.sim.addExternalContact('lisi', { half: true });
      await bot.worker.onIdle();
      expect(bot.handled[0]).to.include({ kind: 'external_contact', changeType: 'add_half_external_contact', welcomeCode });
      expect(await errcodeOf(t.client.externalContactMessage.sendWelcome(welcomeCode!, { text: { content: '你好' } }))).to.equal(0);
      expect(await errcodeOf(t.client.externalContactMessage.sendWelcome(welcomeCode!, { text: { content: '你好' } }))).to.equal(41051);
    } finally {
      await bot.stop();
    }
  });

  it('a per-minute limit blocks the API for the whole window (doc 90454): add_moment_task takes 10 a minute', async () => {
    t = await simClient({}, { frequencyWindowMs: 20 });
    for (let i = 0; i < 10; i++) await t.client.externalContactMoment.createTask({ text: { content: `第${i + 1}条` } });
    // The client comes back after 20 ms: still inside WeCom's minute, so refused again, and it gives up.
    expect(await errcodeOf(t.client.externalContactMoment.createTask({ text: { content: '第11条' } }))).to.equal(45009);
    expect(
      t.sim
        .calls('externalcontact/add_moment_task')
        .map((c) => c.errcode)
        .slice(-2),
    ).to.deep.equal([45009, 45009]);
  });
});

describe('simulator conformance: the admin console’s setup of the app (docs/wecom-conformance.md)', () => {
  let t: SimClient;
  afterEach(() => t.close());

  it('the visible range: a member outside it is not in the contacts, not in get_follow_user_list, not readable (60011) and not messageable', async () => {
    t = await simClient({ corpId: 'wwrange0000000001' });
    t.sim.corp.app.visibleUsers = ['zhangsan'];
    t.sim.corp.app.visibleDepartments = [2];
    const lisi = t.sim.corp.members.get('lisi')!;
    expect(lisi.department, 'lisi is in department 2').to.deep.equal([2]);
    const inRange = new Set([
      'zhangsan',
      ...[...t.sim.corp.members.values()].filter((m) => m.department.includes(2) && m.status === 'active').map((m) => m.userid),
    ]);
    expect((await t.client.externalContact.getFollowUsers()).follow_user.sort()).to.deep.equal([...inRange].sort());
    expect(await errcodeOf(t.client.contacts.member('wangwu'))).to.equal(60011);
    expect(await errcodeOf(t.client.contacts.member('nobody'))).to.equal(60111);
    expect((await t.client.contacts.member('zhangsan')).name).to.equal('张三');
    expect(await errcodeOf(t.client.contacts.members(3))).to.equal(60011);
    expect((await t.client.contacts.members(2)).userlist.map((m) => m.userid)).to.include('lisi');
    const agent = await t.client.app.get();
    expect(agent.allow_userinfos?.user).to.deep.equal([{ userid: 'zhangsan' }]);
    expect(agent.allow_partys?.partyid).to.deep.equal([2]);
    const sent = await t.client.message.send({ touser: 'zhangsan|wangwu', msgtype: 'text', text: { content: 'hi' } });
    expect(sent.invaliduser).to.equal('wangwu');
  });

  it('a member without 客户联系 is not in get_follow_user_list; leaders are marked in is_leader_in_dept', async () => {
    t = await simClient();
    t.sim.corp.members.get('wangwu')!.customerContact = false;
    expect((await t.client.externalContact.getFollowUsers()).follow_user).not.to.include('wangwu');
    expect((await t.client.contacts.member('lisi')).is_leader_in_dept).to.deep.equal([1]);
    expect((await t.client.contacts.member('wujiu')).is_leader_in_dept).to.deep.equal([0]);
  });

  it('an app not in 可调用接口的应用 gets 48002 on externalcontact/*, and so does the 客户联系 system secret in a corp created after 2023-12-01', async () => {
    t = await simClient();
    const own = createWeComClient({ ...t.sim.wecomConfig(), contactSecret: t.sim.agentSecret });
    try {
      t.sim.corp.app.inContactApi = false;
      expect(await errcodeOf(own.externalContact.getFollowUsers())).to.equal(48002);
      expect(await errcodeOf(own.app.get()), 'the app’s own APIs still answer').to.equal(0);
      expect(await errcodeOf(t.client.externalContact.getFollowUsers()), 'the system secret still may').to.equal(0);
      t.sim.corp.app.systemSecretRefused = true;
      expect(await errcodeOf(t.client.externalContact.getFollowUsers())).to.equal(48002);
    } finally {
      await own.close();
    }
  });

  it('a secret used from an IP outside its 企业可信IP gets 60020 on every API but gettoken, with the IP in errmsg', async () => {
    t = await simClient();
    t.sim.corp.app.trustedIp.agent = false;
    const err = await t.client.message.send({ touser: 'zhangsan', msgtype: 'text', text: { content: 'hi' } }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(WeComError);
    expect((err as WeComError).errcode).to.equal(60020);
    expect((err as WeComError).errmsg).to.match(/from ip: 127\.0\.0\.1/);
    expect((err as WeComError).message, 'the whole errmsg is kept').to.contain('from ip: 127.0.0.1');
    expect(t.sim.calls('gettoken').at(-1)!.errcode).to.equal(0);
    expect(await errcodeOf(t.client.externalContact.getFollowUsers()), 'the other secret is trusted').to.equal(0);
  });
});

describe('simulator conformance: who may take over, and what follows a transfer (docs/wecom-conformance.md)', () => {
  let t: SimClient;
  afterEach(() => t.close());
  const transfer = (from: string, to: string, ids: string[]) =>
    t.client.externalContact.transferCustomer({ handover_userid: from, takeover_userid: to, external_userid: ids });

  it('takeover eligibility: outside the range 60011, without 客户联系 84074, not activated or verified 40098 and no room 40099 per customer', async () => {
    t = await simClient();
    const ids = t.sim.corp.customersOf('wangwu').map((f) => f.external_userid);
    t.sim.corp.app.visibleUsers = ['zhangsan'];
    t.sim.corp.app.visibleDepartments = [3];
    expect(await errcodeOf(transfer('wangwu', 'lisi', [ids[0]!]))).to.equal(60011);
    t.sim.corp.app.visibleUsers = undefined;
    t.sim.corp.app.visibleDepartments = undefined;
    t.sim.corp.members.get('lisi')!.customerContact = false;
    expect(await errcodeOf(transfer('wangwu', 'lisi', [ids[0]!]))).to.equal(84074);
    t.sim.corp.members.get('lisi')!.customerContact = true;
    t.sim.corp.members.get('lisi')!.verified = false;
    expect((await transfer('wangwu', 'lisi', [ids[0]!])).customer[0]!.errcode).to.equal(40098);
    t.sim.corp.members.get('lisi')!.verified = true;
    t.sim.corp.members.get('lisi')!.customerLimit = t.sim.corp.customerCount('lisi') + 1;
    expect((await transfer('wangwu', 'lisi', [ids[0]!, ids[1]!])).customer.map((c) => c.errcode)).to.deep.equal([0, 40099]);
  });

  it('per customer: not the handover’s customer 40131; waiting in a transfer 40129, or in another member’s 40100', async () => {
    t = await simClient();
    const mine = t.sim.corp.customersOf('wangwu')[0]!.external_userid;
    const theirs = t.sim.corp.customersOf('lisi')[0]!.external_userid;
    expect((await transfer('wangwu', 'zhaoliu', [theirs])).customer[0]!.errcode).to.equal(40131);
    expect((await transfer('wangwu', 'zhaoliu', [mine])).customer[0]!.errcode).to.equal(0);
    expect((await transfer('wangwu', 'zhaoliu', [mine])).customer[0]!.errcode).to.equal(40129);
    // The same customer followed by a second member, who tries to hand them over too.
    t.sim.corp.addFollow({ ...t.sim.corp.follow('wangwu', mine), userid: 'sunqi' });
    expect((await transfer('sunqi', 'zhaoliu', [mine])).customer[0]!.errcode).to.equal(40100);
  });

  it('a resigned member’s customers may be handed over for a year after they left: then 40131, and get_unassigned_list no longer lists them', async () => {
    t = await simClient();
    const resigned = [...t.sim.corp.members.values()].find((m) => m.status === 'resigned')!;
    const id = t.sim.corp.customersOf(resigned.userid)[0]!.external_userid;
    expect((await t.client.externalContact.getUnassigned()).info.some((i) => i.handover_userid === resigned.userid)).to.equal(true);
    resigned.dimissionTime = Math.floor(Date.now() / 1000) - 366 * 86400;
    expect((await t.client.externalContact.getUnassigned()).info.some((i) => i.handover_userid === resigned.userid)).to.equal(false);
    const res = await t.client.externalContact.resignedTransferCustomer({ handover_userid: resigned.userid, takeover_userid: 'lisi', external_userid: [id] });
    expect(res.customer[0]!.errcode).to.equal(40131);
  });

  it('when 24 hours are up: taken over (status 1) with add_external_contact and del_external_contact DELETE_BY_TRANSFER, refused (3) or full (4) with transfer_fail', async () => {
    t = await simClient();
    const bot = await startRecording({ env: t.sim.botEnv() });
    try {
      t.sim.botUrl = bot.url;
      const [a, b, c] = t.sim.corp.customersOf('wangwu').map((f) => f.external_userid);
      t.sim.corp.refusing.add(b!);
      await transfer('wangwu', 'zhaoliu', [a!, b!]);
      await transfer('wangwu', 'lisi', [c!]);
      t.sim.corp.members.get('lisi')!.customerLimit = t.sim.corp.customerCount('lisi');
      t.sim.clock.advance(24 * 3600_000 + 1000);
      await t.sim.eventsSent();
      await bot.worker.onIdle();
      const status = (id: string) => t.sim.corp.transfers.find((x) => x.external_userid === id)!.status;
      expect([status(a!), status(b!), status(c!)]).to.deep.equal([1, 3, 4]);
      const events = bot.handled.map(
        (e) => e as { changeType?: string; userId?: string; externalUserId?: string; source?: string; failReason?: string; welcomeCode?: string },
      );
      const added = events.filter((e) => e.changeType === 'add_external_contact');
      expect(added.map((e) => [e.userId, e.externalUserId, e.welcomeCode])).to.deep.equal([['zhaoliu', a, undefined]]);
      const deleted = events.filter((e) => e.changeType === 'del_external_contact');
      expect(deleted.map((e) => [e.userId, e.externalUserId, e.source])).to.deep.equal([['wangwu', a, 'DELETE_BY_TRANSFER']]);
      expect(events.filter((e) => e.changeType === 'transfer_fail').map((e) => [e.externalUserId, e.failReason])).to.deep.equal([
        [b, 'customer_refused'],
        [c, 'customer_limit_exceed'],
      ]);
    } finally {
      await bot.stop();
    }
  });
});

describe('simulator conformance: group chats change owner within WeCom’s limits (docs/wecom-conformance.md)', () => {
  let t: SimClient;
  afterEach(() => t.close());
  const chatsOf = (owner: string) => [...t.sim.corp.groupChats.values()].filter((c) => c.owner === owner && c.external);

  it('in service: a chat changes owner at most twice in 90 days (40128), never to its owner (90504); the new owner must be in range (60011) with 客户联系 (84074)', async () => {
    t = await simClient();
    const chat = chatsOf('wangwu')[0]!;
    const move = (to: string) => t.client.externalContact.onjobTransferGroupChat([chat.chat_id], to);
    expect((await move('lisi')).failed_chat_list).to.deep.equal([]);
    expect((await move('zhaoliu')).failed_chat_list).to.deep.equal([]);
    expect((await move('lisi')).failed_chat_list.map((f) => f.errcode)).to.deep.equal([40128]);
    expect((await move('zhaoliu')).failed_chat_list.map((f) => f.errcode)).to.deep.equal([90504]);
    t.sim.corp.members.get('sunqi')!.customerContact = false;
    expect(await errcodeOf(t.client.externalContact.onjobTransferGroupChat([chatsOf('lisi')[0]!.chat_id], 'sunqi'))).to.equal(84074);
    t.sim.corp.app.visibleUsers = ['zhangsan'];
    t.sim.corp.app.visibleDepartments = [];
    expect(await errcodeOf(t.client.externalContact.onjobTransferGroupChat([chatsOf('lisi')[0]!.chat_id], 'wangwu'))).to.equal(60011);
  });

  it('one new owner takes at most 300 chats a day (45009 for the rest), and a resigned owner’s chat is handed over once (90508)', async () => {
    t = await simClient();
    const template = chatsOf('wangwu')[0]!;
    for (let i = 0; i < 301; i++) t.sim.corp.groupChats.set(`wrMANY${i}`, { ...template, chat_id: `wrMANY${i}`, members: [], transfers: [] });
    const ids = Array.from({ length: 301 }, (_, i) => `wrMANY${i}`);
    const failed: number[] = [];
    for (let i = 0; i < ids.length; i += 100) {
      failed.push(...(await t.client.externalContact.onjobTransferGroupChat(ids.slice(i, i + 100), 'lisi')).failed_chat_list.map((f) => f.errcode));
    }
    expect(failed).to.deep.equal([45009]);
    t.sim.corp.resign('zhaoliu');
    const resigned = chatsOf('zhaoliu')[0]!;
    expect(resigned.status).to.equal(1);
    expect((await t.client.externalContact.transferGroupChat([resigned.chat_id], 'zhangsan')).failed_chat_list).to.deep.equal([]);
    expect((await t.client.externalContact.transferGroupChat([resigned.chat_id], 'wangwu')).failed_chat_list.map((f) => f.errcode)).to.deep.equal([90508]);
  });
});

describe('simulator conformance: mass messages and moments wait for a person (docs/wecom-conformance.md)', () => {
  let t: SimClient;
  afterEach(() => t.close());
  const m = () => t.client.externalContactMessage;

  it('a mass message: 41063 while WeCom dispatches it, nothing delivered until its sender confirms, then the month’s quota per customer', async () => {
    t = await simClient();
    const ids = t.sim.corp
      .customersOf('zhangsan')
      .slice(0, 2)
      .map((f) => f.external_userid);
    t.sim.corp.massMessagesPerCustomerPerMonth = 2;
    const send = async () => (await m().submit({ external_userid: ids, sender: 'zhangsan', text: { content: '活动' } })).msgid;
    const first = await send();
    expect(await errcodeOf(m().getGroupmsgSendResult(first, 'zhangsan'))).to.equal(41063);
    t.sim.clock.advance(5000);
    expect((await m().getGroupmsgSendResult(first, 'zhangsan')).send_list.map((s) => s.status)).to.deep.equal([0, 0]);
    t.sim.corp.confirmMassMessage(first, 'zhangsan');
    expect((await m().getGroupmsgSendResult(first, 'zhangsan')).send_list.map((s) => s.status)).to.deep.equal([1, 1]);
    // The next day, a second one goes through; a third in the same month is over the quota (status 3).
    for (const expected of [1, 3]) {
      t.sim.clock.advance(86400_000);
      const msgid = await send();
      t.sim.corp.confirmMassMessage(msgid, 'zhangsan');
      t.sim.clock.advance(5000);
      expect((await m().getGroupmsgSendResult(msgid, 'zhangsan')).send_list.map((s) => s.status)).to.deep.equal([expected, expected]);
    }
  });

  it('a moment the corp creates: each member publishes it by hand; until then 41062, and 41061 for a member it was not given to', async () => {
    t = await simClient({ momentJobDelayMs: 10 });
    const mo = t.client.externalContactMoment;
    const { jobid } = await mo.createTask({ text: { content: '新品' }, visible_range: { sender_list: { user_list: ['zhangsan', 'lisi'] } } });
    await new Promise((r) => setTimeout(r, 30));
    const momentId = (await mo.getTask(jobid)).result!.moment_id!;
    expect((await mo.getTasks(momentId)).task_list.map((task) => task.publish_status)).to.deep.equal([0, 0]);
    expect(await errcodeOf(mo.getSendResult(momentId, 'zhangsan'))).to.equal(41062);
    expect(await errcodeOf(mo.getCustomers(momentId, 'wangwu'))).to.equal(41061);
    t.sim.corp.publishMoment(momentId, 'zhangsan');
    expect(await errcodeOf(mo.getSendResult(momentId, 'zhangsan'))).to.equal(0);
    expect(await errcodeOf(mo.getComments(momentId, 'lisi'))).to.equal(41062);
  });
});

describe('simulator conformance: who gets a new customer’s welcome code (docs/wecom-conformance.md)', () => {
  let t: SimClient;
  afterEach(() => t.close());

  it('the console’s own welcome takes the code; with 会话存档 the code answers 41053 until msg_audit_approved brings one; another app may use it first (41051)', async () => {
    t = await simClient();
    const bot = await startRecording({ env: t.sim.botEnv() });
    try {
      t.sim.botUrl = bot.url;
      const send = (code: string) => t.client.externalContactMessage.sendWelcome(code, { text: { content: '您好' } });
      t.sim.corp.welcome.consoleWelcome = true;
      expect((await t.sim.addExternalContact('lisi')).welcomeCode).to.equal(undefined);
      t.sim.corp.welcome.consoleWelcome = false;
      t.sim.corp.welcome.archiveConsent = true;
      const { welcomeCode, externalUserId } = await t.sim.addExternalContact('lisi');
      expect(await errcodeOf(send(welcomeCode!))).to.equal(41053);
      const approved = await t.sim.approveArchive('lisi', externalUserId);
      await bot.worker.onIdle();
      expect(bot.handled.map((e) => (e as { changeType?: string }).changeType)).to.include('msg_audit_approved');
      expect(await errcodeOf(send(approved.welcomeCode))).to.equal(0);
      t.sim.corp.welcome.archiveConsent = false;
      t.sim.corp.welcome.otherAppFirst = true;
      expect(await errcodeOf(send((await t.sim.addExternalContact('lisi')).welcomeCode!))).to.equal(41051);
    } finally {
      await bot.stop();
    }
  });
});

describe('simulator conformance: smaller rules (docs/wecom-conformance.md)', () => {
  let t: SimClient;
  afterEach(() => t.close());
  const ec = () => t.client.externalContact;

  it('tags: a name repeated in one add_corp_tag is one tag, not 40071; the corp’s tag cap answers 40126', async () => {
    t = await simClient();
    const created = await ec().addCorpTag({ group_name: '活动', tag: [{ name: '春季' }, { name: '春季' }, { name: '夏季' }] });
    expect(created.tag_group.tag.map((tag) => tag.name)).to.deep.equal(['春季', '夏季']);
    t.sim.corp.tagCap = t.sim.corp.tagIndex().size;
    expect(await errcodeOf(ec().addCorpTag({ group_name: '活动', tag: [{ name: '秋季' }] }))).to.equal(40126);
  });

  it('「联系我」: the API’s quota answers 41045, and a temporary-session way takes one member only', async () => {
    t = await simClient();
    const cw = t.client.contactWay;
    expect(await errcodeOf(cw.create(2, 2, { user: ['zhangsan', 'lisi'], is_temp: true, expires_in: 3600 }))).to.equal(40058);
    expect(await errcodeOf(cw.create(1, 2, { user: ['zhangsan'], is_temp: true, expires_in: 3600 }))).to.equal(0);
    t.sim.corp.contactWayQuota = t.sim.corp.contactWays.size;
    expect(await errcodeOf(cw.create(1, 2, { user: ['zhangsan'] }))).to.equal(41045);
  });

  it('groupchat/statistic order_by 3 sorts by new members and 4 by all members; get_unassigned_list pages by cursor only', async () => {
    t = await simClient();
    const day = Math.floor(Date.now() / 1000) - 3 * 86400;
    const owners = ['zhangsan', 'lisi', 'wangwu', 'zhaoliu'];
    const by = async (order_by: 3 | 4) =>
      (
        await t.client.externalContactStatistics.groupChatStatistic({
          day_begin_time: day,
          owner_filter: { userid_list: owners },
          order_by,
          order_asc: 0,
          limit: 10,
        })
      ).items;
    const newMembers = (await by(3)).map((i) => i.data.new_member_cnt ?? 0);
    const members = (await by(4)).map((i) => i.data.member_total ?? 0);
    expect(newMembers).to.deep.equal([...newMembers].sort((a, b) => b - a));
    expect(members).to.deep.equal([...members].sort((a, b) => b - a));
    expect(await errcodeOf(ec().getUnassigned(1, 10))).to.equal(40058);
  });

  it('a template card’s response_code is single-use and lives 72 hours; a member gets at most 1,000 app messages an hour', async () => {
    t = await simClient({ messagesPerMemberPerHour: 3 });
    const card = {
      card_type: 'button_interaction' as const,
      main_title: { title: '确认' },
      task_id: 'cf_T72H_0001',
      button_list: [{ text: '确认', key: 'confirm' }],
    };
    const sent = await t.client.message.send({ touser: 'zhangsan', msgtype: 'template_card', template_card: card });
    t.sim.clock.advance(72 * 3600_000 + 1000);
    expect(
      await errcodeOf(t.client.message.updateTemplateCard({ userids: ['zhangsan'], response_code: sent.response_code!, button: { replace_name: '已确认' } })),
    ).to.equal(40058);
    for (let i = 0; i < 4; i++) await t.client.message.send({ touser: 'lisi', msgtype: 'text', text: { content: `第${i}条` } });
    expect(t.sim.captures.messages.filter((m) => m.touser.includes('lisi')).map((m) => m.dropped)).to.deep.equal([false, false, false, true]);
  });
});

describe('docs/wecom-conformance.md', () => {
  it('is documented: every test docs/wecom-conformance.md names exists, under the title it quotes', () => {
    const root = new URL('../../', import.meta.url);
    const doc = readFileSync(new URL('docs/wecom-conformance.md', root), 'utf8');
    const plain = (text: string) => text.replace(/[’']/g, "'");
    const refs = [...doc.matchAll(/`(test\/[^`]+\.test\.ts)`((?: "[^"]+",?)*)/g)];
    expect(refs.length).to.be.greaterThan(15);
    for (const [, file, titles] of refs) {
      expect(existsSync(new URL(file!, root)), file).to.equal(true);
      const source = plain(readFileSync(new URL(file!, root), 'utf8'));
      for (const [, title] of titles!.matchAll(/"([^"]+)"/g)) {
        expect(source, `${file}: ${title}`).to.contain(plain(title!.replace(/\s*…$/, '')));
      }
    }
  });
});
