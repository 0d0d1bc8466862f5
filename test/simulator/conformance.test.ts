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
