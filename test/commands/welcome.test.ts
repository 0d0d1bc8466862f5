import { expect } from 'chai';
import type { CapturedMessage } from '../../src/simulator/index.js';
import { startChat, type Chat } from '../helpers/chat.js';

const card = (messages: CapturedMessage[]) => {
  const found = messages.find((m) => m.msgtype === 'template_card');
  if (!found) throw new Error(`no card in ${JSON.stringify(messages.map((m) => m.content))}`);
  return found;
};

describe('/欢迎语 (welcome)', () => {
  let chat: Chat;
  beforeEach(async () => {
    chat = await startChat({ admins: ['zhangsan'], managers: ['lisi'] });
  });
  afterEach(() => chat.close());

  it('sends the member’s welcome message on add_external_contact within 20 s, even while a long job runs; a redelivery sends nothing', async () => {
    const [set] = await chat.as('zhangsan').say('/欢迎语 设置 --text 「您好，欢迎！」');
    expect(set!.content).to.contain('已设置默认欢迎语');
    await chat.as('zhangsan').say('/歡迎語 設定 --user lisi --text 「我是李四」 --link https://example.com --title 介紹');
    const [view] = await chat.as('zhangsan').say('/欢迎语 查看');
    expect(view!.content).to.contain('默认').and.contain('李四（lisi）专属');
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
    expect(cleared!.content).to.contain('已清除 李四（lisi）的欢迎语');
    // The bot's own work is in the audit in words, not as an action id with name=value pairs.
    const customer = chat.sim.corp.welcomesSent[0]!.external_userid;
    await chat.shouldReply('zhangsan', '/审计 --limit 30', ['**机器人** 给 李四（lisi）的新客户', customer], ['welcome.send', 'member=', 'sys']);
    await chat.shouldReply('zhangsan', '/audit --limit 30', ["welcome message to 李四 (lisi)'s new customer", '**the bot**'], ['welcome.send']);
  });

  it('refuses a welcome for someone who cannot receive customers, before storing anything', async () => {
    await chat.shouldReply('zhangsan', '/欢迎语 设置 --user nobody --text 你好', ['nobody 不是开通了客户联系的在职成员', '/成员']);
    await chat.shouldReply('zhangsan', '/欢迎语 查看', '还没有设置欢迎语');
  });

  it('names a link without its title, or one that is not http(s), by their labels in each script, and stores nothing', async () => {
    await chat.shouldReply('zhangsan', '/欢迎语 设置 --text 你好 --link https://example.com', ['给了 链接（--link）时也需要 链接标题（--title）', '用法']);
    await chat.shouldReply('zhangsan', '/歡迎語 設定 --text 你好 --link https://example.com', '給了 連結（--link）時也需要 連結標題（--title）');
    await chat.shouldReply('zhangsan', '/welcome set --text hi --link https://example.com', 'link (--link) needs link title (--title) too');
    await chat.shouldReply('zhangsan', '/欢迎语 设置 --text 你好 --link ftp://x --title 介绍', '链接（--link）需要 http 或 https 链接，收到的是“ftp://x”');
    await chat.shouldReply('zhangsan', '/欢迎语 查看', '还没有设置欢迎语');
  });

  it('welcomes a half-added customer too (add_half_external_contact carries a welcome code)', async () => {
    await chat.as('zhangsan').say('/欢迎语 设置 --text 欢迎您');
    const { welcomeCode } = await chat.sim.addExternalContact('wangwu', { half: true });
    await chat.bot.worker.onIdle();
    expect(chat.sim.corp.welcomesSent.map((w) => w.welcome_code)).to.include(welcomeCode);
  });

  it('records a welcome message WeCom refused (41051) in the audit log, without retrying', async () => {
    await chat.as('zhangsan').say('/welcome set --text hi');
    chat.sim.faults = { errcodeRates: { 41051: 1 }, paths: /send_welcome_msg/ };
    await chat.sim.addExternalContact('lisi');
    await chat.bot.worker.onIdle();
    expect(chat.sim.calls('externalcontact/send_welcome_msg')).to.have.length(1);
    const [log] = await chat.as('zhangsan').say('/audit --user sys');
    expect(log!.content).to.contain("**the bot** welcome message to 李四 (lisi)'s new customer").and.contain('errcode 41051').and.not.contain('welcome.send');
  });

  it('with 会话存档: the code of the add is refused until the customer agrees (41053), and the welcome goes with msg_audit_approved', async () => {
    await chat.as('zhangsan').say('/欢迎语 设置 --text 您好，欢迎！');
    chat.sim.corp.welcome.archiveConsent = true;
    const { externalUserId } = await chat.sim.addExternalContact('lisi');
    await chat.bot.worker.onIdle();
    expect(chat.sim.calls('externalcontact/send_welcome_msg').map((c) => c.errcode)).to.deep.equal([41053]);
    expect(chat.sim.corp.welcomesSent).to.have.length(0);
    const { welcomeCode } = await chat.sim.approveArchive('lisi', externalUserId);
    await chat.bot.worker.onIdle();
    expect(chat.sim.corp.welcomesSent.map((w) => [w.welcome_code, w.text?.content])).to.deep.equal([[welcomeCode, '您好，欢迎！']]);
  });

  it('says when the admin console’s own welcome message takes the code (new customers come without one)', async () => {
    await chat.as('zhangsan').say('/欢迎语 设置 --text 您好');
    await chat.shouldReply('zhangsan', '/欢迎语 查看', '您好', ['管理后台多半设置了自己的欢迎语']);
    chat.sim.corp.welcome.consoleWelcome = true;
    await chat.sim.addExternalContact('lisi');
    await chat.sim.addExternalContact('wangwu');
    await chat.bot.worker.onIdle();
    await chat.shouldReply('zhangsan', '/欢迎语 查看', ['最近 2 位新客户添加时，企业微信没有把欢迎语 code 给机器人', '客户联系 → 欢迎语']);
    await chat.shouldReply('zhangsan', '/歡迎語 查看', '管理後臺多半設定了自己的歡迎語');
    // Once codes come again (the console's message was deleted), the note goes.
    chat.sim.corp.welcome.consoleWelcome = false;
    await chat.sim.addExternalContact('lisi');
    await chat.bot.worker.onIdle();
    await chat.shouldReply('zhangsan', '/welcome view', 'Welcome messages', ['admin console most likely']);
  });

  it('another app that uses a code first (41051) is recorded, not retried', async () => {
    await chat.as('zhangsan').say('/欢迎语 设置 --text 您好');
    chat.sim.corp.welcome.otherAppFirst = true;
    await chat.sim.addExternalContact('lisi');
    await chat.bot.worker.onIdle();
    expect(chat.sim.calls('externalcontact/send_welcome_msg').map((c) => c.errcode)).to.deep.equal([41051]);
  });
});
