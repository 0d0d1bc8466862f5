import { expect } from 'chai';
import type { Locale } from '../../../src/config.js';
import { loadCommands } from '../../../src/bot/index.js';
import { understand } from '../../../src/bot/plain/grammar.js';
import { lineOf } from '../../../src/bot/plain/line.js';
import { Registry } from '../../../src/bot/registry.js';
import { scriptOf } from '../../../src/i18n/script.js';

/** The members the sentences name, as a directory holds them. */
const MEMBERS = ['张三', 'zhangsan', 'Jerry Zhang', '李四', 'lisi', 'Lily Li', '周八', 'zhouba', '王五', 'wangwu'];

/**
 * What staff write, and the command each sentence stands for (written in the sentence's script): 20 or more per
 * script. A command line with a value left out (`/转接 --to 李四`) is a clarifying question: the bot asks for the rest.
 */
const CORPUS: Record<Locale, [string, string][]> = {
  'zh-Hans': [
    ['张三有多少客户？', '/客户 张三'],
    ['张三有几个客户', '/客户 张三'],
    ['请帮我查一下张三的客户', '/客户 张三'],
    ['看看李四名下的客户', '/客户 李四'],
    ['我的客户', '/客户'],
    ['我有多少客户', '/客户'],
    ['客户', '/客户'],
    ['客户 张三', '/客户 张三'],
    ['帮助', '/帮助'],
    ['你能做什么？', '/帮助'],
    ['怎么用', '/帮助'],
    ['把周八的客户转给李四', '/转接 全部 --from 周八 --to 李四'],
    ['请把周八的全部客户交接给李四。', '/转接 全部 --from 周八 --to 李四'],
    ['把客户从周八转给李四', '/转接 全部 --from 周八 --to 李四'],
    ['把周八的群转给李四', '/转接 群 全部 --from 周八 --to 李四'],
    ['把客户转给李四', '/转接 --to 李四'],
    ['交接客户', '/转接'],
    ['上周的统计', '/统计 上周'],
    ['统计 上周', '/统计 上周'],
    ['张三上周的数据', '/统计 张三 上周'],
    ['本月报表', '/统计 本月'],
    ['谁离职了', '/离职'],
    ['离职员工的客户', '/离职'],
    ['有哪些标签', '/标签'],
    ['我是谁', '/我'],
    ['张三的客户群', '/群 --owner 张三'],
  ],
  'zh-Hant': [
    ['張三有多少客戶？', '/客戶 張三'],
    ['張三有幾個客戶', '/客戶 張三'],
    ['請幫我查一下張三的客戶', '/客戶 張三'],
    ['看看李四名下的客戶', '/客戶 李四'],
    ['我的客戶', '/客戶'],
    ['我有多少客戶', '/客戶'],
    ['客戶', '/客戶'],
    ['客戶 張三', '/客戶 張三'],
    ['幫助', '/幫助'],
    ['你能做什麼？', '/幫助'],
    ['怎麼用', '/幫助'],
    ['把周八的客戶轉給李四', '/轉接 全部 --from 周八 --to 李四'],
    ['請把周八的全部客戶交接給李四。', '/轉接 全部 --from 周八 --to 李四'],
    ['把客戶從周八轉給李四', '/轉接 全部 --from 周八 --to 李四'],
    ['把周八的群轉給李四', '/轉接 群 全部 --from 周八 --to 李四'],
    ['把客戶轉給李四', '/轉接 --to 李四'],
    ['交接客戶', '/轉接'],
    ['上週的統計', '/統計 上週'],
    ['統計 上週', '/統計 上週'],
    ['張三上週的數據', '/統計 張三 上週'],
    ['本月報表', '/統計 本月'],
    ['誰離職了', '/離職'],
    ['離職員工的客戶', '/離職'],
    ['有哪些標籤', '/標籤'],
    ['張三的客戶群', '/群 --owner 張三'],
  ],
  en: [
    ['How many customers does zhangsan have?', '/customers zhangsan'],
    ["zhangsan's customers", '/customers zhangsan'],
    ['show me the customers of lisi', '/customers lisi'],
    ["Jerry Zhang's customers", '/customers "Jerry Zhang"'],
    ['my customers', '/customers'],
    ['how many customers do I have', '/customers'],
    ['customers', '/customers'],
    ['customers zhangsan', '/customers zhangsan'],
    ['help', '/help'],
    ['what can you do?', '/help'],
    ["transfer zhouba's customers to lisi", '/transfer all --from zhouba --to lisi'],
    ['please move all of zhouba’s customers to lisi', '/transfer all --from zhouba --to lisi'],
    ['hand over the customers of zhouba to lisi', '/transfer all --from zhouba --to lisi'],
    ["transfer zhouba's group chats to lisi", '/transfer groups all --from zhouba --to lisi'],
    ['transfer customers to lisi', '/transfer --to lisi'],
    ["last week's stats", '/stats last week'],
    ['stats for last week', '/stats last week'],
    ['zhangsan last week stats', '/stats zhangsan last week'],
    ['who left?', '/resigned'],
    ['unassigned customers', '/resigned'],
    ['tags', '/tags'],
    ['who am I', '/whoami'],
    ['groups of zhangsan', '/groups --owner zhangsan'],
  ],
};

/** Sentences that ask nothing the bot does: the grammar leaves them alone (the bot answers with its hint). */
const NOT_REQUESTS = ['今天天气怎么样', '谢谢', 'ok', '好的', '哈哈', '今天天氣怎麼樣', 'good morning', 'zhangsan'];

describe('plain requests: the grammar', () => {
  let registry: Registry;
  before(async () => {
    registry = new Registry(await loadCommands());
  });

  const read = (sentence: string, locale: Locale) => {
    const found = understand(sentence, { memberNames: MEMBERS, isCommand: (word) => registry.resolve(word) !== undefined });
    if (!found) return undefined;
    return 'line' in found ? found.line : lineOf(found, registry, found.written ?? scriptOf(sentence) ?? locale);
  };

  it('reads the corpus of what staff write (20 or more sentences per script) as the command each stands for, and prints its coverage', () => {
    const wrong: string[] = [];
    const coverage: string[] = [];
    for (const [locale, sentences] of Object.entries(CORPUS) as [Locale, [string, string][]][]) {
      expect(sentences.length, locale).to.be.at.least(20);
      let understood = 0;
      for (const [sentence, expected] of sentences) {
        const line = read(sentence, locale);
        if (line === expected) understood++;
        else wrong.push(`${sentence} → ${line ?? '(not understood)'}, expected ${expected}`);
      }
      coverage.push(`${locale} ${understood}/${sentences.length}`);
    }
    const total = Object.values(CORPUS).flat().length;
    console.log(`      plain-request corpus: ${total - wrong.length}/${total} read as expected (${coverage.join(', ')})`);
    expect(wrong, wrong.join('\n')).to.deep.equal([]);
  });

  it('leaves alone what asks for nothing the bot does', () => {
    for (const sentence of NOT_REQUESTS) expect(read(sentence, 'zh-Hans'), sentence).to.equal(undefined);
  });

  it('a Latin name ends where a word ends: a member called ma is not the start of "march"', () => {
    const read2 = (sentence: string) => understand(sentence, { memberNames: ['ma', 'may'], isCommand: () => false });
    expect(read2('march stats')).to.deep.include({ command: 'stats', words: ['march'] });
    expect(read2("Mylene's stats")).to.deep.include({ command: 'stats', words: ['Mylene'] });
    expect(read2('ma last week stats')).to.deep.include({ command: 'stats', words: ['ma', 'last', 'week'] });
  });

  it('writes the command in the script of the sentence, keeping names as typed', () => {
    expect(read('張三有多少客戶', 'zh-Hans')).to.equal('/客戶 張三');
    expect(read('把周八的客戶轉給李四', 'zh-Hans')).to.equal('/轉接 全部 --from 周八 --to 李四');
    expect(read("transfer 周八's customers to 李四", 'zh-Hans')).to.equal('/transfer all --from 周八 --to 李四');
  });
});
