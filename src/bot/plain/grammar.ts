import type { Locale } from '../../config.js';
import { foldScript, scriptOf } from '../../i18n/script.js';

/** The word that stands for "every one" in an intent's words (全部 / all), written in the asker's script by lineOf. */
export const ALL = '\u0000all';

/**
 * What a plain request asks for, as a command: the command's id, the English word of its sub-command (if any), and
 * the words after it. Written out in the asker's script by {@link PlainLine}.
 */
export interface Intent {
  command: string;
  sub?: string;
  words: string[];
  /**
   * The script of the sentence's own words, names left out ("transfer 周八's customers to 李四" is English), when
   * they tell it.
   */
  written?: Locale;
}

/** What the grammar may look up: who the members are (names, English names, UserIDs), to split "张三上周". */
export interface GrammarContext {
  /** Every way a member is written (name, alias, UserID), as the directory holds them. */
  memberNames: readonly string[];
  /** Whether `word` names a command (in any script). */
  isCommand(word: string): boolean;
}

/** A rule: a pattern on the folded sentence (Simplified, lower case) and the intent its groups make. */
interface Rule {
  pattern: RegExp;
  intent(groups: string[], ctx: GrammarContext): Intent | undefined;
}

/** Polite words and verbs of looking that say nothing about what is asked, at the start of a sentence. */
const LEADING =
  /^(?:请问|请|麻烦你|麻烦|帮我|帮忙|给我|我想要|我想|我要|想|能不能|可以|查一下|查查|查询|查看|看一下|看下|看看|列出|显示|告诉我|please|can you|could you|would you|show me|tell me|list|show|give me|i want to see|what are|what is|what's)\s*/;
/** Particles and courtesy at the end. */
const TRAILING = /\s*(?:一下|吧|呢|吗|啊|呀|嘛|谢谢|please|thanks|thank you)$/;

const MEMBER = '(.+?)';
const THEIR = `${MEMBER}(?:的|'s)`;
/** Customers and group chats, as people write them in Chinese (after folding to Simplified). */
const CUSTOMERS = '(?:客户|顾客|外部联系人)';
const GROUPS = '(?:客户群|群聊|群)';
const GIVE_TO = '(?:转给|转接给|交接给|转交给|移交给|分配给|分给|交给|给|转到|转移给|转移到)';
const STATS = '(?:统计数据|统计|数据|报表|业绩|数字|figures|statistics|stats|numbers|report)';

const me = (word: string) => /^(?:我|me|my|i)$/.test(word);

/** The rules, most specific first. A rule whose intent is undefined lets the next one try. */
const RULES: Rule[] = [
  // Help.
  {
    pattern:
      /^(?:帮助|救命|怎么用|如何使用|使用说明|说明|你能做什么|你会做什么|你会什么|你可以做什么|你能干什么|有哪些命令|有什么命令|命令列表|都有什么命令|help|help me|what can you do|commands|how does this work|how do i use this)$/,
    intent: () => ({ command: 'help', words: [] }),
  },
  // Who am I.
  { pattern: /^(?:我是谁|我的角色|我是什么角色|我有什么权限|who am i|my role|what is my role)$/, intent: () => ({ command: 'whoami', words: [] }) },
  // Hand over a member's group chats, then their customers.
  {
    pattern: new RegExp(`^(?:把|将)?${MEMBER}的(?:全部|所有)?${GROUPS}(?:全部|都)?${GIVE_TO}(.+)$`),
    intent: ([from, to]) => transfer('groups', from!, to!),
  },
  {
    pattern: new RegExp(`^(?:把|将)?${MEMBER}的(?:全部|所有)?${CUSTOMERS}(?:全部|都)?${GIVE_TO}(.+?)(?:名下)?$`),
    intent: ([from, to]) => transfer('all', from!, to!),
  },
  {
    pattern: new RegExp(`^(?:把|将)?(?:全部|所有)?${CUSTOMERS}(?:从|由)${MEMBER}${GIVE_TO}(.+)$`),
    intent: ([from, to]) => transfer('all', from!, to!),
  },
  {
    pattern: /^(?:transfer|move|hand over|handover|give|reassign) (?:all )?(?:of )?(.+?)'s (?:customers|contacts) to (.+)$/,
    intent: ([from, to]) => transfer('all', from!, to!),
  },
  {
    pattern: /^(?:transfer|move|hand over|handover|reassign) (?:all )?(?:the )?(?:customers|contacts) (?:of|from) (.+?) to (.+)$/,
    intent: ([from, to]) => transfer('all', from!, to!),
  },
  {
    pattern: /^(?:transfer|move|hand over|handover|reassign) (?:all )?(?:of )?(.+?)'s (?:group chats|groups) to (.+)$/,
    intent: ([from, to]) => transfer('groups', from!, to!),
  },
  // A handover with one side left out: the command asks for the other.
  {
    pattern: new RegExp(
      `^(?:把|将)?(?:全部|所有)?${CUSTOMERS}(?:全部|都)?${GIVE_TO}(.+)$|^(?:transfer|move|hand over|reassign) (?:all )?(?:the )?(?:customers|contacts) to (.+)$`,
    ),
    intent: (groups) => ({ command: 'transfer', words: ['--to', groups.find(Boolean)!.trim()] }),
  },
  {
    pattern: /^(?:交接|转移|转交|移交|分配)(?:离职(?:成员|员工|同事)的?)?(?:客户)?$|^(?:hand over|handover|reassign) (?:the )?customers$/,
    intent: () => ({ command: 'transfer', words: [] }),
  },
  // Resigned members and their customers waiting.
  {
    pattern:
      /^(?:离职(?:成员|员工|同事|人员)?(?:的)?(?:客户)?(?:列表|名单)?|待分配(?:的)?客户|谁离职了|有谁离职了|有哪些(?:人|成员|同事)?离职(?:了)?|who left|who has left|resigned members|unassigned customers|leavers)$/,
    intent: () => ({ command: 'resigned', words: [] }),
  },
  // Tags.
  {
    pattern: /^(?:有哪些|所有|全部|有什么)?(?:的)?(?:客户)?标签(?:列表|有哪些)?$|^(?:all |the |customer )?tags$/,
    intent: () => ({ command: 'tags', words: [] }),
  },
  // A member's group chats; my group chats.
  {
    pattern: new RegExp(`^(?:我的|我管的)${GROUPS}(?:列表|有哪些)?$|^my (?:group chats|groups)$`),
    intent: () => ({ command: 'groups', words: [] }),
  },
  {
    pattern: new RegExp(`^${MEMBER}的${GROUPS}(?:列表|有哪些)?$|^(?:group chats|groups) of (.+)$|^${THEIR} (?:group chats|groups)$`),
    intent: (groups) => {
      const owner = groups.find(Boolean)!;
      return me(owner) ? { command: 'groups', words: [] } : { command: 'groups', words: ['--owner', owner] };
    },
  },
  // Statistics: "上周的统计", "张三上周的数据", "stats for last week", "last week's stats".
  {
    pattern: new RegExp(`^(.*?)(?:的)?${STATS}$|^${STATS}(?: for| of| from)? (.+)$`),
    intent: (groups, ctx) => stats(groups.find((g) => g !== undefined) ?? '', ctx),
  },
  // A member's customers: "张三有多少客户", "张三的客户", "customers of zhangsan".
  {
    pattern: new RegExp(`^(?:我的|我有多少(?:个|位)?|我有几(?:个|位))${CUSTOMERS}(?:列表|有哪些|有多少)?$|^my customers$|^how many customers do i have$`),
    intent: () => ({ command: 'customers', words: [] }),
  },
  {
    pattern: new RegExp(
      `^${MEMBER}(?:的${CUSTOMERS}(?:列表|有哪些|有多少|数量|数)?|有多少(?:个|位)?${CUSTOMERS}|有几(?:个|位)${CUSTOMERS}|名下(?:的)?${CUSTOMERS}|跟进的${CUSTOMERS})$`,
    ),
    intent: ([who]) => (me(who!) ? { command: 'customers', words: [] } : { command: 'customers', words: [who!] }),
  },
  {
    pattern: /^(?:the )?customers (?:of|for) (.+)$|^(.+?)'s customers$|^how many customers does (.+?) have$/,
    intent: (groups) => {
      const who = groups.find(Boolean)!;
      return me(who) ? { command: 'customers', words: [] } : { command: 'customers', words: [who] };
    },
  },
];

/** The rules with indices on their matches (the `d` flag), so a group can be cut from the sentence as typed. */
const INDEXED: readonly Rule[] = RULES.map((rule) => ({ ...rule, pattern: new RegExp(rule.pattern.source, 'd') }));

function transfer(sub: 'all' | 'groups', from: string, to: string): Intent | undefined {
  if (from.trim() === '' || to.trim() === '') return undefined;
  const words = ['--from', from.trim(), '--to', to.trim()];
  return sub === 'all' ? { command: 'transfer', sub: 'all', words } : { command: 'transfer', sub: 'groups', words: [ALL, ...words] };
}

/** "张三上周" → member 张三 and period 上周 (the longest member name the words start with); "上周" → the period alone. */
function stats(prefix: string, ctx: GrammarContext): Intent {
  let rest = prefix
    .trim()
    .replace(/(?:的|'s)$/, '')
    .trim();
  const words: string[] = [];
  const mine = /^(?:我的|我|my\b)\s*/.exec(rest);
  if (mine) {
    words.push(/^my/.test(mine[0]) ? 'me' : '我');
    rest = rest.slice(mine[0].length);
  } else {
    const folded = foldScript(rest);
    // A Latin name ends where a word ends ("ma" is not the start of "march").
    const endsThere = (n: string) => !/[a-z0-9]$/i.test(n) || !/^[a-z0-9]/i.test(folded.slice(foldScript(n).length));
    const name = [...ctx.memberNames].filter((n) => n !== '' && folded.startsWith(foldScript(n)) && endsThere(n)).sort((a, b) => b.length - a.length)[0];
    if (name) {
      words.push(rest.slice(0, name.length));
      rest = rest.slice(name.length).replace(/^(?:的|'s)?\s*/, '');
    }
  }
  if (rest !== '') words.push(...rest.split(' '));
  return { command: 'stats', words };
}

/**
 * Reads a plain sentence ("张三有多少客户", "把周八的客户转给李四", "上週的統計", "last week's stats", "客户 张三") as a
 * command: the command word without its slash, or one of the grammar's rules. The words it carries over (names,
 * periods) keep the script they were typed in. Undefined when the sentence asks nothing the grammar knows.
 */
export function understand(text: string, ctx: GrammarContext): Intent | { line: string } | undefined {
  const sentence = text
    .trim()
    .replace(/[\s\u3000]+/g, ' ')
    .replace(/[’‘`]/g, "'")
    .replace(/[？?。.!！~～,，、]+$/u, '')
    .trim();
  if (sentence === '') return undefined;
  let original = sentence;
  let folded = foldScript(sentence);
  for (let again = true; again; ) {
    again = false;
    for (const filler of [LEADING, TRAILING]) {
      const match = filler.exec(folded);
      if (match && match[0].length > 0 && match[0].length < folded.length) {
        const [start, end] = filler === LEADING ? [match[0].length, folded.length] : [0, match.index];
        folded = folded.slice(start, end);
        original = original.slice(start, end);
        again = true;
      }
    }
  }
  for (const rule of INDEXED) {
    const match = rule.pattern.exec(folded);
    if (!match) continue;
    // Folding is one character for one: each group is cut from what was typed, at the same place.
    const typed = original.length === folded.length;
    const groups = (match.indices ?? []).slice(1).map((at, i) => (at ? (typed ? original.slice(at[0], at[1]) : match[i + 1]) : undefined));
    const intent = rule.intent(groups as string[], ctx);
    if (!intent) continue;
    // The sentence without the names and periods it carries: its script is the reply's.
    const frame = (match.indices ?? []).slice(1).reduceRight((text, at) => (at ? text.slice(0, at[0]) + text.slice(at[1]) : text), original);
    const written = scriptOf(frame);
    return written ? { ...intent, written } : intent;
  }
  // A command word without its slash ("客户", "客户 张三", "stats last week"): the line as it is.
  const first = sentence.split(' ')[0] ?? '';
  return ctx.isCommand(first) ? { line: `/${sentence}` } : undefined;
}
