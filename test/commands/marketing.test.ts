import { expect } from 'chai';
import type { CapturedMessage } from '../../src/simulator/index.js';
import { startChat, textOf, type Chat } from '../helpers/chat.js';
import { tempSqliteUrl } from '../helpers/stores.js';

const card = (messages: CapturedMessage[]) => {
  const found = messages.find((m) => m.msgtype === 'template_card');
  if (!found) throw new Error(`no card in ${JSON.stringify(messages.map((m) => m.content))}`);
  return found;
};
const ecCalls = (chat: Chat) => chat.sim.requests.filter((r) => r.path.startsWith('externalcontact/')).length;

describe('commands: /标签', () => {
  let chat: Chat;
  beforeEach(async () => {
    chat = await startChat({ admins: ['zhangsan', 'wangwu'], managers: ['lisi'] });
  });
  afterEach(() => chat.close());

  it('lists groups and tags in WeCom’s order for everyone, in both scripts', async () => {
    const [hans] = await chat.as('zhaoliu').say('/标签');
    expect(hans!.content)
      .to.contain('企业标签：3 组')
      .and.match(/客户等级[\s\S]*客户来源[\s\S]*行业/);
    const [hant] = await chat.as('zhaoliu').say('/標籤');
    expect(hant!.content).to.contain('企業標籤：3 組');
  });

  it('adds, renames, marks and unmarks (admin), refusing names over 30 characters before any call', async () => {
    const [added] = await chat.as('zhangsan').say('/标签 新增 意向 高,中,低');
    expect(added!.content).to.contain('已新建标签组「意向」，含 3 个标签');
    const [more] = await chat.as('zhangsan').say('/標籤 新增 意向 極高');
    expect(more!.content).to.contain('已在「意向」中新增 1 個標籤');
    const [renamed] = await chat.as('zhangsan').say('/标签 改名 低 较低 --order 5');
    expect(renamed!.content).to.contain('已把「低」改名为「较低」');
    const id = chat.sim.corp.customersOf('zhangsan')[0]!.external_userid;
    const [marked] = await chat.as('zhangsan').say(`/标签 打 ${id} 高,较低`);
    expect(marked!.content).to.contain(`已给 ${id} 打上：高、较低`);
    const high = chat.sim.corp.tagGroups.find((g) => g.group_name === '意向')!.tag.find((t) => t.name === '高')!.id;
    expect(chat.sim.corp.follow('zhangsan', id).tagIds).to.include(high);
    const [unmarked] = await chat.as('zhangsan').say(`/標籤 移除 ${id} 高`);
    expect(unmarked!.content).to.contain(`已從 ${id} 移除：高`);
    const before = ecCalls(chat);
    const [tooLong] = await chat.as('zhangsan').say(`/标签 新增 ${'组'.repeat(31)} a`);
    expect(tooLong!.content).to.contain('最多 30 个字');
    expect(ecCalls(chat)).to.equal(before);
    const [staff] = await chat.as('zhaoliu').say('/标签 新增 x y');
    expect(staff!.content).to.contain('没有权限');
  });

  it('deletes only after confirmation by the proposer; another admin cannot confirm it', async () => {
    const plan = card(await chat.as('zhangsan').say('/标签 删除 潜在,广告'));
    expect(textOf(plan)).to.contain('删除 2 个标签').and.contain('客户等级/潜在');
    expect(chat.sim.calls('externalcontact/del_corp_tag')).to.have.length(0);
    const [refused] = await chat.as('wangwu').click(plan, 'confirm');
    expect(refused!.content).to.contain('只有发起人 zhangsan');
    expect(chat.sim.calls('externalcontact/del_corp_tag')).to.have.length(0);
    const [done] = await chat.as('zhangsan').click(plan, 'confirm');
    expect(done!.content).to.contain('已删除 2 个标签');
    expect(chat.sim.corp.tagIndex().size).to.equal(10);
    const hant = card(await chat.as('zhangsan').say('/標籤 刪除 教育'));
    expect(textOf(hant)).to.contain('刪除 1 個標籤');
  });

  it('lists candidates for an ambiguous name instead of guessing', async () => {
    await chat.as('zhangsan').say('/标签 新增 另一组 重要');
    const [reply] = await chat.as('zhangsan').say('/标签 删除 重要');
    expect(reply!.content).to.contain('有多个名为「重要」的标签').and.contain('客户等级/重要').and.contain('另一组/重要');
  });
});

describe('commands: /联系我', () => {
  let chat: Chat;
  let cleanup: () => void;
  beforeEach(async () => {
    const db = tempSqliteUrl();
    cleanup = db.cleanup;
    chat = await startChat({ admins: ['zhangsan'], storeUrl: db.url });
  });
  afterEach(async () => {
    await chat.close();
    cleanup();
  });

  it('creates a way with its QR link, keeps it, and lists it after a restart; view, edit and delete work in both scripts', async () => {
    const [created] = await chat.as('zhangsan').say('/联系我 新增 --user zhangsan,lisi --state expo2026 --remark 「展会 二维码」 --skip-verify');
    expect(created!.content)
      .to.contain('已创建「联系我」')
      .and.match(/\[打开二维码\]\(https:\/\//);
    const configId = /`([0-9a-z]{32})`/.exec(created!.content!)![1]!;
    expect(chat.sim.calls('externalcontact/add_contact_way')[0]!.body).to.deep.include({ type: 2, scene: 2, skip_verify: true, state: 'expo2026' });
    await chat.restart();
    const [list] = await chat.as('zhangsan').say('/联系我 列表');
    expect(list!.content).to.contain(configId).and.contain('展会 二维码').and.contain('机器人留存 1 个');
    const [view] = await chat.as('zhangsan').say(`/聯絡我 查看 ${configId}`);
    expect(view!.content).to.contain('「聯絡我」：展会 二维码').and.contain('免驗證');
    const [edited] = await chat.as('zhangsan').say(`/联系我 修改 ${configId} --user wangwu`);
    expect(edited!.content).to.contain('已修改');
    const plan = card(await chat.as('zhangsan').say(`/聯絡我 刪除 ${configId}`));
    await chat.as('zhangsan').click(plan, 'confirm');
    expect(chat.sim.corp.contactWays.has(configId)).to.equal(false);
    const [after] = await chat.as('zhangsan').say('/联系我 列表');
    expect(after!.content).to.contain('还没有「联系我」');
  });

  it('refuses a state over 30 characters before any call', async () => {
    const [reply] = await chat.as('zhangsan').say(`/联系我 新增 --user zhangsan --state ${'s'.repeat(31)}`);
    expect(reply!.content).to.contain('--state 最多 30 个字');
    expect(chat.sim.calls('externalcontact/add_contact_way')).to.have.length(0);
  });
});

describe('commands: /群发 and /欢迎语', () => {
  let chat: Chat;
  beforeEach(async () => {
    chat = await startChat({ admins: ['zhangsan'], managers: ['lisi'] });
  });
  afterEach(() => chat.close());

  it('群发 to a tag shows the recipient count on the card, then the msgid; 结果 reports per member', async () => {
    const tag = chat.sim.corp.tagGroups[0]!.tag[0]!;
    const expected = chat.sim.corp.customersOf('zhangsan').filter((f) => f.tagIds.includes(tag.id)).length;
    const plan = card(await chat.as('zhangsan').say(`/群发 --sender zhangsan --tag ${tag.name} --text 「周末活动邀请」`));
    expect(textOf(plan)).to.contain(`群发给 ${expected} 位客户`);
    const [created] = await chat.as('zhangsan').click(plan, 'confirm');
    expect(created!.content).to.contain(`群发已创建：${expected} 位客户待发送`);
    const msgid = /`(msg[^`]+)`/.exec(created!.content!)![1]!;
    const [result] = await chat.as('zhangsan').say(`/群發 結果 ${msgid}`);
    expect(result!.content).to.contain('群發結果').and.contain('已傳送').and.contain('**zhangsan**');
  });

  it('群发 refuses text over 4000 bytes and a missing audience before any call', async () => {
    const before = ecCalls(chat);
    const [tooBig] = await chat.as('zhangsan').say(`/群发 --sender zhangsan --to wm1 --text ${'字'.repeat(1334)}`);
    expect(tooBig!.content).to.contain('--text 最多 4000 字节');
    const [noAudience] = await chat.as('zhangsan').say('/群發 --sender zhangsan --text hi');
    expect(noAudience!.content).to.contain('請提供 --to 或 --tag');
    expect(ecCalls(chat)).to.equal(before);
  });

  it('sends the member’s welcome message on add_external_contact within 20 s, even while a long job runs; a redelivery sends nothing', async () => {
    const [set] = await chat.as('zhangsan').say('/欢迎语 设置 --text 「您好，欢迎！」');
    expect(set!.content).to.contain('已设置默认欢迎语');
    await chat.as('zhangsan').say('/歡迎語 設定 --user lisi --text 「我是李四」 --link https://example.com --title 介紹');
    const [view] = await chat.as('zhangsan').say('/欢迎语 查看');
    expect(view!.content).to.contain('默认').and.contain('lisi 专属');
    // A long transfer job keeps running in the background meanwhile.
    chat.sim.corp.addMember({ userid: 'bigsales', name: '大客户经理', department: [1], status: 'active' });
    chat.sim.corp.addCustomersTo('bigsales', 600);
    chat.sim.faults = { latencyMs: 100, paths: /transfer_customer/ };
    const job = card(await chat.as('zhangsan').say('/转接 全部 --from bigsales --to wangwu'));
    await chat.as('zhangsan').click(job, 'confirm');
    const started = Date.now();
    const { welcomeCode } = await chat.sim.addExternalContact('lisi', { times: 2 });
    await chat.bot.worker.onIdle();
    expect(Date.now() - started).to.be.lessThan(20_000);
    expect(chat.sim.corp.welcomesSent).to.have.length(1);
    expect(chat.sim.corp.welcomesSent[0]).to.deep.include({ welcome_code: welcomeCode, userid: 'lisi', text: { content: '我是李四' } });
    await chat.sim.addExternalContact('wangwu');
    await chat.bot.worker.onIdle();
    expect(chat.sim.corp.welcomesSent.at(-1)!.text).to.deep.equal({ content: '您好，欢迎！' });
    expect(chat.sim.calls('externalcontact/transfer_customer').length).to.be.lessThan(6); // the job was still running
    await chat.bot.bot.jobsIdle();
    const [cleared] = await chat.as('zhangsan').say('/欢迎语 清除 --user lisi');
    expect(cleared!.content).to.contain('已清除lisi的欢迎语');
  });

  it('records a welcome message WeCom refused (41051) in the audit log, without retrying', async () => {
    await chat.as('zhangsan').say('/welcome set --text hi');
    chat.sim.faults = { errcodeRates: { 41051: 1 }, paths: /send_welcome_msg/ };
    await chat.sim.addExternalContact('lisi');
    await chat.bot.worker.onIdle();
    expect(chat.sim.calls('externalcontact/send_welcome_msg')).to.have.length(1);
    const [log] = await chat.as('zhangsan').say('/audit --user sys');
    expect(log!.content).to.contain('welcome.send').and.contain('errcode 41051');
  });
});

describe('commands: /朋友圈 and /统计', () => {
  let chat: Chat;
  beforeEach(async () => {
    chat = await startChat({ admins: ['zhangsan'], managers: ['lisi'], sim: { momentJobDelayMs: 100 } });
  });
  afterEach(() => chat.close());

  const day = (offset: number) => new Date(Date.now() + 8 * 3600_000 - offset * 86400_000).toISOString().slice(0, 10);

  it('发表 asks for confirmation, then waits for the job and reports the moment_id and invalid senders', async () => {
    const plan = card(await chat.as('zhangsan').say('/朋友圈 发表 --text 「新品上市」 --user zhangsan,ghost'));
    expect(textOf(plan)).to.contain('发表到客户朋友圈');
    const [done] = await chat.as('zhangsan').click(plan, 'confirm');
    expect(done!.content).to.contain('朋友圈任务已创建').and.contain('无效成员').and.contain('ghost');
    expect(chat.sim.calls('externalcontact/get_moment_task_result').length).to.be.at.least(1);
    const [tooLong] = await chat.as('zhangsan').say(`/朋友圈 發表 --text ${'字'.repeat(2001)}`);
    expect(tooLong!.content).to.contain('--text 最多 2000 個字');
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
    expect(customers!.content).to.contain(`${sender} 的可見客戶`);
    const [delivered] = await chat.as('lisi').say(`/朋友圈 送达 ${moment.moment_id} ${sender}`);
    expect(delivered!.content).to.contain('的朋友圈送达');
    const [interactions] = await chat.as('lisi').say(`/朋友圈 互動 ${moment.moment_id} ${sender}`);
    expect(interactions!.content).to.match(/留言 \d+ 則，按讚 \d+ 個/);
  });

  it('统计 over 60 days makes exactly 2 behaviour calls per member batch; totals equal the simulator’s per-day data', async () => {
    const [reply] = await chat.as('lisi').say(`/统计 zhangsan,lisi --from ${day(59)} --to ${day(0)}`);
    const calls = chat.sim.calls('externalcontact/get_user_behavior_data');
    expect(calls).to.have.length(2);
    let chats = 0;
    let contacts = 0;
    for (const c of calls) {
      for (let t = c.body.start_time as number; t <= (c.body.end_time as number); t += 86400) {
        for (const u of ['zhangsan', 'lisi']) {
          chats += chat.sim.corp.behavior(u, t).chat_cnt;
          contacts += chat.sim.corp.behavior(u, t).new_contact_cnt;
        }
      }
    }
    expect(reply!.content).to.contain(`<font color="comment">聊天数：</font>**${chats}**`);
    expect(reply!.content).to.contain(`<font color="comment">新增客户：</font>**${contacts}**`);
    expect(reply!.content).to.match(/`[▁▂▃▄▅▆▇█]{60}`/);
    const [hant] = await chat.as('lisi').say(`/統計 zhangsan --from ${day(6)} --to ${day(0)}`);
    expect(hant!.content).to.contain('客戶聯絡資料').and.contain('回覆率');
  });

  it('统计 refuses dates older than 180 days before any call; 统计 群 by owner and by day', async () => {
    const [old] = await chat.as('lisi').say(`/统计 --from ${day(200)} --to ${day(190)}`);
    expect(old!.content).to.contain('只保留最近 180 天');
    expect(chat.sim.calls('externalcontact/get_user_behavior_data')).to.have.length(0);
    const [owners] = await chat.as('lisi').say(`/统计 群 --owner zhangsan,wangwu --from ${day(40)} --to ${day(0)}`);
    expect(owners!.content).to.contain('客户群数据：2 位群主').and.contain('**zhangsan**');
    expect(chat.sim.calls('externalcontact/groupchat/statistic')).to.have.length(2);
    const [byDay] = await chat.as('lisi').say(`/統計 群 --from ${day(6)} --to ${day(0)} --by day`);
    expect(byDay!.content).to.contain('客戶群每日資料');
    const [staff] = await chat.as('zhaoliu').say(`/统计 --from ${day(6)} --to ${day(0)}`);
    expect(staff!.content).to.contain('没有权限');
  });
});
