import type { ExternalContactProfile } from '../wecom/types/index.js';
import type { SimFollow } from './follow.js';
import { intBetween, pick } from './random.js';

/** Demo members: UserID and name. The first ones are the people a demo talks about. */
export const MEMBER_NAMES: [string, string, string?][] = [
  ['zhangsan', '张三', 'Jerry Zhang'],
  ['lisi', '李四', 'Lily Li'],
  ['wangwu', '王五', 'Wayne Wang'],
  ['zhaoliu', '赵六', 'Leo Zhao'],
  ['sunqi', '孙七'],
  ['zhouba', '周八'],
  ['wujiu', '吴九'],
  ['zhengshi', '郑十'],
  ['chenxiao', '陈晓'],
  ['linfang', '林芳'],
  ['huangli', '黄丽'],
  ['liuyang', '刘洋'],
  ['yangfan', '杨帆'],
  ['xuming', '徐明'],
  ['heyun', '何芸'],
  ['guojing', '郭静'],
  ['maqiang', '马强'],
  ['luoxin', '罗欣'],
  ['gaoyuan', '高远'],
  ['songjia', '宋佳'],
];

/** The demo corp's tag groups, most important first (WeCom orders by `order`, larger first). */
export const TAG_GROUPS: { name: string; tags: string[] }[] = [
  { name: '客户等级', tags: ['重要', '普通', '潜在'] },
  { name: '客户来源', tags: ['官网', '展会', '转介绍', '广告'] },
  { name: '行业', tags: ['教育', '零售', '制造', '金融', '医疗'] },
];

/** What the simulated corp's customers are called: surnames and given names, English names, their companies. */
export const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '高'];
export const GIVEN = [
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '洋',
  '艳',
  '勇',
  '军',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '秀英',
  '晓燕',
  '子涵',
  '浩然',
  '雨桐',
];
export const ENGLISH = ['Alice Chen', 'Bob Li', 'Carol Wang', 'David Zhang', 'Emma Liu', 'Frank Wu', 'Grace Lin', 'Henry Zhou'];
export const COMPANIES = ['星河科技', '云帆贸易', '东方教育', '恒信制造', '安康医疗', '汇丰零售'];

/** A customer drawn from `random`: an English or a Chinese name, a gender, and for a WeCom user (type 2) a company. */
export function describeCustomer(random: () => number, id: string, type: 1 | 2): ExternalContactProfile {
  const english = random() < 0.1;
  const company = pick(random, COMPANIES);
  const name = english ? pick(random, ENGLISH) : `${pick(random, SURNAMES)}${pick(random, GIVEN)}`;
  return {
    external_userid: id,
    name,
    type,
    gender: intBetween(random, 0, 2) as 0 | 1 | 2,
    avatar: `https://wework.qpic.cn/sim/${id}/0`,
    ...(type === 2 ? { corp_name: company, corp_full_name: `${company}有限公司`, position: '采购经理' } : {}),
  };
}

/** What `userid` keeps about `customer`, drawn from `random`: tags (of `tagIds`), a remark, when they were added (before `asOf`). */
export function describeFollow(random: () => number, userid: string, customer: ExternalContactProfile, tagIds: readonly string[], asOf: number): SimFollow {
  const tags = tagIds.filter(() => random() < 0.12);
  return {
    userid,
    external_userid: customer.external_userid,
    remark: random() < 0.3 ? `${customer.name}（${pick(random, ['老客户', '重点跟进', '已报价', '待回访'])}）` : '',
    description: random() < 0.2 ? '来自线上咨询' : '',
    createtime: asOf - intBetween(random, 1, 700) * 86400,
    tagIds: tags,
    remark_corp_name: customer.corp_name ?? '',
    remark_mobiles: random() < 0.2 ? [`1${intBetween(random, 3, 9)}${String(intBetween(random, 0, 999999999)).padStart(9, '0')}`] : [],
    add_way: pick(random, [1, 1, 2, 3, 5, 8, 201, 202]),
    state: random() < 0.15 ? 'qr_expo2026' : '',
    oper_userid: userid,
  };
}

/** The two characters of a generated member's given name (建国, 志华 …): with the surnames, 18,000 distinct names. */
const GIVEN_FIRST = [...'建志文晓海春德明永宏俊家思雅嘉子佳振欣立天玉丽世光宇学美雪秋'];
const GIVEN_SECOND = [...'国华军平强伟峰敏林辉芳涛斌婷杰刚宁琳颖静鹏飞龙红霞勇艳磊超洁'];

/**
 * The `k`-th generated member's name (a surname and a two-character given name, e.g. 王建国): distinct for every `k`
 * below 18,000, and never one of the named demo members' (whose given names have one character).
 */
export function generatedMemberName(k: number): string {
  const total = SURNAMES.length * GIVEN_FIRST.length * GIVEN_SECOND.length;
  // 7,919 is prime and does not divide the total: k → k·7919 mod total visits every name once, in a mixed order.
  const n = (k * 7919) % total;
  const given = n % (GIVEN_FIRST.length * GIVEN_SECOND.length);
  return `${SURNAMES[Math.floor(n / (GIVEN_FIRST.length * GIVEN_SECOND.length))]}${GIVEN_FIRST[Math.floor(given / GIVEN_SECOND.length)]}${GIVEN_SECOND[given % GIVEN_SECOND.length]}`;
}
