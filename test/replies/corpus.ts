import type { CommandDefinition } from '../../src/bot/command.js';
import type { Locale } from '../../src/config.js';
import type { Simulator } from '../../src/simulator/index.js';
import type { SimMember } from '../../src/simulator/corp.js';

/**
 * What the reply-lint corpus types: every command and sub-command, the same line in each script
 * (zh-Hans, zh-Hant, en). Each line is typed by the admin, the manager and the staff member in turn, so every command
 * is tried by every role in every script. Placeholders are filled from the simulator's corp when the line is typed:
 * {ext} a customer of wangwu, {chat} a group wangwu owns, {moment}/{sender} a moment and one of its senders,
 * {way} the newest 「联系我」 config, {msgid} the newest mass message, {code} the code of the member's last card,
 * {from}/{to} the last seven days.
 */
export const EVERY_COMMAND: readonly [zhHans: string, zhHant: string, en: string][] = [
  ['/帮助', '/幫助', '/help'],
  ['/帮助 转接', '/幫助 轉接', '/help transfer'],
  ['/我', '/我', '/whoami'],
  ['/成员', '/成員', '/staff'],
  ['/成员 备注 zhouba 周八', '/成員 備註 zhouba 周八', '/staff name zhouba "Zhou Ba"'],
  ['/客户', '/客戶', '/customers'],
  ['/客户 wangwu --page 2', '/客戶 wangwu --page 2', '/customers wangwu --page 2'],
  ['/客户 wangwu --tag 重要', '/客戶 wangwu --tag 重要', '/customers wangwu --tag 重要'],
  ['/客户 详情 {ext}', '/客戶 詳情 {ext}', '/customers detail {ext}'],
  [
    '/客户 备注 {ext} --user wangwu --remark 老朋友',
    '/客戶 備註 {ext} --user wangwu --remark 老朋友',
    '/customers remark {ext} --user wangwu --remark Old friend',
  ],
  ['/离职', '/離職', '/resigned'],
  ['/转接 {ext} --from wangwu --to lisi', '/轉接 {ext} --from wangwu --to lisi', '/transfer {ext} --from wangwu --to lisi'],
  ['/确认 {code}', '/確認 {code}', '/confirm {code}'],
  ['/转接 全部 --from zhouba --to lisi', '/轉接 全部 --from zhouba --to lisi', '/transfer all --from zhouba --to lisi'],
  ['/取消 {code}', '/取消 {code}', '/cancel {code}'],
  ['/转接 结果 --from wangwu --to lisi', '/轉接 結果 --from wangwu --to lisi', '/transfer result --from wangwu --to lisi'],
  ['/转接 群 {chat} --from wangwu --to lisi', '/轉接 群 {chat} --from wangwu --to lisi', '/transfer groups {chat} --from wangwu --to lisi'],
  ['/群', '/群', '/groups'],
  ['/群 --owner wangwu --page 2', '/群 --owner wangwu --page 2', '/groups --owner wangwu --page 2'],
  ['/群 详情 {chat}', '/群 詳情 {chat}', '/groups detail {chat}'],
  ['/标签', '/標籤', '/tags'],
  ['/标签 新增 测试组 甲,乙', '/標籤 新增 測試組 甲,乙', '/tags add Testing A,B'],
  ['/标签 改名 甲 丙 --order 2', '/標籤 改名 甲 丙 --order 2', '/tags rename A C --order 2'],
  ['/标签 打 {ext} 重要 --user wangwu', '/標籤 打 {ext} 重要 --user wangwu', '/tags mark {ext} 重要 --user wangwu'],
  ['/标签 移除 {ext} 重要 --user wangwu', '/標籤 移除 {ext} 重要 --user wangwu', '/tags unmark {ext} 重要 --user wangwu'],
  ['/标签 删除 乙', '/標籤 刪除 乙', '/tags delete B'],
  [
    '/联系我 新增 --user wangwu --remark 门店 --state shop',
    '/聯絡我 新增 --user wangwu --remark 門市 --state shop',
    '/contactway add --user wangwu --remark Store --state shop',
  ],
  ['/联系我 列表', '/聯絡我 列表', '/contactway list'],
  ['/联系我 查看 {way}', '/聯絡我 查看 {way}', '/contactway view {way}'],
  ['/联系我 修改 {way} --remark 新门店', '/聯絡我 修改 {way} --remark 新門市', '/contactway edit {way} --remark New store'],
  ['/联系我 删除 {way}', '/聯絡我 刪除 {way}', '/contactway delete {way}'],
  [
    '/群发 --sender wangwu --to {ext} --text 新品上市',
    '/群發 --sender wangwu --to {ext} --text 新品上市',
    '/broadcast --sender wangwu --to {ext} --text "New arrivals"',
  ],
  ['/确认 {code}', '/確認 {code}', '/confirm {code}'],
  ['/群发 结果 {msgid}', '/群發 結果 {msgid}', '/broadcast result {msgid}'],
  ['/群发 列表', '/群發 列表', '/broadcast list'],
  ['/群发 取消 {msgid}', '/群發 取消 {msgid}', '/broadcast cancel {msgid}'],
  ['/群发 取消 msgNOPE', '/群發 取消 msgNOPE', '/broadcast cancel msgNOPE'],
  ['/欢迎语 设置 --text 您好，欢迎！', '/歡迎語 設定 --text 您好，歡迎！', '/welcome set --text "Hello, welcome!"'],
  ['/欢迎语 设置 --user wangwu --text 我是王五', '/歡迎語 設定 --user wangwu --text 我是王五', '/welcome set --user wangwu --text "I am Wayne"'],
  ['/欢迎语 查看', '/歡迎語 查看', '/welcome view'],
  ['/欢迎语 清除 --user wangwu', '/歡迎語 清除 --user wangwu', '/welcome clear --user wangwu'],
  ['/朋友圈 发表 --text 新品 --user wangwu', '/朋友圈 發表 --text 新品 --user wangwu', '/moments publish --text New --user wangwu'],
  ['/朋友圈 列表 --from {from} --to {to}', '/朋友圈 列表 --from {from} --to {to}', '/moments list --from {from} --to {to}'],
  ['/朋友圈 任务 {moment}', '/朋友圈 任務 {moment}', '/moments tasks {moment}'],
  ['/朋友圈 客户 {moment} {sender}', '/朋友圈 客戶 {moment} {sender}', '/moments customers {moment} {sender}'],
  ['/朋友圈 送达 {moment} {sender}', '/朋友圈 送達 {moment} {sender}', '/moments delivered {moment} {sender}'],
  ['/朋友圈 互动 {moment} {sender}', '/朋友圈 互動 {moment} {sender}', '/moments interactions {moment} {sender}'],
  ['/统计 wangwu,lisi --from {from} --to {to}', '/統計 wangwu,lisi --from {from} --to {to}', '/stats wangwu,lisi --from {from} --to {to}'],
  ['/统计 群 --from {from} --to {to}', '/統計 群 --from {from} --to {to}', '/stats groups --from {from} --to {to}'],
  ['/角色', '/角色', '/roles'],
  ['/角色 添加 zhaoliu 主管', '/角色 新增 zhaoliu 主管', '/roles add zhaoliu manager'],
  ['/角色 移除 zhaoliu', '/角色 移除 zhaoliu', '/roles remove zhaoliu'],
  ['/订阅', '/訂閱', '/subscribe'],
  ['/订阅 开 成员流失客户', '/訂閱 開 成員流失客戶', '/subscribe on team-lost-customers'],
  ['/订阅 关 流失客户', '/訂閱 關 流失客戶', '/subscribe off lost-customers'],
  ['/订阅 开 天气', '/訂閱 開 天氣', '/subscribe on weather'],
  ['/审计', '/審計', '/audit'],
  ['/审计 --user 李四', '/審計 --user 李四', '/audit --user Lily Li'],
  ['/取消', '/取消', '/cancel'],
  ['/客户 详情', '/客戶 詳情', '/customers detail'],
  ['/转接 --from wangwu', '/轉接 --from wangwu', '/transfer --from wangwu'],
  ['/标签 打', '/標籤 打', '/tags mark'],
  ['/统计 --from 2026-13-01 --to {to}', '/統計 --from 2026-13-01 --to {to}', '/stats --from 2026-13-01 --to {to}'],
  ['/客户 --page abc', '/客戶 --page abc', '/customers --page abc'],
  ['/客户 --colour red', '/客戶 --colour red', '/customers --colour red'],
  ['/客户 "没有结束', '/客戶 「沒有結束', '/customers "unclosed'],
  ['/转接 乱码', '/轉接 亂碼', '/transfer gibberish'],
  ['/不存在的命令', '/不存在的命令', '/nosuchcommand'],
  ['你好', '你好', 'hello'],
  // Plain requests, without a slash.
  ['王五有多少客户？', '王五有多少客戶？', 'how many customers does wangwu have'],
  ['我的客户', '我的客戶', 'my customers'],
  ['上周的统计', '上週的統計', "last week's stats"],
  ['把周八的客户转给李四', '把周八的客戶轉給李四', "transfer zhouba's customers to lisi"],
  ['帮助', '幫助', 'help'],
  ['客户', '客戶', 'customers'],
];

/** One input of the corpus that is not a plain "every command" line: typed by one member, in one script. */
export interface CorpusCase {
  user: string;
  locale: Locale;
  input: string;
  /** Pieces the reply must hold (beyond the lint rules), e.g. the name of a customer rather than an id. */
  expect?: (string | RegExp)[];
  /** Pieces the reply must not hold. */
  absent?: (string | RegExp)[];
  /** Sets the corp up as the case needs (the admin console's setup, a member's state); returns how to put it back. */
  setup?: (sim: Simulator) => (() => void) | undefined;
}

/** Sets a member's fields for one case and puts them back after. */
function withMember(userid: string, fields: Partial<SimMember>): (sim: Simulator) => () => void {
  return (sim) => {
    const member = sim.corp.members.get(userid)!;
    const before = { ...member };
    Object.assign(member, fields);
    return () => {
      for (const key of Object.keys(member) as (keyof SimMember)[]) if (!(key in before)) delete member[key];
      Object.assign(member, before);
    };
  };
}

/**
 * The mistakes issue 16 found, each an exact input, plus the ones found since. A new reply bug adds its input here.
 * They run after the every-command lines, so the members have a conversation behind them.
 */
export const FOUND_MISTAKES: readonly CorpusCase[] = [
  // Paging: the last page offers no next page; past the end says how many pages there are; staff get the same rule.
  { user: 'zhangsan', locale: 'zh-Hans', input: '/客户 sunqi --page {sunqiLastPage}', expect: [/第 (\d+)\/\1 页/], absent: ['下一页'] },
  { user: 'zhangsan', locale: 'zh-Hans', input: '/客户 sunqi --page 99', expect: [/只有 \d+ 页/], absent: ['--page 100'] },
  { user: 'zhangsan', locale: 'zh-Hans', input: '/群 --page 5', absent: ['86003'] },
  { user: 'wangwu', locale: 'zh-Hans', input: '/群 --page 9', expect: [/只有 \d+ 页/] },
  { user: 'wangwu', locale: 'zh-Hans', input: '/群', expect: [/共 \d+ 个/] },
  // Input from a Chinese input method: —— — －－ read as --.
  { user: 'lisi', locale: 'zh-Hans', input: '/客户 lisi ——tag 重要', absent: ['多余的参数'] },
  { user: 'lisi', locale: 'zh-Hans', input: '/客户 lisi —tag 重要', absent: ['多余的参数'] },
  { user: 'lisi', locale: 'zh-Hans', input: '/客户 lisi －－tag 重要', absent: ['多余的参数'] },
  // Cards: short titles, counted nouns in English, no API paths, no doubled punctuation.
  { user: 'zhangsan', locale: 'zh-Hans', input: '/转接 全部 --from zhouba --to lisi', absent: ['resigned/transfer_customer', '。；', '方式：'] },
  { user: 'zhangsan', locale: 'en', input: '/transfer all --from zhouba --to lisi', absent: ['；'] },
  { user: 'zhangsan', locale: 'en', input: '/transfer {ext} --from wangwu --to lisi', absent: ['1 customers'] },
  { user: 'zhangsan', locale: 'en', input: '/tags delete 丙', absent: ['1 tags'] },
  // One language per conversation.
  { user: 'lisi', locale: 'zh-Hant', input: '/客戶 lisi' },
  { user: 'lisi', locale: 'zh-Hant', input: '/群' },
  { user: 'lisi', locale: 'zh-Hant', input: '/朋友圈 列表 --from {from} --to {to}' },
  { user: 'lisi', locale: 'en', input: '/customer' },
  { user: 'lisi', locale: 'en', input: '/customers' },
  { user: 'zhangsan', locale: 'zh-Hans', input: '/转接 {ext} --from wangwu --to zhaoliu' },
  { user: 'zhangsan', locale: 'zh-Hans', input: '/确认 {code}' },
  { user: 'zhangsan', locale: 'en', input: '/help customers', absent: ['＜', 'Type：'] },
  { user: 'wangwu', locale: 'zh-Hant', input: '/客戶 詳情 {ext}', absent: ['新增於'] },
  // The audit in words.
  {
    user: 'zhangsan',
    locale: 'zh-Hans',
    input: '/审计 --limit 30',
    expect: ['/转接 全部 --from zhouba --to lisi', '没有第 99 页'],
    absent: ['transfer.all', 'needs admin', /\w=\w/],
  },
  { user: 'zhangsan', locale: 'en', input: '/audit --limit 30', expect: ['/transfer all --from zhouba --to lisi'], absent: [/\w=\w/, '已隐去'] },
  // A WeCom error in the audit: its errcode once, with its words.
  { user: 'zhangsan', locale: 'zh-Hans', input: '/客户 详情 wmNoSuchCustomer0000000000000', expect: ['40096'] },
  { user: 'zhangsan', locale: 'zh-Hans', input: '/审计 --limit 3', expect: [/errcode 40096 \S/] },
  { user: 'zhangsan', locale: 'zh-Hans', input: '/审计 --user 李四', absent: ['没有审计记录'] },
  { user: 'zhangsan', locale: 'zh-Hans', input: '/审计 --user wangwu --limit 100', expect: ['页码（--page）需要一个整数'] },
  { user: 'zhangsan', locale: 'zh-Hans', input: '/审计 --user 张', expect: ['没有叫“张”的成员'], absent: ['还没有审计记录'] },
  { user: 'zhangsan', locale: 'zh-Hans', input: '/审计 --user zhengshi', expect: ['郑十（zhengshi）还没有审计记录'] },
  { user: 'zhangsan', locale: 'en', input: '/audit --user Lily Li', expect: ['A value with spaces needs quotes, e.g. --user "Lily Li"'] },
  { user: 'zhangsan', locale: 'en', input: '/audit --user "Lily Li"', expect: ['李四 (lisi)'], absent: ['No audit entries'] },
  // Counted nouns agree in English.
  { user: 'lisi', locale: 'en', input: '/resigned', absent: [/(^|\D)1 more customers/] },
  // Names, not ids.
  {
    user: 'zhangsan',
    locale: 'zh-Hans',
    input: '/群发 --sender wangwu --to {ext} --text 新品上市',
    expect: ['发送成员: 王五（wangwu）', '王五（wangwu）需要在企业微信中确认'],
  },
  { user: 'zhangsan', locale: 'zh-Hans', input: '/联系我 新增 --user wangwu --remark 门店', expect: ['王五（wangwu）'] },
  { user: 'zhangsan', locale: 'zh-Hans', input: '/联系我 删除 {way}', expect: ['使用成员: 王五（wangwu）', '门店'] },
  { user: 'zhangsan', locale: 'zh-Hant', input: '/朋友圈 發表 --text 新品 --user wangwu', absent: ['全部客戶 可見'] },
  { user: 'zhangsan', locale: 'zh-Hans', input: '/标签 打 {ext} 重要 --user wangwu', expect: ['{extName}'] },
  { user: 'lisi', locale: 'zh-Hans', input: '/朋友圈 客户 {moment} {sender}', expect: ['{senderName}', '{audienceName}'] },
  { user: 'lisi', locale: 'zh-Hans', input: '/朋友圈 互动 {moment} {sender}', expect: ['不提供评论内容'] },
  { user: 'zhangsan', locale: 'zh-Hans', input: '/欢迎语 清除 --user zhangsan', absent: ['清除zhangsan'] },
  { user: 'wangwu', locale: 'zh-Hans', input: '/客户 备注 {ext} --mobiles 13800000000,abc', expect: ['（--mobiles）里的“abc”不是手机号'] },
  { user: 'wangwu', locale: 'en', input: '/customers remark {ext} --remark "This remark is longer than twenty"', expect: ['remark (--remark)'] },
];

/** The members who type the corpus, one per role. */
export const ROLES = { admin: 'zhangsan', manager: 'lisi', staff: 'wangwu' } as const;

const SCRIPTS: Locale[] = ['zh-Hans', 'zh-Hant', 'en'];

/** Every "every command" line, in each script, for each role: the admin, then the manager, then the staff member. */
export function everyCommandCases(): CorpusCase[] {
  return SCRIPTS.flatMap((locale, column) =>
    Object.values(ROLES).flatMap((user) => EVERY_COMMAND.map((line): CorpusCase => ({ user, locale, input: line[column] as string }))),
  );
}

/**
 * `/帮助 <命令>` for every command, in each script, by the admin (who may run it) and the staff member (who may not
 * run most): the help text is built from declarations, where "[object Object]" once hid.
 */
export function helpCases(commands: readonly CommandDefinition[]): CorpusCase[] {
  const help = commands.find((c) => c.id === 'help');
  if (!help)
    return [
      // WeCom's stricter rules (issue 23): members in service who cannot take over are told why, never called resigned.
      {
        user: 'zhangsan',
        locale: 'zh-Hans',
        input: '/转接 全部 --from wangwu --to lisi',
        setup: withMember('lisi', { customerContact: false }),
        expect: ['在职，但没有开通客户联系'],
        absent: ['离职成员'],
      },
      {
        user: 'zhangsan',
        locale: 'zh-Hant',
        input: '/轉接 全部 --from wangwu --to lisi',
        setup: (sim) => {
          sim.corp.app.visibleUsers = ['zhangsan', 'wangwu'];
          sim.corp.app.visibleDepartments = [];
          return () => {
            sim.corp.app.visibleUsers = undefined;
            sim.corp.app.visibleDepartments = undefined;
          };
        },
        expect: ['不在應用的可見範圍裡'],
      },
      {
        user: 'zhangsan',
        locale: 'en',
        input: '/transfer all --from wangwu --to lisi',
        setup: withMember('lisi', { activated: false }),
        expect: ['has not activated WeCom'],
      },
    ];
  return SCRIPTS.flatMap((locale) =>
    [ROLES.admin, ROLES.staff].flatMap((user) => commands.map((c): CorpusCase => ({ user, locale, input: `/${help.names[locale]} ${c.names[locale]}` }))),
  );
}
