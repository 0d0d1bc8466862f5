import { expect } from 'chai';
import type { CapturedMessage } from '../../src/simulator/index.js';
import { startChat, textOf, type Chat } from '../helpers/chat.js';

const card = (messages: CapturedMessage[]) => {
  const found = messages.find((m) => m.msgtype === 'template_card');
  if (!found) throw new Error(`no card in ${JSON.stringify(messages.map((m) => m.content))}`);
  return found;
};

describe('/朋友圈 (moments)', () => {
  let chat: Chat;
  beforeEach(async () => {
    chat = await startChat({ admins: ['zhangsan'], managers: ['lisi'], sim: { momentJobDelayMs: 100 } });
  });
  afterEach(() => chat.close());
  const day = (offset: number) => new Date(Date.now() + 8 * 3600_000 - offset * 86400_000).toISOString().slice(0, 10);

  it('发表 asks for confirmation, then waits for the job and reports the moment_id and invalid senders', async () => {
    const plan = card(await chat.as('zhangsan').say('/朋友圈 发表 --text 「新品上市」 --user zhangsan,wangwu'));
    expect(textOf(plan)).to.contain('发表到客户朋友圈');
    // wangwu leaves between the card and the click: WeCom's job reports them as an invalid sender.
    chat.sim.corp.members.get('wangwu')!.status = 'resigned';
    const [done] = await chat.as('zhangsan').click(plan, 'confirm');
    expect(done!.content).to.contain('朋友圈任务已创建').and.contain('无效成员').and.contain('wangwu');
    expect(chat.sim.calls('externalcontact/get_moment_task_result').length).to.be.at.least(1);
    const [tooLong] = await chat.as('zhangsan').say(`/朋友圈 發表 --text ${'字'.repeat(2001)}`);
    expect(tooLong!.content).to.contain('文字（--text）最多 2000 個字');
  });

  it('发表 refuses members who cannot publish, before any card', async () => {
    await chat.shouldReply(
      'zhangsan',
      '/朋友圈 发表 --text 新品 --user zhangsan,nobody,zhouba',
      ['nobody、zhouba 不是开通了客户联系的在职成员', '--user'],
      ['确认执行'],
    );
    expect(chat.sim.calls('externalcontact/add_moment_task')).to.have.length(0);
  });

  it('列表 splits a 60-day range into 30-day windows; 任务, 客户, 送达, 互动 read a moment', async () => {
    const [list] = await chat.as('lisi').say(`/朋友圈 列表 --from ${day(59)} --to ${day(0)}`);
    expect(chat.sim.calls('externalcontact/get_moment_list')).to.have.length(2);
    expect(list!.content).to.match(/朋友圈 \d+ 条/);
    const moment = [...chat.sim.corp.moments.values()][0]!;
    const sender = [...moment.senders.keys()][0]!;
    const [tasks] = await chat.as('lisi').say(`/朋友圈 任务 ${moment.moment_id}`);
    expect(tasks!.content).to.match(/已发表 \d+\/\d+ 位成员/);
    const [customers] = await chat.as('lisi').say(`/朋友圈 客戶 ${moment.moment_id} ${sender}`);
    expect(customers!.content).to.contain(`（${sender}）的可見客戶`);
    const [delivered] = await chat.as('lisi').say(`/朋友圈 送达 ${moment.moment_id} ${sender}`);
    expect(delivered!.content).to.contain('的朋友圈送达');
    const [interactions] = await chat.as('lisi').say(`/朋友圈 互動 ${moment.moment_id} ${sender}`);
    expect(interactions!.content).to.match(/留言 \d+ 則，按讚 \d+ 個/);
  });

  it('a moment waits for each member to publish it: 客户, 送达, 互动 say who has not yet, or was never asked', async () => {
    const [done] = await chat.as('zhangsan').click(card(await chat.as('zhangsan').say('/朋友圈 发表 --text 新品 --user zhangsan,lisi')), 'confirm');
    const momentId = /`(mom[^`]+)`/.exec(done!.content!)?.[1] ?? [...chat.sim.corp.moments.keys()].at(-1)!;
    const [tasks] = await chat.as('lisi').say(`/朋友圈 任务 ${momentId}`);
    expect(tasks!.content).to.contain('已发表 0/2 位成员');
    await chat.shouldReply('lisi', `/朋友圈 送达 ${momentId} zhangsan`, '这位成员还没有发表这条朋友圈：需要他在企业微信里发表后才能查看');
    await chat.shouldReply('lisi', `/moments customers ${momentId} wangwu`, 'This moment was not given to this member to publish');
    chat.sim.corp.publishMoment(momentId, 'zhangsan');
    await chat.shouldReply('lisi', `/朋友圈 送达 ${momentId} zhangsan`, '的朋友圈送达', ['还没有发表']);
    const [after] = await chat.as('lisi').say(`/朋友圈 任务 ${momentId}`);
    expect(after!.content).to.contain('已发表 1/2 位成员');
  });
});
