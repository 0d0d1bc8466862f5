import { expect } from 'chai';
import fetch from 'node-fetch';
import { createSimulator, type Simulator } from '../../src/simulator/index.js';
import { startRecording, type RecordingRuntime } from '../helpers/runtime.js';

describe('simulator', () => {
  let sim: Simulator;
  afterEach(() => sim.close());

  it('generates the same demo corp from the same seed, and another from another seed', async () => {
    sim = await createSimulator({ members: 20, customers: 2000, seed: 1 });
    const other = await createSimulator({ members: 20, customers: 2000, seed: 1 });
    const third = await createSimulator({ members: 20, customers: 2000, seed: 2 });
    try {
      expect(sim.corp.customers.size).to.equal(2000);
      expect(sim.corp.members.size).to.equal(20);
      expect([...sim.corp.members.values()].filter((m) => m.status === 'resigned').map((m) => m.userid)).to.deep.equal(['zhouba']);
      expect([...other.corp.customers.keys()]).to.deep.equal([...sim.corp.customers.keys()]);
      expect(other.corp.customersOf('zhangsan').map((f) => f.remark)).to.deep.equal(sim.corp.customersOf('zhangsan').map((f) => f.remark));
      expect([...third.corp.customers.keys()][0]).not.to.equal([...sim.corp.customers.keys()][0]);
      expect(sim.corp.groupChats.size).to.be.greaterThan(20);
      const day = Math.floor(Date.now() / 1000) - 100 * 86400;
      expect(other.corp.behavior('lisi', day)).to.deep.equal(sim.corp.behavior('lisi', day));
    } finally {
      await other.close();
      await third.close();
    }
  });

  it('answers token problems with WeCom’s codes: 40013, 40001, 41001, 40014', async () => {
    sim = await createSimulator({ members: 3, customers: 5 });
    const get = async (path: string) => (await (await fetch(`${sim.url}/cgi-bin/${path}`)).json()) as { errcode: number; access_token?: string };
    expect((await get('gettoken?corpid=other&corpsecret=x')).errcode).to.equal(40013);
    expect((await get(`gettoken?corpid=${sim.corpId}&corpsecret=wrong`)).errcode).to.equal(40001);
    expect((await get('externalcontact/get_follow_user_list')).errcode).to.equal(41001);
    expect((await get('externalcontact/get_follow_user_list?access_token=forged')).errcode).to.equal(40014);
    const token = (await get(`gettoken?corpid=${sim.corpId}&corpsecret=${encodeURIComponent(sim.contactSecret)}`)).access_token!;
    expect((await get(`externalcontact/get_follow_user_list?access_token=${token}`)).errcode).to.equal(0);
    sim.expireTokens();
    expect((await get(`externalcontact/get_follow_user_list?access_token=${token}`)).errcode).to.equal(42001);
    const wrongMethod = await fetch(`${sim.url}/cgi-bin/externalcontact/list?access_token=${token}`, { method: 'POST', body: '{}' });
    expect(((await wrongMethod.json()) as { errcode: number }).errcode).to.equal(40058);
  });

  it('keeps transfers waiting until their delay is over', async () => {
    sim = await createSimulator({ members: 6, customers: 50, transferDelayMs: 60 });
    const id = sim.corp.customersOf('zhangsan')[0]?.external_userid ?? sim.corp.addCustomersTo('zhangsan', 1)[0]!;
    sim.corp.transfers.push({ kind: 'onjob', handover: 'zhangsan', takeover: 'lisi', external_userid: id, status: 2, createdAt: Date.now() });
    sim.corp.settleTransfers();
    expect(sim.corp.transfers[0]!.status).to.equal(2);
    await new Promise((r) => setTimeout(r, 80));
    sim.corp.settleTransfers();
    expect(sim.corp.transfers[0]!.status).to.equal(1);
    expect(sim.corp.followsByUser.get('lisi')!.has(id)).to.equal(true);
    expect(sim.corp.followsByUser.get('zhangsan')!.has(id)).to.equal(false);
  });

  describe('callbacks to the bot', () => {
    let bot: RecordingRuntime;
    beforeEach(async () => {
      sim = await createSimulator({ members: 6, customers: 50 });
      bot = await startRecording({ env: sim.botEnv() });
      sim.botUrl = bot.url;
    });
    afterEach(() => bot.stop());

    it('sends a member’s text with WeCom’s crypto, and its retries are handled once', async () => {
      const statuses = await sim.sendText('zhangsan', '/客户 「张 三」', 3);
      expect(statuses).to.deep.equal([200, 200, 200]);
      await bot.worker.onIdle();
      expect(bot.handled).to.have.length(1);
      expect(bot.handled[0]).to.include({ kind: 'text', fromUserName: 'zhangsan', content: '/客户 「张 三」' });
    });

    it('sends add_external_contact with a fresh welcome code valid for 20 s', async () => {
      const { externalUserId, welcomeCode, statuses } = await sim.addExternalContact('lisi', { state: 'expo' });
      expect(statuses).to.deep.equal([200]);
      await bot.worker.onIdle();
      expect(bot.handled[0]).to.include({
        kind: 'external_contact',
        changeType: 'add_external_contact',
        userId: 'lisi',
        externalUserId,
        welcomeCode,
        state: 'expo',
      });
      const code = sim.corp.welcomeCodes.get(welcomeCode!)!;
      expect(code.expiresAt - Date.now()).to.be.within(19_000, 20_000);
      expect(sim.corp.followsByUser.get('lisi')!.has(externalUserId)).to.equal(true);
    });

    it('sends a card click with a fresh response_code, and transfer_fail with its reason', async () => {
      await sim.clickCard('zhangsan', 'task-1', 'confirm');
      const id = sim.corp.customersOf('zhangsan')[0]!.external_userid;
      sim.corp.transfers.push({ kind: 'onjob', handover: 'zhangsan', takeover: 'lisi', external_userid: id, status: 2, createdAt: Date.now() + 1e9 });
      await sim.failTransfer(id, 'customer_refused');
      await bot.worker.onIdle();
      expect(bot.handled[0]).to.include({ kind: 'template_card', taskId: 'task-1', eventKey: 'confirm', fromUserName: 'zhangsan' });
      expect((bot.handled[0] as { responseCode?: string }).responseCode).to.match(/^RC/);
      expect(bot.handled[1]).to.include({ kind: 'external_contact', changeType: 'transfer_fail', externalUserId: id, failReason: 'customer_refused' });
    });
  });
});
