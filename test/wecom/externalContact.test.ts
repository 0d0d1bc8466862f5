import { expect } from 'chai';
import { lastCall, simClient, type SimClient } from '../helpers/sim.js';
import { errcodeOf } from './errcode.js';

describe('client: externalContact against the simulator', () => {
  let t: SimClient;
  beforeEach(async () => {
    t = await simClient();
  });
  afterEach(() => t.close());

  const ec = () => t.client.externalContact;
  const someCustomer = (userid = 'zhangsan') => t.sim.corp.customersOf(userid)[0]!.external_userid;

  it('getFollowUsers lists members in service', async () => {
    const res = await ec().getFollowUsers();
    expect(lastCall(t.sim, 'externalcontact/get_follow_user_list').method).to.equal('GET');
    expect(res.follow_user).to.include('zhangsan');
    expect(res.follow_user).not.to.include('zhouba'); // resigned
  });

  it('list returns every external_userid of a member; 84061 when none, 60111 for an unknown member', async () => {
    const res = await ec().list('zhangsan');
    expect(lastCall(t.sim, 'externalcontact/list').query).to.deep.equal({ userid: 'zhangsan' });
    expect(res.external_userid).to.have.length(t.sim.corp.customersOf('zhangsan').length);
    t.sim.corp.addMember({ userid: 'newbie', name: '新人', department: [1], status: 'active' });
    expect(await errcodeOf(ec().list('newbie'))).to.equal(84061);
    expect(await errcodeOf(ec().list('nobody'))).to.equal(60111);
  });

  it('get returns the profile and follow users with tag names; 40096 for an unknown id', async () => {
    const id = someCustomer();
    const res = await ec().get(id);
    expect(lastCall(t.sim, 'externalcontact/get').query).to.deep.equal({ external_userid: id });
    expect(res.external_contact.external_userid).to.equal(id);
    expect(res.follow_user.map((f) => f.userid)).to.include('zhangsan');
    for (const f of res.follow_user) for (const tag of f.tags) expect(tag.tag_name).to.be.a('string');
    expect(await errcodeOf(ec().get('wmUNKNOWN'))).to.equal(40096);
  });

  it('batchGetByUser sends userid_list, cursor, limit and pages with opaque cursors', async () => {
    const page = await ec().batchGetByUser(['zhangsan'], '', 5);
    expect(lastCall(t.sim, 'externalcontact/batch/get_by_user').body).to.deep.equal({ userid_list: ['zhangsan'], cursor: '', limit: 5 });
    expect(page.external_contact_list).to.have.length(5);
    expect(page.next_cursor).to.be.a('string').and.not.equal('');
    const next = await ec().batchGetByUser(['zhangsan'], page.next_cursor, 5);
    expect(next.external_contact_list[0]!.external_contact.external_userid).not.to.equal(page.external_contact_list[0]!.external_contact.external_userid);
    expect(await errcodeOf(ec().batchGetByUser(['zhangsan'], '', 101))).to.equal(40058);
    expect(await errcodeOf(ec().batchGetByUser(['zhangsan'], 'forged-cursor', 5))).to.equal(40058);
  });

  it('iterateBatchGetByUser over 2,000 customers makes exactly ceil(2000/100) calls', async () => {
    t.sim.corp.addMember({ userid: 'bigsales', name: '大客户经理', department: [1], status: 'active' });
    t.sim.corp.addCustomersTo('bigsales', 2000);
    let seen = 0;
    for await (const page of ec().iterateBatchGetByUser(['bigsales'])) seen += page.external_contact_list.length;
    expect(seen).to.equal(2000);
    expect(t.sim.calls('externalcontact/batch/get_by_user')).to.have.length(20);
  });

  it('remark passes the body through and changes the follow; limits are enforced', async () => {
    const id = someCustomer();
    await ec().remark({
      userid: 'zhangsan',
      external_userid: id,
      remark: '新备注',
      description: '新描述',
      remark_company: '新公司',
      remark_mobiles: ['13800000000'],
    });
    expect(lastCall(t.sim, 'externalcontact/remark').body).to.deep.equal({
      userid: 'zhangsan',
      external_userid: id,
      remark: '新备注',
      description: '新描述',
      remark_company: '新公司',
      remark_mobiles: ['13800000000'],
    });
    expect(t.sim.corp.follow('zhangsan', id).remark).to.equal('新备注');
    expect(await errcodeOf(ec().remark({ userid: 'zhangsan', external_userid: id, remark: '长'.repeat(21) }))).to.equal(40058);
    expect(
      await errcodeOf(ec().remark({ userid: 'zhangsan', external_userid: someCustomer('lisi') === id ? 'x' : someCustomer('lisi'), remark: 'x' })),
    ).to.be.oneOf([84061, 40096]);
  });

  it('getUnassigned sends page_id/page_size and lists the resigned member; iterateUnassigned walks the cursor', async () => {
    const res = await ec().getUnassigned(0, 10);
    expect(lastCall(t.sim, 'externalcontact/get_unassigned_list').body).to.deep.equal({ page_id: 0, page_size: 10 });
    expect(res.info.every((i) => i.handover_userid === 'zhouba')).to.equal(true);
    const total = t.sim.corp.customersOf('zhouba').length;
    let seen = 0;
    let pages = 0;
    for await (const page of ec().iterateUnassigned(7)) {
      seen += page.info.length;
      pages++;
    }
    expect(seen).to.equal(total);
    expect(pages).to.equal(Math.ceil(total / 7));
  });

  it('transferCustomer starts in-service transfers with per-customer errcodes, and transferResult reports them', async () => {
    const ids = t.sim.corp
      .customersOf('zhangsan')
      .slice(0, 2)
      .map((f) => f.external_userid);
    const res = await ec().transferCustomer({
      external_userid: [...ids, 'wmUNKNOWN'],
      handover_userid: 'zhangsan',
      takeover_userid: 'lisi',
      transfer_success_msg: '您好，由同事接替服务',
    });
    expect(lastCall(t.sim, 'externalcontact/transfer_customer').body).to.deep.equal({
      handover_userid: 'zhangsan',
      takeover_userid: 'lisi',
      external_userid: [...ids, 'wmUNKNOWN'],
      transfer_success_msg: '您好，由同事接替服务',
    });
    expect(res.customer.map((c) => c.errcode)).to.deep.equal([0, 0, 40096]);
    const result = await ec().transferResult({ handover_userid: 'zhangsan', takeover_userid: 'lisi' });
    expect(lastCall(t.sim, 'externalcontact/transfer_result').body).to.deep.equal({ handover_userid: 'zhangsan', takeover_userid: 'lisi', cursor: '' });
    // Waiting for 24 h, with the time of the takeover; then taken over.
    expect(result.customer.map((c) => c.status)).to.deep.equal([2, 2]);
    const dueIn = result.customer[0]!.takeover_time! * 1000 - t.sim.clock.now();
    expect(dueIn).to.be.within(24 * 3600_000 - 5000, 24 * 3600_000);
    expect(t.sim.corp.followsByUser.get('lisi')!.has(ids[0]!)).to.equal(false);
    t.sim.clock.advance(24 * 3600_000 + 1000);
    const later = await ec().transferResult({ handover_userid: 'zhangsan', takeover_userid: 'lisi' });
    expect(later.customer.map((c) => c.status)).to.deep.equal([1, 1]);
    expect(t.sim.corp.followsByUser.get('lisi')!.has(ids[0]!)).to.equal(true);
    const many = Array.from({ length: 101 }, (_, i) => `wm${i}`);
    expect(await errcodeOf(ec().transferCustomer({ external_userid: many, handover_userid: 'zhangsan', takeover_userid: 'lisi' }))).to.equal(40058);
  });

  it('resignedTransferCustomer needs a resigned handover (40097 otherwise) and resignedTransferResult pages', async () => {
    const ids = t.sim.corp
      .customersOf('zhouba')
      .slice(0, 3)
      .map((f) => f.external_userid);
    const res = await ec().resignedTransferCustomer({ external_userid: ids, handover_userid: 'zhouba', takeover_userid: 'lisi' });
    expect(lastCall(t.sim, 'externalcontact/resigned/transfer_customer').body).to.deep.equal({
      handover_userid: 'zhouba',
      takeover_userid: 'lisi',
      external_userid: ids,
    });
    expect(res.customer.every((c) => c.errcode === 0)).to.equal(true);
    expect(
      await errcodeOf(ec().resignedTransferCustomer({ external_userid: [someCustomer()], handover_userid: 'zhangsan', takeover_userid: 'lisi' })),
    ).to.equal(40097);
    let count = 0;
    for await (const page of ec().iterateResignedTransferResult({ handover_userid: 'zhouba', takeover_userid: 'lisi' })) count += page.customer.length;
    expect(count).to.equal(3);
    expect(lastCall(t.sim, 'externalcontact/resigned/transfer_result').body).to.include({ handover_userid: 'zhouba' });
  });

  it('transfer (legacy) and getTransferResult send the seed docs’ bodies', async () => {
    const id = t.sim.corp.customersOf('zhouba')[0]!.external_userid;
    await ec().transfer({ external_userid: id, handover_userid: 'zhouba', takeover_userid: 'wangwu', transfer_success_msg: 'message' });
    expect(lastCall(t.sim, 'externalcontact/transfer').body).to.deep.equal({
      external_userid: id,
      handover_userid: 'zhouba',
      takeover_userid: 'wangwu',
      transfer_success_msg: 'message',
    });
    const res = await ec().getTransferResult({ external_userid: id, handover_userid: 'zhouba', takeover_userid: 'wangwu' });
    expect(lastCall(t.sim, 'externalcontact/get_transfer_result').body).to.deep.equal({
      external_userid: id,
      handover_userid: 'zhouba',
      takeover_userid: 'wangwu',
    });
    expect(res.status).to.equal(2); // waiting for the takeover, 24 h
    t.sim.clock.advance(24 * 3600_000 + 1000);
    expect((await ec().getTransferResult({ external_userid: id, handover_userid: 'zhouba', takeover_userid: 'wangwu' })).status).to.equal(1);
  });

  it('answers a transfer as WeCom does: 40129 while one waits, 40128 for a third in 90 days, 40130 for one member on both sides', async () => {
    const [a, b] = t.sim.corp.customersOf('zhangsan').map((f) => f.external_userid);
    const send = (id: string, from: string, to: string) => ec().transferCustomer({ external_userid: [id], handover_userid: from, takeover_userid: to });
    expect((await send(a!, 'zhangsan', 'lisi')).customer[0]!.errcode).to.equal(0);
    expect((await send(a!, 'zhangsan', 'wangwu')).customer[0]!.errcode).to.equal(40129); // still waiting
    t.sim.clock.advance(24 * 3600_000 + 1000);
    expect((await send(a!, 'lisi', 'zhangsan')).customer[0]!.errcode).to.equal(0); // the second in 90 days
    t.sim.clock.advance(24 * 3600_000 + 1000);
    expect((await send(a!, 'zhangsan', 'lisi')).customer[0]!.errcode).to.equal(40128); // a third: refused
    t.sim.clock.advance(90 * 24 * 3600_000);
    expect((await send(a!, 'zhangsan', 'lisi')).customer[0]!.errcode).to.equal(0); // 90 days later it may move again
    expect(await errcodeOf(send(b!, 'zhangsan', 'zhangsan'))).to.equal(40130);
  });

  it('keeps a resigned member’s customer in get_unassigned_list while its transfer waits (the stricter reading)', async () => {
    const id = t.sim.corp.customersOf('zhouba')[0]!.external_userid;
    const listed = async () => {
      const ids: string[] = [];
      for await (const page of ec().iterateUnassigned()) ids.push(...page.info.map((i) => i.external_userid));
      return ids;
    };
    expect(await listed()).to.include(id);
    await ec().resignedTransferCustomer({ external_userid: [id], handover_userid: 'zhouba', takeover_userid: 'lisi' });
    expect(await listed()).to.include(id);
    t.sim.clock.advance(24 * 3600_000 + 1000);
    expect(await listed()).not.to.include(id);
  });

  it('getGroupChats filters by owner and status; limit is required; getGroupChat returns members', async () => {
    const res = await ec().getGroupChats({ status_filter: 0, owner_filter: { userid_list: ['zhangsan'] }, limit: 100 });
    expect(lastCall(t.sim, 'externalcontact/groupchat/list').body).to.deep.equal({ status_filter: 0, owner_filter: { userid_list: ['zhangsan'] }, limit: 100 });
    expect(res.group_chat_list.length).to.be.greaterThan(0);
    const chatId = res.group_chat_list[0]!.chat_id;
    const detail = await ec().getGroupChat(chatId, 1);
    expect(lastCall(t.sim, 'externalcontact/groupchat/get').body).to.deep.equal({ chat_id: chatId, need_name: 1 });
    expect(detail.group_chat.owner).to.equal('zhangsan');
    expect(detail.group_chat.member_list.some((m) => m.type === 2)).to.equal(true);
    expect(await errcodeOf(ec().getGroupChats({ limit: 0 }))).to.equal(40058);
    let chats = 0;
    for await (const page of ec().iterateGroupChats({ limit: 2 })) chats += page.group_chat_list.length;
    expect(chats).to.equal(t.sim.corp.groupChats.size);
  });

  it('answers 81017 for a group chat list without owner filter on a large corp', async () => {
    await t.close();
    t = await simClient({ ownerFilterThreshold: 5 });
    expect(await errcodeOf(ec().getGroupChats({ limit: 10 }))).to.equal(81017);
  });

  it('transferGroupChat (resigned owner) and onjobTransferGroupChat report failed chats with reasons', async () => {
    const resignedChat = [...t.sim.corp.groupChats.values()].find((c) => c.owner === 'zhouba')!.chat_id;
    const activeChat = [...t.sim.corp.groupChats.values()].find((c) => c.owner === 'zhangsan' && c.external)!.chat_id;
    const internal = [...t.sim.corp.groupChats.values()].find((c) => !c.external)!.chat_id;
    const res = await ec().transferGroupChat([resignedChat, activeChat], 'lisi');
    expect(lastCall(t.sim, 'externalcontact/groupchat/transfer').body).to.deep.equal({ chat_id_list: [resignedChat, activeChat], new_owner: 'lisi' });
    expect(res.failed_chat_list.map((f) => [f.chat_id, f.errcode])).to.deep.equal([[activeChat, 90500]]);
    expect(t.sim.corp.groupChats.get(resignedChat)!.owner).to.equal('lisi');
    const onjob = await ec().onjobTransferGroupChat([activeChat, internal], 'wangwu');
    expect(lastCall(t.sim, 'externalcontact/groupchat/onjob_transfer').body).to.deep.equal({ chat_id_list: [activeChat, internal], new_owner: 'wangwu' });
    expect(onjob.failed_chat_list.map((f) => f.errcode)).to.deep.equal([90501]);
  });

  it('getCorpTags, addCorpTag, updateCorpTag, deleteCorpTag and markTags change the corp’s tags', async () => {
    const all = await ec().getCorpTags();
    expect(lastCall(t.sim, 'externalcontact/get_corp_tag_list').body).to.deep.equal({ tag_id: [], group_id: [] });
    expect(all.tag_group.map((g) => g.group_name)).to.deep.equal(['客户等级', '客户来源', '行业']);
    const added = await ec().addCorpTag({
      group_name: '意向',
      order: 1,
      tag: [
        { name: '高', order: 2 },
        { name: '低', order: 1 },
      ],
    });
    expect(lastCall(t.sim, 'externalcontact/add_corp_tag').body).to.deep.equal({
      group_name: '意向',
      order: 1,
      tag: [
        { name: '高', order: 2 },
        { name: '低', order: 1 },
      ],
    });
    const [high, low] = added.tag_group.tag;
    await ec().updateCorpTag(high!.id, '很高', 10000);
    expect(lastCall(t.sim, 'externalcontact/edit_corp_tag').body).to.deep.equal({ id: high!.id, name: '很高', order: 10000 });
    const id = someCustomer();
    await ec().markTags({ userid: 'zhangsan', external_userid: id, add_tag: [high!.id, low!.id] });
    expect(lastCall(t.sim, 'externalcontact/mark_tag').body).to.deep.equal({ userid: 'zhangsan', external_userid: id, add_tag: [high!.id, low!.id] });
    expect(t.sim.corp.follow('zhangsan', id).tagIds).to.include.members([high!.id, low!.id]);
    await ec().deleteCorpTag([low!.id], []);
    expect(lastCall(t.sim, 'externalcontact/del_corp_tag').body).to.deep.equal({ tag_id: [low!.id], group_id: [] });
    expect(t.sim.corp.follow('zhangsan', id).tagIds).not.to.include(low!.id);
    const only = await ec().getCorpTags([high!.id]);
    expect(only.tag_group[0]!.tag.map((x) => x.name)).to.deep.equal(['很高']);
    expect(await errcodeOf(ec().addCorpTag({ group_name: '意向', tag: [{ name: '很高' }] }))).to.equal(40071);
    expect(await errcodeOf(ec().addCorpTag({ group_name: 'x'.repeat(31), tag: [{ name: 'a' }] }))).to.equal(40058);
    expect(await errcodeOf(ec().markTags({ userid: 'zhangsan', external_userid: id, add_tag: ['etNOPE'] }))).to.equal(40068);
  });
});
