import { expect } from 'chai';
import { WeComRequestError } from '../../src/wecom/index.js';
import { createWeComClient } from '../../src/wecom/index.js';
import { lastCall, simClient, type SimClient } from '../helpers/sim.js';
import { errcodeOf } from './errcode.js';

describe('client: message (app messages) against the simulator', () => {
  let t: SimClient;
  beforeEach(async () => {
    t = await simClient();
  });
  afterEach(() => t.close());

  it('sends text and markdown with the agentid; the simulator captures them; unknown users come back invalid', async () => {
    const res = await t.client.message.send({ touser: 'zhangsan|ghost', msgtype: 'markdown', markdown: { content: '**客户** 127 位' } });
    expect(lastCall(t.sim, 'message/send').body).to.deep.equal({
      touser: 'zhangsan|ghost',
      msgtype: 'markdown',
      markdown: { content: '**客户** 127 位' },
      agentid: t.sim.agentId,
    });
    expect(res.invaliduser).to.equal('ghost');
    expect(t.sim.captures.to('zhangsan').map((m) => m.content)).to.deep.equal(['**客户** 127 位']);
    await t.client.message.send({ touser: 'lisi', msgtype: 'text', text: { content: 'hi' } });
    expect(t.sim.captures.to('lisi')[0]).to.include({ msgtype: 'text', content: 'hi' });
  });

  it('refuses content over 2048 bytes before any request (682 Chinese characters and 3 letters are 2049 bytes)', async () => {
    const before = t.sim.requests.length;
    let error: unknown;
    try {
      await t.client.message.send({ touser: 'zhangsan', msgtype: 'text', text: { content: `${'字'.repeat(682)}abc` } });
    } catch (err) {
      error = err;
    }
    expect(error).to.be.instanceOf(WeComRequestError);
    expect(t.sim.requests.length).to.equal(before);
    await t.client.message.send({ touser: 'zhangsan', msgtype: 'text', text: { content: `${'字'.repeat(682)}ab` } });
    expect(t.sim.captures.to('zhangsan')).to.have.length(1);
  });

  it('sends a button card with a unique task_id, gets a response_code, and updates the card once with it', async () => {
    const card = {
      card_type: 'button_interaction' as const,
      task_id: 'confirm-001',
      main_title: { title: '确认转接', desc: '3 位客户 zhangsan → lisi' },
      button_list: [
        { text: '确认', style: 1 as const, key: 'confirm' },
        { text: '取消', style: 2 as const, key: 'cancel' },
      ],
    };
    const sent = await t.client.message.send({ touser: 'zhangsan', msgtype: 'template_card', template_card: card });
    expect(sent.response_code).to.be.a('string');
    expect(await errcodeOf(t.client.message.send({ touser: 'zhangsan', msgtype: 'template_card', template_card: card }))).to.equal(42014);
    await t.client.message.updateTemplateCard({ userids: ['zhangsan'], response_code: sent.response_code!, button: { replace_name: '已确认' } });
    expect(lastCall(t.sim, 'message/update_template_card').body).to.deep.equal({
      userids: ['zhangsan'],
      response_code: sent.response_code,
      button: { replace_name: '已确认' },
      agentid: t.sim.agentId,
    });
    expect(t.sim.captures.cardsByTaskId.get('confirm-001')!.replacedWith).to.equal('已确认');
    expect(await errcodeOf(t.client.message.updateTemplateCard({ response_code: sent.response_code!, button: { replace_name: 'x' } }))).to.equal(40058);
  });

  it('needs the app’s own token: a client whose agent secret is the contact secret gets 48002', async () => {
    const wrong = createWeComClient({ ...t.sim.wecomConfig(), agentSecret: t.sim.contactSecret });
    expect(await errcodeOf(wrong.message.send({ touser: 'zhangsan', msgtype: 'text', text: { content: 'x' } }))).to.equal(48002);
    await wrong.close();
  });

  it('drops messages past 30 per member per minute without an error, as WeCom does', async () => {
    for (let i = 0; i < 31; i++) await t.client.message.send({ touser: 'wangwu', msgtype: 'text', text: { content: `#${i}` } });
    expect(t.sim.captures.to('wangwu')).to.have.length(30);
    expect(t.sim.captures.messages.filter((m) => m.dropped)).to.have.length(1);
  });
});
