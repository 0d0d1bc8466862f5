import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { defineCommand } from '../../src/bot/command.js';
import type { ButtonInteractionCard } from '../../src/wecom/index.js';
import { loadCommands } from '../../src/bot/registry.js';
import { startChat, textOf, type Chat } from '../helpers/chat.js';
import { heard } from '../fixtures/commands/heard.js';

/**
 * Commands added the way an author adds one: a file in a commands folder and a file per locale, nothing else
 * touched (no registry, store or i18n edit). The bot loads them as it loads `commands/`.
 */
const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
/** Their strings: a locales folder of their own, which the bot that runs them reads beside the project's. */
const extraLocaleDirs = [`${FIXTURES}locales`];
const fixtures = await loadCommands(`${FIXTURES}commands/`);

/** A second handler of the event the fixture's `heard` handles: every handler of an event runs. */
const alsoHears = defineCommand({
  id: 'also-hears',
  names: { 'zh-Hans': '也听', 'zh-Hant': '也聽', en: 'also-hears' },
  actions: [],
  events: {
    external_contact: async (inbound) => {
      heard.push(`also:${inbound.changeType}`);
    },
  },
});
/** An event handler that fails its first run: the failure is recorded, and the other handlers of the event still run. */
let failures = 0;
const failsOnce = defineCommand({
  id: 'fails-once',
  names: { 'zh-Hans': '失败一次', 'zh-Hant': '失敗一次', en: 'fails-once' },
  actions: [],
  events: {
    external_contact: async (inbound) => {
      if (inbound.changeType !== 'del_follow_user' || failures++ > 0) return;
      throw new Error('the first run fails');
    },
  },
});
const extraCommands = [...fixtures, alsoHears, failsOnce];

describe('declarations: typed commands, sub-command lists, events', () => {
  let chat: Chat;
  afterEach(() => chat.close());

  it('runs a typed command, and its parser refuses a missing required option, a wrong choice and a bad number', async () => {
    chat = await startChat({ extraCommands, extraLocaleDirs });
    const me = chat.as('wangwu');
    const [warm] = await me.say('/问候 张三 --tone warm --times 2 --loud');
    expect(textOf(warm!)).to.contain('你好呀，张三你好呀，张三！').and.contain('已经问候了 2 次');
    const [plain] = await me.say('/问候 张三 --tone plain');
    expect(textOf(plain!)).to.contain('你好，张三').and.contain('已经问候了 3 次');
    expect(textOf(plain!)).not.to.contain('！');
    // A required option left out whose values are declared: the bot asks with them as buttons, and a click completes it.
    const [question] = await me.say('/问候 张三');
    expect(question!.msgtype).to.equal('template_card');
    expect(question!.card!.main_title!.title).to.contain('语气');
    expect((question!.card as ButtonInteractionCard).button_list.map((b) => b.text)).to.deep.equal(['warm', 'plain']);
    const [answered] = await me.click(question!, 'ask:plain');
    expect(textOf(answered!)).to.contain('你好，张三');
    // One without declared values: named by its label and flag, with the usage line of the action; typing completes it.
    const [noWho] = await me.say('/greet --tone warm');
    expect(noWho!.content).to.contain('Missing whom.').and.contain('/greet WHOM [--times TIMES] --tone warm|plain [--loud]');
    const [completed] = await me.say('Zhang');
    expect(textOf(completed!)).to.contain('Hi there, Zhang');
    expect(textOf((await me.say('/greet Zhang --tone cold'))[0]!)).to.contain('tone (--tone) can only be warm | plain');
    expect(textOf((await me.say('/問候 張三 --tone warm --times 9'))[0]!)).to.contain('次數（--times）的值 9 超出範圍');
    // /帮助 shows the command from its declaration and its own locale file.
    const [help] = await me.say('/幫助 問候');
    expect(help!.content)
      .to.contain('/問候 ＜對象＞ [--times ＜次數＞] --tone warm|plain [--loud]')
      .and.contain('warm 熱情')
      .and.not.match(/undefined|commands\.greet/);
  });

  it('runs every handler declared for an event, and records what they did', async () => {
    heard.length = 0;
    chat = await startChat({ extraCommands, extraLocaleDirs, admins: ['zhangsan'] });
    await chat.sim.deliver({
      FromUserName: 'sys',
      MsgType: 'event',
      Event: 'change_external_contact',
      ChangeType: 'edit_external_contact',
      UserID: 'wangwu',
      ExternalUserID: 'wmX',
    });
    await chat.bot.worker.onIdle();
    expect([...heard].sort()).to.deep.equal(['also:edit_external_contact', 'heard:edit_external_contact']);
    const [audit] = await chat.as('zhangsan').say('/审计');
    expect(audit!.content).to.contain('**机器人** 处理事件（/听到）').and.not.contain('heard.event');
  });

  it('records an event handler that failed in the audit log, and the other handlers of the event still run once', async () => {
    heard.length = 0;
    failures = 0;
    chat = await startChat({ extraCommands, extraLocaleDirs, admins: ['zhangsan'] });
    const fields = {
      FromUserName: 'sys',
      MsgType: 'event',
      Event: 'change_external_contact',
      ChangeType: 'del_follow_user',
      UserID: 'wangwu',
      ExternalUserID: 'wmY',
    };
    expect(await chat.sim.deliver(fields)).to.deep.equal([200]);
    await chat.bot.worker.onIdle();
    const [audit] = await chat.as('zhangsan').say('/审计 --user sys');
    expect(audit!.content).to.contain('fails-once.event');
    expect(audit!.content).to.contain('失败');
    expect(heard.filter((h) => h === 'heard:del_follow_user')).to.have.length(1);
    expect(heard.filter((h) => h === 'also:del_follow_user')).to.have.length(1);
  });

  it('answers a command that is only sub-commands, typed alone or with an unknown one, with what the member may run', async () => {
    chat = await startChat({ admins: ['zhangsan'], managers: ['lisi'] });
    const [alone] = await chat.as('zhangsan').say('/朋友圈');
    expect(alone!.content).to.contain('/朋友圈 可以这样用').and.contain('/朋友圈 发表').and.contain('/朋友圈 列表').and.contain('/帮助 朋友圈');
    expect(alone!.content).not.to.contain('没有这个命令');
    const [unknown] = await chat.as('zhangsan').say('/朋友圈 foo');
    expect(unknown!.content).to.contain('没有“foo”这一项').and.contain('/朋友圈 任务');
    const [en] = await chat.as('zhangsan').say('/moments');
    expect(en!.content).to.contain('/moments can be used like this').and.contain('/moments publish').and.contain('/help moments');
    const [hant] = await chat
      .as('zhangsan')
      .say('/語言 zh-Hant')
      .then(() => chat.as('zhangsan').say('/朋友圈'));
    expect(hant!.content).to.contain('可以這樣用').and.contain('/幫助 朋友圈');
    // A manager sees what a manager may run, not the admin's publishing.
    const [manager] = await chat.as('lisi').say('/朋友圈');
    expect(manager!.content).to.contain('/朋友圈 列表').and.not.contain('/朋友圈 发表');
  });
});
