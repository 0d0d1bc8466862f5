import { expect } from 'chai';
import { lastCall, simClient, type SimClient } from '../helpers/sim.js';
import { errcodeOf } from './errcode.js';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('client: externalContactMoment against the simulator', () => {
  let t: SimClient;
  beforeEach(async () => {
    t = await simClient({ momentJobDelayMs: 50 });
  });
  afterEach(() => t.close());

  const mo = () => t.client.externalContactMoment;

  it('createTask runs as a job: getTask reports running, then done with the moment_id and invalid senders/tags', async () => {
    const tag = t.sim.corp.tagGroups[0]!.tag[0]!.id;
    const job = await mo().createTask({
      text: { content: '如果你能看到这个朋友圈，免费领取5元红包！' },
      visible_range: { sender_list: { user_list: ['zhangsan', 'ghost'] }, external_contact_list: { tag_list: [tag, 'etNOPE'] } },
    });
    expect(lastCall(t.sim, 'externalcontact/add_moment_task').body).to.deep.include({ text: { content: '如果你能看到这个朋友圈，免费领取5元红包！' } });
    const running = await mo().getTask(job.jobid);
    const call = lastCall(t.sim, 'externalcontact/get_moment_task_result');
    expect(call.method).to.equal('GET');
    expect(call.query).to.deep.equal({ jobid: job.jobid });
    expect(running.status).to.equal(2);
    await wait(80);
    const done = await mo().getTask(job.jobid);
    expect(done.status).to.equal(3);
    expect(done.result!.moment_id).to.be.a('string');
    expect(done.result!.invalid_sender_list!.user_list).to.deep.equal(['ghost']);
    expect(done.result!.invalid_external_contact_list!.tag_list).to.deep.equal(['etNOPE']);
  });

  it('list, getTasks, getCustomers, getSendResult and getComments send the seed bodies', async () => {
    const now = Math.floor(Date.now() / 1000);
    const params = { start_time: now - 29 * 86400, end_time: now, filter_type: 2 as const, limit: 10 };
    const list = await mo().list(params);
    expect(lastCall(t.sim, 'externalcontact/get_moment_list').body).to.deep.equal(params);
    const momentId = list.moment_list[0]!.moment_id;

    const tasks = await mo().getTasks(momentId, '', 10);
    expect(lastCall(t.sim, 'externalcontact/get_moment_task').body).to.deep.equal({ moment_id: momentId, cursor: '', limit: 10 });
    // A member who has published it (each publishes by hand; the others answer 41062).
    const userid = tasks.task_list.find((task) => task.publish_status === 1)!.userid;

    const customers = await mo().getCustomers(momentId, userid, '', 10);
    expect(lastCall(t.sim, 'externalcontact/get_moment_customer_list').body).to.deep.equal({ moment_id: momentId, userid, cursor: '', limit: 10 });
    expect(customers.customer_list.every((c) => c.userid === userid)).to.equal(true);

    await mo().getSendResult(momentId, userid, '', 10);
    expect(lastCall(t.sim, 'externalcontact/get_moment_send_result').body).to.deep.equal({ moment_id: momentId, userid, cursor: '', limit: 10 });

    const comments = await mo().getComments(momentId, userid);
    expect(lastCall(t.sim, 'externalcontact/get_moment_comments').body).to.deep.equal({ moment_id: momentId, userid });
    expect(comments.comment_list).to.be.an('array');
    expect(comments.like_list).to.be.an('array');
  });

  it('refuses windows over 30 days, unknown moments, and more than 10 publications a minute', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(await errcodeOf(mo().list({ start_time: now - 31 * 86400, end_time: now }))).to.equal(40058);
    expect(await errcodeOf(mo().getTasks('momNOPE'))).to.equal(41060);
    for (let i = 0; i < 10; i++) await mo().createTask({ text: { content: `第${i}条` } });
    expect(await errcodeOf(mo().createTask({ text: { content: '第11条' } }))).to.equal(45009);
  });
});
