import { expect } from 'chai';
import { action, defineCommand, type CommandContext } from '../../src/bot/command.js';
import { startChat, textOf, type Chat } from '../helpers/chat.js';

const heard: string[] = [];

/** A command written the way a command author would: typed declarations, one event handler. */
const greet = defineCommand({
  id: 'greet',
  names: { 'zh-Hans': '问候', 'zh-Hant': '問候', en: 'greet' },
  actions: [
    action({
      role: 'staff',
      args: [{ name: 'who', type: 'string', required: true }],
      options: [
        { name: 'times', type: 'int', min: 1, max: 3 },
        { name: 'tone', type: 'string', required: true, choices: ['warm', 'plain'] },
        { name: 'loud', type: 'flag' },
      ],
      run: async (ctx) => {
        // The types come from the declaration: who and tone are there, times may be absent, loud is a boolean.
        const who: string = ctx.args.who;
        const tone: 'warm' | 'plain' = ctx.args.tone;
        const times: number = ctx.args.times ?? 1;
        const loud: boolean = ctx.args.loud;
        const line = `${tone === 'warm' ? '你好呀' : '你好'}，${who}`.repeat(times);
        return { title: loud ? `${line}！` : line };
      },
    }),
  ],
  events: {
    external_contact: async (inbound) => {
      heard.push(`greet:${inbound.changeType}`);
    },
  },
});

/** A second command handling the same event: both run. */
const count = defineCommand({
  id: 'count',
  names: { 'zh-Hans': '计数', 'zh-Hant': '計數', en: 'count' },
  actions: [action({ role: 'staff', run: async (ctx: CommandContext) => ({ title: `${heard.length}` }) })],
  events: {
    external_contact: async (inbound, events) => {
      heard.push(`count:${inbound.changeType}`);
      await events.record({ userid: 'sys', command: 'count.event', args: {}, decision: 'executed' });
    },
  },
});

describe('declarations: typed commands, sub-command lists, events', () => {
  let chat: Chat;
  afterEach(() => chat.close());

  it('runs a typed command, and its parser refuses a missing required option, a wrong choice and a bad number', async () => {
    chat = await startChat({ extraCommands: [greet, count] });
    const me = chat.as('wangwu');
    expect(textOf((await me.say('/问候 张三 --tone warm --times 2 --loud'))[0]!)).to.contain('你好呀，张三你好呀，张三！');
    expect(textOf((await me.say('/问候 张三 --tone plain'))[0]!)).to.contain('你好，张三').and.not.contain('！');
    expect(textOf((await me.say('/问候 张三'))[0]!)).to.contain('缺少选项 --tone');
    expect(textOf((await me.say('/greet Zhang --tone cold'))[0]!)).to.contain('--tone').and.contain('warm | plain');
    expect(textOf((await me.say('/問候 張三 --tone warm --times 9'))[0]!)).to.contain('超出範圍');
  });

  it('runs every handler declared for an event, and records what they did', async () => {
    heard.length = 0;
    chat = await startChat({ extraCommands: [greet, count], admins: ['zhangsan'] });
    await chat.sim.deliver({ FromUserName: 'sys', MsgType: 'event', Event: 'change_external_contact', ChangeType: 'edit_external_contact', UserID: 'wangwu', ExternalUserID: 'wmX' });
    await chat.bot.worker.onIdle();
    expect([...heard].sort()).to.deep.equal(['count:edit_external_contact', 'greet:edit_external_contact']);
    const [audit] = await chat.as('zhangsan').say('/审计');
    expect(audit!.content).to.contain('count.event');
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
    const [hant] = await chat.as('zhangsan').say('/語言 zh-Hant').then(() => chat.as('zhangsan').say('/朋友圈'));
    expect(hant!.content).to.contain('可以這樣用').and.contain('/幫助 朋友圈');
    // A manager sees what a manager may run, not the admin's publishing.
    const [manager] = await chat.as('lisi').say('/朋友圈');
    expect(manager!.content).to.contain('/朋友圈 列表').and.not.contain('/朋友圈 发表');
  });
});
