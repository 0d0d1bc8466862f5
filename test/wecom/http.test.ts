import { expect } from 'chai';
import { errcodeOf } from './errcode.js';
import { WeComConfigError, WeComError, WeComTransportError, createWeComClient } from '../../src/wecom/index.js';
import { simClient, type SimClient } from '../helpers/sim.js';

describe('client: tokens, retries, timeouts', () => {
  let t: SimClient;
  afterEach(() => t.close());

  it('50 concurrent calls with a cold cache make exactly one gettoken', async () => {
    t = await simClient();
    const results = await Promise.all(Array.from({ length: 50 }, () => t.client.externalContact.getFollowUsers()));
    expect(results.every((r) => r.follow_user.length > 0)).to.equal(true);
    expect(t.sim.calls('gettoken')).to.have.length(1);
    expect(t.client.http.tokens.fetches).to.equal(1);
  });

  it('uses one token per secret: the app secret for messages, the contact secret for customer contact', async () => {
    t = await simClient();
    await t.client.externalContact.getFollowUsers();
    await t.client.message.send({ touser: 'zhangsan', msgtype: 'text', text: { content: 'x' } });
    await t.client.externalContact.getFollowUsers();
    expect(t.sim.calls('gettoken')).to.have.length(2);
  });

  it('an expired token mid-run costs exactly one refetch, shared by concurrent callers', async () => {
    t = await simClient();
    await t.client.externalContact.getFollowUsers();
    t.sim.expireTokens();
    const results = await Promise.all(Array.from({ length: 20 }, () => t.client.externalContact.list('zhangsan')));
    expect(results.every((r) => r.external_userid.length > 0)).to.equal(true);
    expect(t.sim.calls('gettoken')).to.have.length(2);
  });

  it('a 45009 burst on reads recovers with backoff', async () => {
    t = await simClient({}, { backoffBaseMs: 20 });
    await t.client.externalContact.getFollowUsers();
    t.sim.faults = { errcodeRates: { 45009: 1 } };
    // The burst ends once every first attempt has been refused.
    const watch = setInterval(() => {
      if (t.sim.calls('externalcontact/list').length >= 20) t.sim.faults = {};
    }, 1);
    const results = await Promise.all(Array.from({ length: 20 }, () => t.client.externalContact.list('zhangsan')));
    clearInterval(watch);
    expect(results.every((r) => r.external_userid.length > 0)).to.equal(true);
    expect(t.sim.calls('externalcontact/list').length).to.be.at.least(40);
  });

  it('meets a per-minute limit (45009) by waiting out the block once, never retrying inside it', async () => {
    // WeCom blocks an API for its window once the limit is passed: here 2 calls a 300 ms window.
    t = await simClient({ minuteLimits: { 'externalcontact/mark_tag': 2 }, rateWindowMs: 300 }, { frequencyWindowMs: 320 });
    const id = t.sim.corp.customersOf('zhangsan')[0]!.external_userid;
    const tag = t.sim.corp.tagGroups[0]!.tag[0]!.id;
    const mark = () => t.client.externalContact.markTags({ userid: 'zhangsan', external_userid: id, add_tag: [tag] });
    await mark();
    await mark();
    await mark(); // refused, then sent again once the block is over
    const calls = t.sim.calls('externalcontact/mark_tag');
    expect(calls.map((c) => c.errcode)).to.deep.equal([0, 0, 45009, 0]);
    expect(calls[3]!.at - calls[2]!.at).to.be.at.least(300);
    // A client that would come back too early is refused again, and then gives up instead of looping.
    const impatient = await simClient({ minuteLimits: { 'externalcontact/mark_tag': 1 }, rateWindowMs: 2000 }, { frequencyWindowMs: 50 });
    try {
      const first = impatient.sim.corp.customersOf('zhangsan')[0]!.external_userid;
      const mk = () => impatient.client.externalContact.markTags({ userid: 'zhangsan', external_userid: first, add_tag: [tag] });
      await mk();
      expect(await errcodeOf(mk())).to.equal(45009);
      expect(impatient.sim.calls('externalcontact/mark_tag').map((c) => c.errcode)).to.deep.equal([0, 45009, 45009]);
    } finally {
      await impatient.close();
    }
  });

  it('reads survive HTTP 500s and dropped connections', async () => {
    t = await simClient({}, { retries: 6 });
    t.sim.faults = { http500Rate: 0.15, dropRate: 0.1 };
    const results = await Promise.all(Array.from({ length: 10 }, () => t.client.externalContact.getCorpTags()));
    expect(results.every((r) => r.tag_group.length === 3)).to.equal(true);
  });

  it('gives up on a read after its bounded retries with a transport error', async () => {
    t = await simClient({}, { retries: 2 });
    t.sim.faults = { http500Rate: 1 };
    let error: unknown;
    try {
      await t.client.externalContact.getCorpTags();
    } catch (err) {
      error = err;
    }
    expect(error).to.be.instanceOf(WeComTransportError);
    expect(t.sim.calls('externalcontact/get_corp_tag_list')).to.have.length(3);
  });

  it('a write that times out is not sent twice, and says it may have been applied', async () => {
    t = await simClient({}, { timeoutMs: 100 });
    await t.client.externalContact.getFollowUsers(); // token first
    t.sim.faults = { latencyMs: 300, paths: /transfer_customer/ };
    const id = t.sim.corp.customersOf('zhangsan')[0]!.external_userid;
    let error: unknown;
    try {
      await t.client.externalContact.transferCustomer({ external_userid: [id], handover_userid: 'zhangsan', takeover_userid: 'lisi' });
    } catch (err) {
      error = err;
    }
    expect(error).to.be.instanceOf(WeComTransportError);
    expect((error as WeComTransportError).maybeApplied).to.equal(true);
    await new Promise((r) => setTimeout(r, 350));
    expect(t.sim.calls('externalcontact/transfer_customer')).to.have.length(1);
  });

  it('a write refused with 45009 (not executed) is retried; one answered -1 is not', async () => {
    // The first retry waits at least 100 ms, well after the refusals stop at 20 ms (with 5 ms backoffs, all four
    // attempts could fall inside those 20 ms on a busy machine).
    t = await simClient({}, { backoffBaseMs: 200 });
    await t.client.externalContact.getFollowUsers();
    t.sim.faults = { errcodeRates: { 45009: 1 }, paths: /mark_tag/ };
    const id = t.sim.corp.customersOf('zhangsan')[0]!.external_userid;
    const tag = t.sim.corp.tagGroups[0]!.tag[0]!.id;
    const attempt = t.client.externalContact.markTags({ userid: 'zhangsan', external_userid: id, add_tag: [tag] });
    setTimeout(() => (t.sim.faults = {}), 20);
    await attempt;
    expect(t.sim.calls('externalcontact/mark_tag').length).to.be.greaterThan(1);
    t.sim.faults = { errcodeRates: { [-1]: 1 }, paths: /mark_tag/ };
    const before = t.sim.calls('externalcontact/mark_tag').length;
    let error: unknown;
    try {
      await t.client.externalContact.markTags({ userid: 'zhangsan', external_userid: id, add_tag: [tag] });
    } catch (err) {
      error = err;
    }
    expect(error).to.be.instanceOf(WeComError).with.property('errcode', -1);
    expect(t.sim.calls('externalcontact/mark_tag').length).to.equal(before + 1);
  });

  it('a wrong secret is a configuration error, not retried in a loop', async () => {
    t = await simClient();
    const wrong = createWeComClient({ ...t.sim.wecomConfig(), agentSecret: 'wrong', contactSecret: 'wrong' });
    for (let i = 0; i < 3; i++) {
      let error: unknown;
      try {
        await wrong.externalContact.getFollowUsers();
      } catch (err) {
        error = err;
      }
      expect(error).to.be.instanceOf(WeComConfigError);
      expect((error as Error).message)
        .to.match(/40001/)
        .and.not.to.contain('wrong');
    }
    expect(t.sim.calls('gettoken')).to.have.length(1);
    await wrong.close();
  });

  it('reports faults no retry cures (onFault): a refused secret at once, a token refused after its refresh only when three different fresh tokens are', async () => {
    const faults: { errcode: number; path: string; secret: string }[] = [];
    // Tokens that WeCom expires the moment it issues them: every refresh is refused again.
    t = await simClient({ tokenTtlSeconds: 0 }, { onFault: (f) => faults.push(f), retries: 0 });
    expect(await errcodeOf(t.client.externalContact.getFollowUsers())).to.equal(42001);
    expect(await errcodeOf(t.client.externalContact.getFollowUsers())).to.equal(42001);
    expect(faults, 'twice can be a race with WeCom expiring tokens').to.have.length(0);
    expect(await errcodeOf(t.client.externalContact.getFollowUsers())).to.equal(42001);
    expect(faults).to.have.length(1);
    expect(faults[0]).to.include({ errcode: 42001, secret: 'contact', path: 'cgi-bin/externalcontact/get_follow_user_list' });
    await t.close();

    faults.length = 0;
    t = await simClient({}, { onFault: (f) => faults.push(f) });
    await t.client.externalContact.getFollowUsers();
    t.sim.expireTokens();
    await t.client.externalContact.getFollowUsers();
    expect(faults, 'an expired token, refreshed: no fault').to.have.length(0);
    t.sim.rotateSecret('contact');
    await errcodeOf(t.client.externalContact.getFollowUsers()).catch(() => undefined);
    expect(faults.map((f) => [f.errcode, f.path, f.secret])).to.deep.equal([[40001, 'cgi-bin/gettoken', 'contact']]);
  });

  it('WeComError carries errcode and endpoint, never the token', async () => {
    t = await simClient();
    let error: unknown;
    try {
      await t.client.externalContact.get('wmNOPE');
    } catch (err) {
      error = err;
    }
    expect(error).to.be.instanceOf(WeComError);
    const e = error as WeComError;
    expect(e.errcode).to.equal(40096);
    expect(e.endpoint).to.equal('cgi-bin/externalcontact/get');
    expect(e.message).not.to.match(/access_token=/);
  });
});
