import { expect } from 'chai';
import { startChat, type Chat } from '../helpers/chat.js';

describe('/统计 (stats)', () => {
  let chat: Chat;
  beforeEach(async () => {
    chat = await startChat({ admins: ['zhangsan'], managers: ['lisi'], sim: { momentJobDelayMs: 100 } });
  });
  afterEach(() => chat.close());
  const day = (offset: number) => new Date(Date.now() + 8 * 3600_000 - offset * 86400_000).toISOString().slice(0, 10);

  it('统计 over 60 days makes exactly 2 behaviour calls per member batch; totals equal the simulator’s per-day data', async () => {
    const [reply] = await chat.as('lisi').say(`/统计 zhangsan,lisi --from ${day(59)} --to ${day(0)}`);
    const calls = chat.sim.calls('externalcontact/get_user_behavior_data');
    expect(calls).to.have.length(2);
    let chats = 0;
    let contacts = 0;
    for (const c of calls) {
      for (let t = c.body.start_time as number; t <= (c.body.end_time as number); t += 86400) {
        for (const u of ['zhangsan', 'lisi']) {
          chats += chat.sim.corp.behavior(u, t).chat_cnt;
          contacts += chat.sim.corp.behavior(u, t).new_contact_cnt;
        }
      }
    }
    expect(reply!.content).to.contain(`<font color="comment">聊天数：</font>**${chats}**`);
    expect(reply!.content).to.contain(`<font color="comment">新增客户：</font>**${contacts}**`);
    expect(reply!.content).to.match(/`[▁▂▃▄▅▆▇█]{60}`/);
    const [hant] = await chat.as('lisi').say(`/統計 zhangsan --from ${day(6)} --to ${day(0)}`);
    expect(hant!.content).to.contain('客戶聯絡資料').and.contain('回覆率');
  });

  it('统计 refuses dates older than 180 days before any call; 统计 群 by owner and by day', async () => {
    const [old] = await chat.as('lisi').say(`/统计 --from ${day(200)} --to ${day(190)}`);
    expect(old!.content).to.contain('只保留最近 180 天');
    expect(chat.sim.calls('externalcontact/get_user_behavior_data')).to.have.length(0);
    const [owners] = await chat.as('lisi').say(`/统计 群 --owner zhangsan,wangwu --from ${day(40)} --to ${day(0)}`);
    expect(owners!.content)
      .to.contain('客户群数据：2 位群主')
      .and.contain('**zhangsan**')
      .and.contain(`群统计只到昨天：已按 ${day(1)} 截止`);
    expect(chat.sim.calls('externalcontact/groupchat/statistic')).to.have.length(2);
    const [byDay] = await chat.as('lisi').say(`/統計 群 --from ${day(6)} --to ${day(0)} --by day`);
    expect(byDay!.content).to.contain('客戶群每日資料').and.contain('群統計只到昨天');
    const [today] = await chat.as('lisi').say(`/统计 群 --from ${day(0)} --to ${day(0)}`);
    expect(today!.content).to.contain('今天的群统计要到明天才有');
    const [staff] = await chat.as('zhaoliu').say(`/统计 --from ${day(6)} --to ${day(0)}`);
    expect(staff!.content).to.contain('没有权限');
  });
});
