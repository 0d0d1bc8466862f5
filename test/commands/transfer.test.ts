import { expect } from 'chai';
import type { ButtonInteractionCard } from '../../src/wecom/index.js';
import type { CapturedMessage } from '../../src/simulator/index.js';
import { startChat, textOf, type Chat } from '../helpers/chat.js';
import { redisPrefix, redisUrl, tempSqliteUrl } from '../helpers/stores.js';
import { JOBS } from '../../src/bot/jobs.js';
import type { JobRecord } from '../../src/bot/command.js';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('commands: /转接', () => {
  let chat: Chat;
  let cleanup: (() => void) | undefined;
  afterEach(async () => {
    await chat.close();
    cleanup?.();
  });

  const open = (opts: Parameters<typeof startChat>[0] = {}) => startChat({ admins: ['zhangsan'], managers: ['lisi'], ...opts });
  const card = (messages: CapturedMessage[]) => {
    const found = messages.find((m) => m.msgtype === 'template_card');
    if (!found) throw new Error(`no card in ${JSON.stringify(messages.map((m) => m.content))}`);
    return found;
  };

  it('transfers named customers of a member in service after confirmation, with per-customer reasons', async () => {
    chat = await open();
    const ids = chat.sim.corp
      .customersOf('wangwu')
      .slice(0, 2)
      .map((f) => f.external_userid);
    // A customer who is not the member's is refused before any card.
    await chat.shouldReply(
      'zhangsan',
      `/转接 ${ids.join(',')},wmNOPE --from wangwu --to zhaoliu`,
      ['有 1 位客户不是 wangwu 的客户：wmNOPE', '/客户 wangwu'],
      ['确认'],
    );
    // Another's transfer of one of them already waits (started outside the bot): WeCom answers 40129 for it.
    const other = chat.sim.corp.customersOf('wangwu')[2]!.external_userid;
    chat.sim.corp.transfers.push({ kind: 'onjob', handover: 'wangwu', takeover: 'lisi', external_userid: other, status: 2, createdAt: chat.sim.clock.now() });
    const plan = card(await chat.as('zhangsan').say(`/转接 ${[...ids, other].join(',')} --from wangwu --to zhaoliu --msg 「您好，由赵六继续为您服务」`));
    expect(plan.card!.main_title!.title, 'a short title; the members are in the fields').to.equal('转接 3 位客户');
    expect(plan.card!.horizontal_content_list!.map((h) => h.value)).to.include.members(['3', '王五（wangwu）', '赵六（zhaoliu）']);
    expect(plan.card!.horizontal_content_list!.map((h) => h.value)).to.include('在职继承');
    expect(chat.sim.calls('externalcontact/transfer_customer')).to.have.length(0);
    const [result] = await chat.as('zhangsan').click(plan, 'confirm');
    expect(result!.content).to.contain('成功 2 位，失败 1 位').and.contain('这位客户已在转接中').and.contain(other);
    expect(chat.sim.calls('externalcontact/transfer_customer')[0]!.body).to.deep.include({ handover_userid: 'wangwu', takeover_userid: 'zhaoliu' });
    const [waiting] = await chat.as('zhangsan').say('/转接 结果 --from wangwu --to zhaoliu');
    expect(waiting!.content).to.contain('等待接替').and.contain('共 2 位');
    chat.sim.clock.advance(24 * 3600_000 + 1000); // WeCom takes them over a day later
    const [status] = await chat.as('zhangsan').say('/转接 结果 --from wangwu --to zhaoliu');
    expect(status!.content).to.contain('接替完毕').and.contain('共 2 位');
    const [hant] = await chat.as('zhangsan').say('/轉接 結果 --from wangwu --to zhaoliu');
    expect(hant!.content).to.contain('接替完畢').and.contain('共 2 位');
    const [log] = await chat.as('zhangsan').say('/审计 --limit 5');
    expect(log!.content).to.contain('--from wangwu --to zhaoliu --msg "（已隐去，12 字）"').and.not.contain('由赵六继续为您服务');
  });

  it('sends a resigned member’s customers through resigned/transfer_customer (zh-Hant)', async () => {
    chat = await open();
    const id = chat.sim.corp.customersOf('zhouba')[0]!.external_userid;
    const plan = card(await chat.as('zhangsan').say(`/轉接 ${id} --from zhouba --to lisi`));
    expect(textOf(plan)).to.contain('轉接 1 位客戶').and.contain('原成員: zhouba').and.contain('接替成員: 李四（lisi）');
    expect(plan.card!.horizontal_content_list!.map((h) => h.value)).to.include('離職繼承');
    const [result] = await chat.as('zhangsan').click(plan, 'confirm');
    expect(result!.content).to.contain('成功 1 位');
    expect(chat.sim.calls('externalcontact/resigned/transfer_customer')).to.have.length(1);
    expect(chat.sim.calls('externalcontact/transfer_customer')).to.have.length(0);
  });

  it('checks both members before any card: --to must be in service with customer contact, --from in service or resigned with customers', async () => {
    chat = await open();
    const before = chat.sim.requests.filter((r) => r.path.includes('transfer')).length;
    await chat.shouldReply('zhangsan', '/转接 全部 --from zhaoliu --to nobody', '接替成员 nobody 不是开通了客户联系的在职成员', ['确认执行']);
    await chat.shouldReply('zhangsan', '/转接 全部 --from zhaoliu --to zhouba', '接替成员 zhouba 不是开通了客户联系的在职成员'); // resigned
    await chat.shouldReply('zhangsan', '/轉接 全部 --from nobody --to lisi', 'nobody 既不是開通了客戶聯絡的在職成員');
    await chat.shouldReply('zhangsan', '/transfer all --from zhangsan --to ZhangSan', 'must differ');
    expect(chat.sim.captures.messages.filter((m) => m.msgtype === 'template_card')).to.have.length(0);
    expect(chat.sim.requests.filter((r) => r.path.includes('transfer')).length).to.equal(before);
  });

  it('sends a resigned member’s customers once: a second 转接 全部 the same day sends none and says they are in transfer', async () => {
    chat = await open();
    const waiting = chat.sim.corp.customersOf('zhouba').length;
    const plan = card(await chat.as('zhangsan').say('/转接 全部 --from zhouba --to lisi'));
    await chat.as('zhangsan').click(plan, 'confirm');
    await chat.bot.bot.jobsIdle();
    const sent = chat.sim.calls('externalcontact/resigned/transfer_customer').length;
    // WeCom still lists them as unassigned until the takeover; the bot remembers they are in transfer.
    await chat.shouldReply('zhangsan', '/转接 全部 --from zhouba --to wangwu', [`zhouba 的 ${waiting} 位客户都已在转接中`, '/转接 结果'], ['确认执行']);
    // /离职 no longer counts them as waiting for assignment; what is left of zhouba is the group chat he owned.
    const chats = [...chat.sim.corp.groupChats.values()].filter((c) => c.owner === 'zhouba' && c.status === 1).length;
    await chat.shouldReply(
      'zhangsan',
      '/離職',
      [`1 人，共 ${chats} 個客戶群`, `另有 ${waiting} 位客戶已在轉接中`, '/轉接 群 全部 --from zhouba'],
      [`${waiting} 位客戶，`],
    );
    expect(chat.sim.calls('externalcontact/resigned/transfer_customer')).to.have.length(sent);
    // /转接 结果 names the customers waiting, a page at a time, in each script.
    const first = chat.sim.corp.customersOf('zhouba')[0]!;
    const name = chat.sim.corp.customers.get(first.external_userid)!.name;
    const pages = Math.ceil(waiting / 20);
    await chat.shouldReply(
      'zhangsan',
      '/转接 结果 --from zhouba --to lisi',
      [`**${name}** \`${first.external_userid}\``, `第 1/${pages} 页`, '/转接 结果 --from zhouba --to lisi --page 2'],
      ['还有'],
    );
    await chat.shouldReply('zhangsan', `/轉接 結果 --from zhouba --to lisi --page ${pages}`, [`第 ${pages}/${pages} 頁`]);
    await chat.shouldReply('zhangsan', '/transfer result --from zhouba --to lisi --page 99', `${pages}`);
  });

  it('the newest card wins: an older card on the same member is retired, says so, and runs nothing', async () => {
    chat = await open();
    const older = card(await chat.as('zhangsan').say('/转接 全部 --from zhouba --to lisi'));
    const newer = card(await chat.as('zhangsan').say('/转接 全部 --from zhouba --to wangwu'));
    // The older card's buttons now read "replaced".
    const olderUpdates = chat.sim.captures.cardUpdates.filter((u) => u.replace_name === '已被新卡片取代');
    expect(olderUpdates).to.have.length(1);
    // The newer card runs; confirming the older one afterwards (by click or code) runs nothing and says why.
    await chat.as('zhangsan').click(newer, 'confirm');
    await chat.bot.bot.jobsIdle();
    const sent = chat.sim.calls('externalcontact/resigned/transfer_customer');
    expect(sent.length).to.be.greaterThan(0);
    expect(sent.every((c) => c.body.takeover_userid === 'wangwu')).to.equal(true);
    const [clicked] = await chat.as('zhangsan').click(older, 'confirm');
    expect(clicked!.content).to.contain('已被新的确认卡片').and.contain('没有执行');
    await chat.shouldReply('zhangsan', `/确认 ${/([A-Z2-9]{6})/.exec(JSON.stringify(older.card))![1]}`, '已被新的确认卡片');
    expect(chat.sim.calls('externalcontact/resigned/transfer_customer')).to.have.length(sent.length);
    const [audit] = await chat.as('zhangsan').say('/审计 --limit 10');
    expect(audit!.content).to.contain('已取消').and.contain('被同一事项更新的确认卡片取代').and.not.contain('superseded');
  });

  it('re-checks a confirmed card before running it: customers that moved since are reported, nothing is sent', async () => {
    chat = await open();
    const ids = chat.sim.corp
      .customersOf('wangwu')
      .slice(0, 2)
      .map((f) => f.external_userid);
    const plan = card(await chat.as('zhangsan').say(`/转接 ${ids.join(',')} --from wangwu --to zhaoliu`));
    // Meanwhile someone moved one of them in the admin console.
    chat.sim.corp.removeFollow('wangwu', ids[0]!);
    const [result] = await chat.as('zhangsan').click(plan, 'confirm');
    expect(result!.content).to.contain('情况有变，这次没有执行').and.contain(ids[0]!).and.contain('请重新发起 /转接');
    expect(chat.sim.calls('externalcontact/transfer_customer')).to.have.length(0);
  });

  it('is admin only: a manager is denied before any card', async () => {
    chat = await open();
    const replies = await chat.as('lisi').say('/转接 全部 --from zhouba --to lisi');
    expect(replies).to.have.length(1);
    expect(replies[0]!.content).to.contain('没有权限');
  });

  it('refuses bad input before any API call: same member, a too-long message', async () => {
    chat = await open();
    const [same] = await chat.as('zhangsan').say('/转接 wm1 --from wangwu --to wangwu');
    expect(same!.content).to.contain('不能是同一个人');
    const [long] = await chat.as('zhangsan').say(`/转接 wm1 --from wangwu --to lisi --msg ${'字'.repeat(201)}`);
    expect(long!.content).to.contain('给客户的消息（--msg）最多 200 个字');
    expect(chat.sim.requests.filter((r) => r.path.startsWith('externalcontact/'))).to.have.length(0);
  });

  it('转接 全部 of 2,300 customers: 23 transfer calls, progress lines, and a summary', async () => {
    chat = await open();
    chat.sim.corp.addMember({ userid: 'bigsales', name: '大客户经理', department: [1], status: 'active' });
    chat.sim.corp.addCustomersTo('bigsales', 2300);
    const plan = card(await chat.as('zhangsan').say('/转接 全部 --from bigsales --to lisi'));
    expect(textOf(plan)).to.contain('转接全部 2300 位客户').and.contain('原成员: 大客户经理（bigsales）');
    expect(plan.card!.horizontal_content_list!.map((h) => h.value)).to.include.members(['2300', '大客户经理（bigsales）', '李四（lisi）']);
    const seq = chat.sim.captures.lastSeq;
    await chat.as('zhangsan').click(plan, 'confirm');
    await chat.bot.bot.jobsIdle();
    const said = chat.sim.captures.messages.filter((m) => m.seq > seq && m.touser.includes('zhangsan')).map((m) => m.content ?? '');
    expect(said[0]).to.contain('开始转接 2300 位客户（23 批）');
    // At least every tenth of the 23 batches.
    expect(said.filter((s) => s.includes('转接进度'))).to.have.length.at.least(9);
    expect(said.at(-1)).to.contain('成功 2300 位，失败 0 位');
    const calls = chat.sim.calls('externalcontact/transfer_customer');
    expect(calls).to.have.length(23);
    const sent = calls.flatMap((c) => c.body.external_userid as string[]);
    expect(new Set(sent).size).to.equal(2300);
    // One list for the card, one to re-check the plan at confirmation.
    expect(chat.sim.calls('externalcontact/list').filter((c) => c.query.userid === 'bigsales')).to.have.length(2);
  });

  it('转接 全部 where 1,900 of 2,000 fail: the summary counts them in one message, names five, and reads no page of customers', async () => {
    chat = await open();
    chat.sim.corp.addMember({ userid: 'bigsales', name: '大客户经理', department: [1], status: 'active' });
    chat.sim.corp.addCustomersTo('bigsales', 2000);
    // lisi has room for 100 more customers: the other 1,900 are refused (40099).
    chat.sim.corp.members.get('lisi')!.customerLimit = chat.sim.corp.customerCount('lisi') + 100;
    const plan = card(await chat.as('zhangsan').say('/转接 全部 --from bigsales --to lisi'));
    const seq = chat.sim.captures.lastSeq;
    await chat.as('zhangsan').click(plan, 'confirm');
    await chat.bot.bot.jobsIdle();
    const pagesBefore = chat.sim.calls('externalcontact/batch/get_by_user').length;
    const summary = chat.sim.captures.messages.filter((m) => m.seq > seq && m.touser.includes('zhangsan')).at(-1)!;
    expect(summary.content).to.contain('成功 100 位，失败 1900 位').and.contain('1900 位').and.contain('errcode 40099');
    expect(Buffer.byteLength(summary.content!, 'utf8')).to.be.at.most(2048);
    expect((summary.content!.match(/`w[mo]/g) ?? []).length, 'five customers named').to.equal(5);
    expect(chat.sim.calls('externalcontact/batch/get_by_user').length - pagesBefore).to.equal(0);
  });

  it('resumes 转接 全部 after a restart on the same SQLite file without sending any batch twice', async function () {
    this.timeout(30_000);
    const db = tempSqliteUrl();
    cleanup = db.cleanup;
    chat = await open({ storeUrl: db.url });
    chat.sim.corp.addMember({ userid: 'bigsales', name: '大客户经理', department: [1], status: 'active' });
    chat.sim.corp.addCustomersTo('bigsales', 2300);
    const plan = card(await chat.as('zhangsan').say('/转接 全部 --from bigsales --to lisi'));
    chat.sim.faults = { latencyMs: 60, paths: /transfer_customer/ };
    await chat.as('zhangsan').click(plan, 'confirm');
    while (chat.sim.calls('externalcontact/transfer_customer').length < 6) await wait(10);
    await chat.restart();
    const atRestart = chat.sim.calls('externalcontact/transfer_customer').length;
    expect(atRestart).to.be.lessThan(23);
    await chat.bot.bot.jobsIdle();
    const calls = chat.sim.calls('externalcontact/transfer_customer');
    expect(calls).to.have.length(23);
    const sent = calls.flatMap((c) => c.body.external_userid as string[]);
    expect(sent).to.have.length(2300);
    expect(new Set(sent).size).to.equal(2300);
    const summary = chat.sim.captures.to('zhangsan').at(-1)!;
    expect(summary.content).to.contain('成功 2300 位，失败 0 位');
  });

  it('allows one transfer job per handover member at a time', async () => {
    chat = await open();
    chat.sim.corp.addMember({ userid: 'bigsales', name: '大客户经理', department: [1], status: 'active' });
    chat.sim.corp.addCustomersTo('bigsales', 400);
    const first = card(await chat.as('zhangsan').say('/转接 全部 --from bigsales --to lisi'));
    // The job's first batches are slow: a second card proposed and confirmed meanwhile finds the job still running.
    chat.sim.faults = { latencyMs: 800, paths: /transfer_customer/ };
    await chat.as('zhangsan').click(first, 'confirm');
    const second = card(await chat.as('zhangsan').say('/轉接 全部 --from bigsales --to wangwu'));
    expect(textOf(second)).to.contain('轉接全部 400 位客戶').and.contain('原成員: 大客户经理（bigsales）');
    expect(second.card!.horizontal_content_list!.map((h) => h.value)).to.include('400');
    const [refused] = await chat.as('zhangsan').click(second, 'confirm');
    expect(refused!.content)
      .to.contain('bigsales 的轉接任務正在進行')
      .and.match(/已完成 [0-3]\/4 批/);
    await chat.bot.bot.jobsIdle();
  });

  it('says a transfer job whose instance died is being taken over, not "in progress", and the instance asked takes it over at once (issue 26)', async function () {
    const url = redisUrl();
    if (!url) return this.skip();
    this.timeout(20_000);
    const { prefix, wipe } = redisPrefix();
    cleanup = () => void wipe(url);
    chat = await open({ storeUrl: url, env: { STORE_PREFIX: prefix } });
    chat.sim.corp.addMember({ userid: 'bigsales', name: '大客户经理', department: [1], status: 'active' });
    const ids = chat.sim.corp.addCustomersTo('bigsales', 400);
    // Another instance on this Redis died running bigsales's job after its first batch: its lease has lapsed, and
    // the look for dead instances' jobs (every 10 s) has not come yet.
    const now = Date.now();
    const state = { from: 'bigsales', to: 'lisi', kind: 'onjob', ids, done: [0], inflight: [], ok: 100, failed: [], lastProgressAt: now };
    const job = {
      id: 'transfer-all-dead',
      type: 'transfer-all',
      user: 'zhangsan',
      locale: 'zh-Hans',
      state,
      status: 'running',
      leaseUntil: now - 1000,
      createdAt: now,
      updatedAt: now,
    };
    await chat.bot.store.namespace(JOBS).set(job.id, job as JobRecord);
    await chat.bot.store.claim('job:transfer:bigsales', 3600_000);
    const plan = card(await chat.as('zhangsan').say('/转接 全部 --from bigsales --to wangwu'));
    const [told] = await chat.as('zhangsan').click(plan, 'confirm');
    expect(told!.content).to.contain('bigsales 的转接任务所在的机器人实例停止了，现在由这个实例接手（已完成 1/4 批）');
    expect(told!.content).not.to.contain('正在进行');
    await chat.sim.captures.waitForMessage((m) => m.touser.includes('zhangsan') && (m.content ?? '').includes('成功 400 位'), 15_000);
    // The rest of the dead instance's job, once: batches 2 to 4, to the member it named.
    const sent = chat.sim.calls('externalcontact/transfer_customer').filter((c) => c.errcode === 0);
    expect(sent.every((c) => c.body.takeover_userid === 'lisi')).to.equal(true);
    expect(sent.flatMap((c) => c.body.external_userid as string[])).to.have.members(ids.slice(100));
  });

  it('reports a bulk job that fails on a WeCom error and frees the member for a new job', async () => {
    chat = await open();
    chat.sim.corp.addMember({ userid: 'bigsales', name: '大客户经理', department: [1], status: 'active' });
    chat.sim.corp.addCustomersTo('bigsales', 250);
    const plan = card(await chat.as('zhangsan').say('/转接 全部 --from bigsales --to lisi'));
    chat.sim.faults = { errcodeRates: { 40058: 1 }, paths: /transfer_customer/ };
    await chat.as('zhangsan').click(plan, 'confirm');
    await chat.bot.bot.jobsIdle();
    expect(chat.sim.captures.to('zhangsan').at(-1)!.content).to.contain('转接任务出错中止：已提交 0/250 位');
    chat.sim.faults = {};
    const again = card(await chat.as('zhangsan').say('/转接 全部 --from bigsales --to lisi'));
    await chat.as('zhangsan').click(again, 'confirm');
    await chat.bot.bot.jobsIdle();
    expect(chat.sim.captures.to('zhangsan').at(-1)!.content).to.contain('成功 250 位');
  });

  it('转接 群 moves a resigned owner’s chats; a chat of an owner in service is retried in service; 90501 is explained', async () => {
    chat = await open();
    const resignedChats = [...chat.sim.corp.groupChats.values()].filter((c) => c.owner === 'zhouba').map((c) => c.chat_id);
    const plan = card(await chat.as('zhangsan').say('/转接 群 全部 --from zhouba --to lisi'));
    expect(textOf(plan)).to.contain(`转接 ${resignedChats.length} 个客户群`).and.contain('接替成员: 李四（lisi）').and.contain('方式: 离职继承');
    const [done] = await chat.as('zhangsan').click(plan, 'confirm');
    expect(done!.content).to.contain(`成功 ${resignedChats.length} 个，失败 0 个`);
    expect(chat.sim.calls('externalcontact/groupchat/transfer')).to.have.length(1);
    const internal = [...chat.sim.corp.groupChats.values()].find((c) => !c.external)!.chat_id;
    const plan2 = card(await chat.as('zhangsan').say(`/轉接 群 ${internal} --from zhangsan --to wangwu`));
    const [failed] = await chat.as('zhangsan').click(plan2, 'confirm');
    expect(failed!.content).to.contain('這不是客戶群').and.contain('90501');
  });

  it('转接 群 全部 leaves out a group of colleagues only, and says so on the card, in each script', async () => {
    chat = await open();
    // zhangsan owns the corp's internal group (colleagues only) and customer groups.
    const customerChats = [...chat.sim.corp.groupChats.values()].filter((c) => c.owner === 'zhangsan' && c.external).length;
    const plan = card(await chat.as('zhangsan').say('/转接 群 全部 --from 张三 --to 李四'));
    expect(textOf(plan)).to.contain(`转接 ${customerChats} 个客户群`).and.contain('跳过: 1 个内部群');
    const [done] = await chat.as('zhangsan').click(plan, 'confirm');
    expect(done!.content).to.contain(`成功 ${customerChats} 个，失败 0 个`).and.contain('新群主 李四（lisi）').and.not.contain('90501');
    // What is left is the internal group alone: nothing to hand over, said so.
    await chat.shouldReply('zhangsan', '/轉接 群 全部 --from 張三 --to 王五', '張三（zhangsan）的 1 個群都是同事之間的內部群'.replace('張三', '张三'), [
      '90501',
      '86003',
    ]);
    await chat.shouldReply('zhangsan', '/transfer groups all --from zhangsan --to wangwu', 'internal group of colleagues', ['90501', '86003']);
  });

  it('a customer who refuses: WeCom’s transfer_fail ends “in transfer”, tells whoever started it which customer and why, and a retry is taken at once', async () => {
    chat = await open();
    const id = chat.sim.corp.customersOf('wangwu')[0]!.external_userid;
    const name = chat.sim.corp.customers.get(id)!.name;
    chat.sim.corp.refusing.add(id);
    const plan = card(await chat.as('zhangsan').say(`/转接 ${id} --from wangwu --to zhaoliu`));
    await chat.as('zhangsan').click(plan, 'confirm');
    await chat.shouldReply('zhangsan', `/转接 ${id} --from wangwu --to lisi`, '都已在转接中');
    // A day later WeCom settles it: the customer refused, and WeCom calls back with transfer_fail.
    const seq = chat.sim.captures.lastSeq;
    chat.sim.clock.advance(24 * 3600_000 + 1000);
    await chat.sim.eventsSent();
    await chat.bot.worker.onIdle();
    const notice = chat.sim.captures.messages.find((m) => m.seq > seq);
    expect(notice!.touser).to.deep.equal(['zhangsan']);
    expect(notice!.content).to.contain(`客户 ${name}（${id}）转接失败（成员 赵六（zhaoliu））`);
    expect(notice!.content).to.contain('客户拒绝了接替').and.contain('王五（wangwu） → 赵六（zhaoliu）').and.contain('这位客户已不在转接中');
    expect(chat.sim.corp.transfers.find((t) => t.external_userid === id)!.status).to.equal(3);
    // No longer in transfer: a new transfer is proposed at once, not refused for 25 hours.
    const retry = card(await chat.as('zhangsan').say(`/转接 ${id} --from wangwu --to lisi`));
    expect(textOf(retry)).to.contain('转接 1 位客户');
  });

  it('after a takeover, the takeover’s add_external_contact greets no one, and the customer may be transferred again', async () => {
    chat = await open();
    await chat.as('zhangsan').say('/欢迎语 设置 --text 新客户您好');
    const id = chat.sim.corp.customersOf('wangwu')[0]!.external_userid;
    await chat.as('zhangsan').click(card(await chat.as('zhangsan').say(`/转接 ${id} --from wangwu --to zhaoliu`)), 'confirm');
    chat.sim.clock.advance(24 * 3600_000 + 1000);
    await chat.sim.eventsSent();
    await chat.bot.worker.onIdle();
    // WeCom sent add_external_contact (zhaoliu) and del_external_contact DELETE_BY_TRANSFER (wangwu): nothing to say.
    expect(chat.sim.corp.welcomesSent).to.have.length(0);
    // Even a code with it is not a new customer's.
    await chat.sim.addExternalContact('zhaoliu', { externalUserId: id });
    await chat.bot.worker.onIdle();
    expect(chat.sim.corp.welcomesSent, 'a transferred customer is not greeted as new').to.have.length(0);
    expect(textOf(card(await chat.as('zhangsan').say(`/转接 ${id} --from zhaoliu --to lisi`)))).to.contain('转接 1 位客户');
  });

  it('a member in service outside the app’s range, without 客户联系, or not activated is never called resigned or unknown', async () => {
    chat = await open();
    chat.sim.corp.app.visibleDepartments = [3, 4];
    chat.sim.corp.app.visibleUsers = ['zhangsan'];
    // lisi is in department 2, outside the range.
    await chat.shouldReply('zhangsan', '/转接 全部 --from wangwu --to lisi', '接替成员 lisi 在职，但不在应用的可见范围里', ['离职', '不是开通了客户联系']);
    await chat.shouldReply('zhangsan', '/转接 全部 --from lisi --to wangwu', 'lisi 在职，但不在应用的可见范围里，机器人读不到他的客户', ['离职成员']);
    chat.sim.corp.app.visibleDepartments = undefined;
    chat.sim.corp.app.visibleUsers = undefined;
    chat.sim.corp.members.get('zhaoliu')!.customerContact = false;
    await chat.shouldReply('zhangsan', '/transfer all --from wangwu --to zhaoliu', 'is in service but has no customer contact, so cannot take customers over');
    await chat.shouldReply('zhangsan', '/轉接 全部 --from zhaoliu --to wangwu', 'zhaoliu 在職，但沒有開通客戶聯絡');
    chat.sim.corp.members.get('zhaoliu')!.customerContact = true;
    chat.sim.corp.members.get('zhaoliu')!.activated = false;
    await chat.shouldReply('zhangsan', '/转接 全部 --from wangwu --to zhaoliu', '接替成员 zhaoliu 还没有激活企业微信');
    expect(chat.sim.calls('externalcontact/transfer_customer')).to.have.length(0);
  });

  it('counts and explains every per-customer refusal in the summary, naming the customers: unverified takeover (40098), no room (40099)', async () => {
    chat = await open();
    const ids = chat.sim.corp
      .customersOf('wangwu')
      .slice(0, 3)
      .map((f) => f.external_userid);
    chat.sim.corp.members.get('zhaoliu')!.verified = false;
    const [unverified] = await chat.as('zhangsan').click(card(await chat.as('zhangsan').say(`/转接 ${ids.join(',')} --from wangwu --to zhaoliu`)), 'confirm');
    expect(unverified!.content)
      .to.contain('成功 0 位，失败 3 位')
      .and.contain('3 位客户：接替成员还没有激活企业微信或没有完成实名认证')
      .and.contain('errcode 40098');
    expect(unverified!.content).to.contain(chat.sim.corp.customers.get(ids[0]!)!.name);
    chat.sim.corp.members.get('lisi')!.customerLimit = chat.sim.corp.customerCount('lisi') + 1;
    const [full] = await chat.as('zhangsan').click(card(await chat.as('zhangsan').say(`/transfer ${ids.join(',')} --from wangwu --to lisi`)), 'confirm');
    expect(full!.content)
      .to.contain('1 accepted, 2 failed')
      .and.contain('2 customers: The taking-over member has reached the customer limit')
      .and.contain('errcode 40099');
  });

  it('a resigned member with group chats and no customers is someone to hand over: /离职 lists them, /转接 says how, the picker offers them', async () => {
    chat = await open();
    await chat.as('lisi').say('/成员'); // the bot reads the contacts while 孙七 is still in them
    const member = chat.sim.corp.resign('sunqi');
    for (const f of chat.sim.corp.customersOf('sunqi')) chat.sim.corp.removeFollow('sunqi', f.external_userid);
    const chats = [...chat.sim.corp.groupChats.values()].filter((c) => c.owner === 'sunqi' && c.external).length;
    expect(chats).to.be.greaterThan(0);
    await chat.shouldReply('lisi', '/离职', [`**孙七（sunqi）** ${chats} 个客户群`, '转接这些客户需要管理员']);
    await chat.shouldReply('zhangsan', '/离职', ['/转接 全部 --from zhouba --to ＜接替成员＞', '/转接 群 全部 --from zhouba --to ＜新群主＞']);
    await chat.shouldReply(
      'zhangsan',
      '/转接 全部 --from sunqi --to lisi',
      `sunqi 已离职，没有等待分配的客户，但有 ${chats} 个客户群等待新群主：发送 /转接 群 全部 --from sunqi --to lisi`,
    );
    await chat.shouldReply('zhangsan', '/transfer all --from sunqi --to lisi', `but ${chats} group chat`);
    // /转接 群 with no member: the owners whose chats wait are offered, with their count.
    const asked = await chat.as('zhangsan').say('/转接 群 全部');
    expect(asked.map(textOf).join('\n')).to.contain(`孙七 · ${chats} 群`);
    await chat.as('zhangsan').say('sunqi');
    const plan = card(await chat.as('zhangsan').say('lisi'));
    const [done] = await chat.as('zhangsan').click(plan, 'confirm');
    expect(done!.content).to.contain(`成功 ${chats} 个，失败 0 个`);
    expect(chat.sim.calls('externalcontact/groupchat/transfer')).to.have.length(1);
    expect(member.status).to.equal('resigned');
  });

  it('takes members by name: 转接 全部 --from 周八 --to 李四 proposes the transfer, even once 周八 has left the contacts', async () => {
    chat = await open({ sim: { resigned: 0 } });
    // The bot reads the contacts while 周八 is still there; WeCom removes a member who resigns from them.
    await chat.shouldReply('zhangsan', '/成员', ['周八', 'zhouba']);
    const member = chat.sim.corp.members.get('zhouba')!;
    member.status = 'resigned';
    member.dimissionTime = Math.floor(Date.now() / 1000) - 86400;
    const plan = card(await chat.as('zhangsan').say('/转接 全部 --from 周八 --to 李四'));
    expect(textOf(plan)).to.contain('周八（zhouba）');
    expect(plan.card!.horizontal_content_list!.map((h) => h.value)).to.include.members(['周八（zhouba）', '李四（lisi）', '离职继承']);
  });

  it('asks instead of failing: /转接 alone leads by buttons to a card in three exchanges', async () => {
    chat = await open();
    const [from] = await chat.as('zhangsan').say('/转接');
    expect(from!.card!.main_title!.title).to.equal('从哪位成员转出？');
    const buttons = (from!.card as ButtonInteractionCard).button_list.map((b) => b.text);
    expect(buttons[0]).to.contain('zhouba').and.contain('36');
    const [to] = await chat.as('zhangsan').click(from!, 'ask:zhouba');
    expect(to!.card!.main_title!.title).to.equal('转给谁？');
    expect(chat.sim.captures.cardUpdates.at(-1)!.replace_name).to.equal('已选：zhouba（36 位）');
    const [plan] = await chat.as('zhangsan').click(to!, 'ask:lisi');
    expect(chat.sim.captures.cardUpdates.at(-1)!.replace_name, 'the pick in words, as its button said').to.equal('已选：李四');
    const [en] = await chat.as('zhangsan').say('/transfer');
    expect(en!.card!.main_title!.title).to.contain('Whose customers');
    expect(textOf(plan!)).to.contain('转接全部 36 位客户').and.contain('原成员: zhouba');
    expect((plan!.card as ButtonInteractionCard).button_list.map((b) => b.key)).to.include('confirm');
  });

  it('asks in each script, takes typed answers by name, and keeps the question across a restart (SQLite)', async function () {
    this.timeout(30_000);
    const db = tempSqliteUrl();
    cleanup = db.cleanup;
    chat = await open({ storeUrl: db.url });
    const [question] = await chat.as('zhangsan').say('/轉接 --to 李四');
    expect(question!.card!.main_title!.title).to.equal('從哪位成員轉出？');
    await chat.restart();
    const [plan] = await chat.as('zhangsan').say('zhouba');
    expect(textOf(plan!)).to.contain('轉接全部').and.contain('原成員: zhouba');
    const [en] = await chat.as('wangwu').say('/transfer all --from zhouba');
    // A member who may not transfer is refused at once, not asked for the rest.
    expect(en!.content).to.contain('Not allowed');
  });
});
