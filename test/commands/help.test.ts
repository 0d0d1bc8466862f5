import { expect } from 'chai';
import { loadCommands } from '../../src/bot/registry.js';
import type { Locale } from '../../src/config.js';
import { startChat, textOf, type Chat } from '../helpers/chat.js';

const LOCALES: Locale[] = ['zh-Hans', 'zh-Hant', 'en'];
const HEADINGS: Record<Locale, string[]> = { 'zh-Hans': ['用法'], 'zh-Hant': ['用法'], en: ['Usage'] };

describe('/帮助 <命令> for every command, in every locale', () => {
  let chat: Chat;
  // WeCom takes 30 messages a minute per member: the 48 questions are spread over several admins.
  const ADMINS = ['zhangsan', 'lisi', 'wangwu', 'zhaoliu', 'sunqi', 'wujiu', 'zhengshi', 'chenxiao'];
  before(async () => {
    chat = await startChat({ admins: ADMINS });
  });
  after(() => chat.close());

  it('renders names, usage, options and examples as words: no [object Object], undefined, NaN or raw keys', async function () {
    this.timeout(60_000);
    const commands = await loadCommands();
    let asked = 0;
    expect(commands.length).to.be.greaterThan(10);
    for (const command of commands) {
      for (const locale of LOCALES) {
        const help = { 'zh-Hans': '帮助', 'zh-Hant': '幫助', en: 'help' }[locale];
        const replies = await chat.as(ADMINS[asked++ % ADMINS.length]!).say(`/${help} ${command.names[locale]}`);
        const text = replies.map(textOf).join('\n');
        const where = `/${help} ${command.names[locale]}`;
        expect(text, where).not.to.match(/\[object Object\]|undefined|NaN|［object Object］/);
        expect(text, where).not.to.match(/\b(commands|common|errors|confirm)\.[a-zA-Z]+\.[a-zA-Z.]+/);
        expect(text, where).to.contain(`/${command.names[locale]}`);
        for (const heading of HEADINGS[locale]) expect(text, where).to.contain(`**${heading}`);
        expect(text, where).not.to.match(/\*\*\s*\*\*/); // no empty heading
        // Written for people: no WeCom field names, no numbered codes to choose among (issue 25).
        expect(text, where).not.to.match(/\b(?:external_userid|chat_id|config_id|moment_id|media_id|msgid|userid_list)\b/);
        expect(text, where).not.to.match(/\b\d\|\d\b/);
      }
    }
  });

  it('lists the commands in the order people use them, not by their English ids', async () => {
    const [reply] = await chat.as('zhangsan').say('/帮助');
    const listed = [...reply!.content!.matchAll(/`\/([^`\s]+)`/g)].map((m) => m[1]);
    expect(listed.slice(0, 3)).to.deep.equal(['客户', '转接', '离职']);
    expect(listed.at(-1)).to.equal('帮助');
  });

  it('suggests the nearest commands by their names in the script typed, not in both', async () => {
    await chat.shouldReply('wangwu', '/客护', ['你是不是想输入', '`/客户`'], ['/客戶']);
    await chat.shouldReply('wangwu', '/客護', ['`/客戶`'], ['/客户']);
    await chat.shouldReply('wangwu', '/custmers', ['`/customers`'], ['/客户']);
  });
});
