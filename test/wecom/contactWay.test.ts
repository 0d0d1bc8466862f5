import { expect } from 'chai';
import { lastCall, simClient, type SimClient } from '../helpers/sim.js';
import { errcodeOf } from './errcode.js';

describe('client: contactWay against the simulator', () => {
  let t: SimClient;
  beforeEach(async () => {
    t = await simClient();
  });
  afterEach(() => t.close());

  it('create (seed example shape), get, update, list and delete a 「联系我」 way', async () => {
    const cw = t.client.contactWay;
    const created = await cw.create(2, 2, { style: 1, remark: '渠道客户', skip_verify: true, state: 'teststate', user: ['zhangsan', 'lisi'] });
    expect(lastCall(t.sim, 'externalcontact/add_contact_way').body).to.deep.equal({
      type: 2,
      scene: 2,
      style: 1,
      remark: '渠道客户',
      skip_verify: true,
      state: 'teststate',
      user: ['zhangsan', 'lisi'],
    });
    expect(created.config_id).to.match(/^[0-9a-z]{32}$/);
    expect(created.qr_code).to.match(/^https:\/\//);

    const got = await cw.get(created.config_id);
    expect(lastCall(t.sim, 'externalcontact/get_contact_way').body).to.deep.equal({ config_id: created.config_id });
    expect(got.contact_way).to.include({ config_id: created.config_id, type: 2, scene: 2, state: 'teststate', remark: '渠道客户' });

    await cw.update(created.config_id, { remark: '渠道客户2', state: 'teststate2', user: ['wangwu'] });
    expect(lastCall(t.sim, 'externalcontact/update_contact_way').body).to.deep.equal({
      config_id: created.config_id,
      remark: '渠道客户2',
      state: 'teststate2',
      user: ['wangwu'],
    });
    expect((await cw.get(created.config_id)).contact_way.user).to.deep.equal(['wangwu']);

    const listed = await cw.list('', 100);
    expect(lastCall(t.sim, 'externalcontact/list_contact_way').body).to.deep.equal({ cursor: '', limit: 100 });
    expect(listed.contact_way.map((w) => w.config_id)).to.include(created.config_id);

    await cw.delete(created.config_id);
    expect(lastCall(t.sim, 'externalcontact/del_contact_way').body).to.deep.equal({ config_id: created.config_id });
    expect(await errcodeOf(cw.get(created.config_id))).to.equal(41044);
  });

  it('answers the documented errcodes for bad ways', async () => {
    const cw = t.client.contactWay;
    expect(await errcodeOf(cw.create(3 as 1, 1, { user: ['zhangsan'] }))).to.equal(41039);
    expect(await errcodeOf(cw.create(1, 1, { user: ['zhangsan', 'lisi'] }))).to.equal(41041);
    expect(await errcodeOf(cw.create(1, 1, { user: ['zhangsan'], state: 's'.repeat(31) }))).to.equal(40058);
    expect(await errcodeOf(cw.get(''))).to.equal(41043);
    expect(await errcodeOf(cw.list('', 1001))).to.equal(40058);
  });

  it('iterate walks every page of list_contact_way', async () => {
    for (let i = 0; i < 5; i++) await t.client.contactWay.create(1, 2, { user: ['zhangsan'], state: `s${i}` });
    const ids: string[] = [];
    for await (const page of t.client.contactWay.iterate(2)) ids.push(...page.contact_way.map((w) => w.config_id));
    expect(ids).to.have.length(5);
    expect(t.sim.calls('externalcontact/list_contact_way')).to.have.length(3);
  });
});
