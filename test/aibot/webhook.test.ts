import { expect } from 'chai';
import { startAibotChat, type AibotChat } from '../helpers/aibot.js';

describe('the 智能机器人 over its webhook (/wecom/aibot)', () => {
  let chat: AibotChat;
  afterEach(async () => {
    await chat?.close();
  });

  it('verifies the URL with the bare echostr within a second', async () => {
    chat = await startAibotChat({ transports: ['webhook'] });
    const verified = await chat.webhook!.verify();
    expect(verified.ok, verified.body).to.equal(true);
    expect(verified.ms).to.be.below(1000);
  });

  it('/帮助 in a single chat: the first answer says "处理中…", the refreshes bring the help until the stream is finished', async () => {
    chat = await startAibotChat({ transports: ['webhook'] });
    const exchange = await chat.webhook!.sendText({ from: 'wangwu', text: '/帮助' });
    expect(exchange.status).to.equal(200);
    const done = await exchange.done();
    expect(done.finished).to.equal(true);
    expect(done.frames[0]).to.contain('处理中');
    expect(done.content).to.contain('/客户');
    expect(chat.webhook!.errors()).to.deep.equal([]);
  });

  it('three deliveries of one callback run the command once, and each is answered with the stream', async () => {
    chat = await startAibotChat({ transports: ['webhook'], admins: ['zhangsan'] });
    const body = chat.webhook!.textCallback({ from: 'zhangsan', text: '/标签 新增 回访 三次送达' });
    const answers = await chat.webhook!.deliver(body, 3);
    expect(answers.map((a) => a.status)).to.deep.equal([200, 200, 200]);
    // Each delivery is answered with the same stream (its id from the msgid), never a second run's.
    const ids = answers.map((a) => (a.body as { stream?: { id: string } }).stream?.id);
    expect(new Set(ids).size).to.equal(1);
    expect(ids[0]).to.be.a('string');
    await chat.bot.worker.onIdle();
    expect(chat.sim.calls('externalcontact/add_corp_tag')).to.have.length(1);
  });

  it('@bot /客户 in a group over the webhook: the group is told, the list goes by the app', async () => {
    chat = await startAibotChat({ transports: ['webhook'], managers: ['lisi'] });
    const name = chat.sim.corp.customer(chat.sim.corp.customersOf('lisi')[0]!.external_userid).name;
    const seq = chat.sim.captures.lastSeq;
    const exchange = await chat.webhook!.sendText({ from: 'lisi', text: '/客户', chat: { id: 'wr-team' } });
    const done = await exchange.done();
    expect(done.content).to.contain('我私下发给你').and.not.contain(name);
    await chat.bot.worker.onIdle();
    const privately = chat.sim.captures.messages.filter((m) => m.seq > seq && m.touser.includes('lisi')).map((m) => m.content ?? '');
    expect(privately.join('\n')).to.contain(name);
  });

  it('a confirmation card in a group over the webhook: another member’s click refused in their copy, the proposer’s answered with the update', async () => {
    chat = await startAibotChat({ transports: ['webhook'], admins: ['zhangsan', 'wangwu'] });
    await chat.as('zhangsan').say('/标签 新增 临时 待删');
    const exchange = await chat.webhook!.sendText({ from: 'zhangsan', text: '/标签 删除 待删', chat: { id: 'wr-admins' } });
    for (let i = 0; i < 100 && !exchange.current().card; i++) await new Promise((r) => setTimeout(r, 50));
    const card = exchange.current().card!;
    expect(card.main_title.title).to.contain('删除 1 个标签');
    const other = await chat.webhook!.click({ from: 'wangwu', taskId: card.task_id, eventKey: 'confirm', chat: { id: 'wr-admins' } });
    expect(other.body?.userids).to.deep.equal(['wangwu']);
    expect(other.body?.template_card.sub_title_text).to.contain('张三');
    expect(chat.sim.calls('externalcontact/del_corp_tag')).to.have.length(0);
    const click = await chat.webhook!.click({ from: 'zhangsan', taskId: card.task_id, eventKey: 'confirm', chat: { id: 'wr-admins' } });
    expect(click.status).to.equal(200);
    expect(click.body?.userids).to.equal(undefined);
    expect(click.body?.template_card.sub_title_text).to.contain('已确认');
    expect(click.ms).to.be.below(5000);
    const done = await exchange.done();
    expect(done.finished).to.equal(true);
    expect(done.content).to.contain('已删除 1 个标签');
    expect(chat.sim.calls('externalcontact/del_corp_tag')).to.have.length(1);
    expect(chat.webhook!.errors()).to.deep.equal([]);
  });

  it('@bot /统计 上周 in a group over the webhook: a table', async () => {
    chat = await startAibotChat({ transports: ['webhook'], managers: ['lisi'] });
    const done = await (await chat.webhook!.sendText({ from: 'lisi', text: '/统计 上周', chat: { id: 'wr-team' } })).done();
    expect(done.content).to.match(/\| 时间 \| 聊天数 \| 消息数 \| 回复率 \| 平均首次回复 \| 新增客户 \|/);
  });

  it('/转接 全部 over the webhook: confirmed by a click, its progress refreshed in the same message, then the summary', async () => {
    chat = await startAibotChat({ transports: ['webhook'], admins: ['zhangsan'], managers: ['lisi'] });
    chat.sim.corp.addMember({ userid: 'bigsales', name: '大客户经理', department: [1], status: 'active' });
    chat.sim.corp.addCustomersTo('bigsales', 450);
    chat.sim.faults = { latencyMs: 150, paths: /transfer_customer/ };
    const exchange = await chat.webhook!.sendText({ from: 'zhangsan', text: '/转接 全部 --from bigsales --to lisi' });
    for (let i = 0; i < 100 && !exchange.current().card; i++) await new Promise((r) => setTimeout(r, 50));
    const card = exchange.current().card!;
    const click = await chat.webhook!.click({ from: 'zhangsan', taskId: card.task_id, eventKey: 'confirm' });
    expect(click.body?.template_card.sub_title_text).to.contain('已确认');
    const done = await exchange.done();
    await chat.bot.bot.jobsIdle();
    expect(done.finished).to.equal(true);
    expect(
      done.frames.some((f) => f.includes('转接进度')),
      'progress was refreshed into the message',
    ).to.equal(true);
    expect(done.content).to.contain('成功 450 位，失败 0 位').and.not.contain('转接进度');
    expect(chat.sim.calls('externalcontact/transfer_customer')).to.have.length(5);
    expect(chat.webhook!.errors()).to.deep.equal([]);
  });
});

describe('the 智能机器人 greets a member who opens its single chat', () => {
  let chat: AibotChat;
  afterEach(async () => {
    await chat?.close();
  });

  it('over either transport, with a welcome in the member’s language (within 5 s, as WeCom asks)', async () => {
    chat = await startAibotChat({ transports: ['ws', 'webhook'] });
    await chat.ws.enterChat({ from: 'wangwu' });
    for (let i = 0; i < 100 && chat.ws.welcomes().length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(chat.ws.welcomes()[0]?.content).to.contain('/帮助');
    await chat.ask('lisi', '/language English');
    const overWebhook = await chat.webhook!.enterChat({ from: 'lisi' });
    expect(JSON.stringify(overWebhook.body)).to.contain('/help');
    expect(chat.ws.errors()).to.deep.equal([]);
    expect(chat.webhook!.errors()).to.deep.equal([]);
  });
});
