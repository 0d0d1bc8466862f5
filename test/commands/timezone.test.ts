import { expect } from 'chai';
import { formatDate } from '../../src/render/format.js';
import { startChat, type Chat } from '../helpers/chat.js';

describe('one time zone rule: BOT_TIMEZONE for every day and time the bot shows; WeCom’s Beijing days said so', () => {
  let chat: Chat | undefined;
  afterEach(async () => {
    await chat?.close();
    chat = undefined;
  });

  it('a corp in Los Angeles reads its times in its own zone, and is told that WeCom’s statistics count Beijing days', async () => {
    const zone = 'America/Los_Angeles';
    chat = await startChat({ admins: ['zhangsan'], managers: ['lisi'], env: { BOT_TIMEZONE: zone } });
    await chat.as('lisi').say('/我');
    const [audit] = await chat.as('zhangsan').say('/审计 --limit 1');
    const nowThere = formatDate(Math.floor(Date.now() / 1000), zone);
    expect(audit!.content).to.contain(nowThere);
    const [stats] = await chat.as('lisi').say('/统计 上周');
    expect(stats!.content).to.contain('企业微信的统计按北京时间（UTC+8）的自然日计算').and.contain(`企业时区（${zone}）`);
    const customer = chat.sim.corp.customersOf('lisi')[0]!;
    const [detail] = await chat.as('lisi').say(`/客户 详情 ${customer.external_userid}`);
    expect(detail!.content).to.contain(formatDate(customer.createtime, zone));
  });

  it('a corp on Beijing time gets no such note', async () => {
    chat = await startChat({ admins: ['zhangsan'], managers: ['lisi'] });
    await chat.shouldReply('lisi', '/统计 上周', '的客户联系数据', ['北京时间']);
  });
});
