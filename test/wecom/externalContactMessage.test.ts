import { expect } from 'chai';
import { WeComRequestError } from '../../src/wecom/index.js';
import { lastCall, simClient, type SimClient } from '../helpers/sim.js';
import { errcodeOf } from './errcode.js';

describe('client: externalContactMessage against the simulator', () => {
  let t: SimClient;
  beforeEach(async () => {
    t = await simClient();
  });
  afterEach(() => t.close());

  const m = () => t.client.externalContactMessage;

  it('submit creates a mass message (fail_list, msgid) and the result APIs report per member and customer', async () => {
    const ids = t.sim.corp
      .customersOf('zhangsan')
      .slice(0, 3)
      .map((f) => f.external_userid);
    const res = await m().submit({ external_userid: [...ids, 'wmUNKNOWN'], sender: 'zhangsan', text: { content: '文本消息内容' } });
    expect(lastCall(t.sim, 'externalcontact/add_msg_template').body).to.deep.equal({
      external_userid: [...ids, 'wmUNKNOWN'],
      sender: 'zhangsan',
      text: { content: '文本消息内容' },
    });
    expect(res.fail_list).to.deep.equal(['wmUNKNOWN']);
    expect(res.msgid).to.match(/^msg/);
    // WeCom dispatches it first (41063), then waits for the sender to confirm in the WeCom client (doc 92135).
    expect(await errcodeOf(m().getGroupmsgTask(res.msgid, 50))).to.equal(41063);
    t.sim.clock.advance(5000);
    expect((await m().getGroupmsgTask(res.msgid, 50)).task_list).to.deep.equal([{ userid: 'zhangsan', status: 0 }]);
    t.sim.corp.confirmMassMessage(res.msgid, 'zhangsan');

    const task = await m().getGroupmsgTask(res.msgid, 50);
    expect(lastCall(t.sim, 'externalcontact/get_groupmsg_task').body).to.deep.equal({ msgid: res.msgid, limit: 50 });
    expect(task.task_list).to.deep.equal([{ userid: 'zhangsan', status: 2, send_time: task.task_list[0]!.send_time }]);

    const sent = await m().getGroupmsgSendResult(res.msgid, 'zhangsan', 50);
    expect(lastCall(t.sim, 'externalcontact/get_groupmsg_send_result').body).to.deep.equal({ msgid: res.msgid, userid: 'zhangsan', limit: 50 });
    expect(sent.send_list.map((s) => s.external_userid)).to.deep.equal(ids);
    expect(sent.send_list.every((s) => s.status === 1)).to.equal(true);

    const legacy = await m().get(res.msgid, 100);
    expect(lastCall(t.sim, 'externalcontact/get_group_msg_result').body).to.deep.equal({ msgid: res.msgid, limit: 100, cursor: null });
    expect(legacy.detail_list).to.have.length(3);

    const now = Math.floor(Date.now() / 1000);
    const list = await m().getGroupmsgListV2('single', now - 86400, now + 60, 'zhangsan', 0, 50);
    expect(lastCall(t.sim, 'externalcontact/get_groupmsg_list_v2').body).to.deep.equal({
      chat_type: 'single',
      start_time: now - 86400,
      end_time: now + 60,
      creator: 'zhangsan',
      filter_type: 0,
      limit: 50,
    });
    expect(list.group_msg_list.map((g) => g.msgid)).to.deep.equal([res.msgid]);
  });

  it('a customer receives one mass message a day: the second one reports status 3', async () => {
    const id = t.sim.corp.customersOf('zhangsan')[0]!.external_userid;
    const first = await m().submit({ external_userid: [id], sender: 'zhangsan', text: { content: '第一条' } });
    t.sim.corp.confirmMassMessage(first.msgid, 'zhangsan');
    const second = await m().submit({ external_userid: [id], sender: 'zhangsan', text: { content: '第二条' } });
    t.sim.corp.confirmMassMessage(second.msgid, 'zhangsan');
    t.sim.clock.advance(5000);
    const result = await m().getGroupmsgSendResult(second.msgid, 'zhangsan');
    expect(result.send_list[0]!.status).to.equal(3);
  });

  it('refuses text over 4000 bytes before any request, and bad ids with WeCom’s codes', async () => {
    const before = t.sim.requests.length;
    let error: unknown;
    try {
      await m().submit({ sender: 'zhangsan', text: { content: '字'.repeat(1334) } });
    } catch (err) {
      error = err;
    }
    expect(error).to.be.instanceOf(WeComRequestError);
    expect(t.sim.requests.length).to.equal(before);
    expect(await errcodeOf(m().getGroupmsgTask('msgNOPE'))).to.equal(41047);
    expect(await errcodeOf(m().submit({ external_userid: ['wmNOPE'], text: { content: 'x' } }))).to.equal(41048);
  });

  it('sendWelcome uses the event’s code once: 41051 after, 41050 for an unknown code', async () => {
    t.sim.corp.welcomeCodes.set('WELCOMECODE', {
      code: 'WELCOMECODE',
      userid: 'zhangsan',
      external_userid: 'wmX',
      expiresAt: Date.now() + 20_000,
      used: false,
    });
    await m().sendWelcome('WELCOMECODE', { text: { content: '您好，欢迎！' } });
    expect(lastCall(t.sim, 'externalcontact/send_welcome_msg').body).to.deep.equal({ text: { content: '您好，欢迎！' }, welcome_code: 'WELCOMECODE' });
    expect(t.sim.corp.welcomesSent).to.have.length(1);
    expect(await errcodeOf(m().sendWelcome('WELCOMECODE', { text: { content: 'again' } }))).to.equal(41051);
    expect(await errcodeOf(m().sendWelcome('NOPE', { text: { content: 'x' } }))).to.equal(41050);
  });

  it('a welcome code expires after its 20 s (here shortened)', async () => {
    await t.close();
    t = await simClient({ welcomeCodeTtlMs: 30 });
    t.sim.corp.welcomeCodes.set('C', { code: 'C', userid: 'zhangsan', external_userid: 'wmX', expiresAt: Date.now() + 30, used: false });
    await new Promise((r) => setTimeout(r, 60));
    expect(await errcodeOf(m().sendWelcome('C', { text: { content: 'late' } }))).to.equal(41050);
  });

  it('moments (the older name) calls add_moment_task', async () => {
    const res = await m().moments({ text: { content: '文本消息内容' }, visible_range: { sender_list: { user_list: ['zhangsan'] } } });
    expect(lastCall(t.sim, 'externalcontact/add_moment_task').body).to.deep.equal({
      text: { content: '文本消息内容' },
      visible_range: { sender_list: { user_list: ['zhangsan'] } },
    });
    expect(res.jobid).to.be.a('string');
  });
});
