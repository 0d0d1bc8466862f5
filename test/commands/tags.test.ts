import { expect } from 'chai';
import type { CapturedMessage } from '../../src/simulator/index.js';
import { startChat, textOf, type Chat } from '../helpers/chat.js';

const card = (messages: CapturedMessage[]) => {
  const found = messages.find((m) => m.msgtype === 'template_card');
  if (!found) throw new Error(`no card in ${JSON.stringify(messages.map((m) => m.content))}`);
  return found;
};
const ecCalls = (chat: Chat) => chat.sim.requests.filter((r) => r.path.startsWith('externalcontact/')).length;

describe('/标签 (tags)', () => {
  let chat: Chat;
  beforeEach(async () => {
    chat = await startChat({ admins: ['zhangsan', 'wangwu'], managers: ['lisi'] });
  });
  afterEach(() => chat.close());

  it('lists groups and tags in WeCom’s order for everyone, in both scripts', async () => {
    const [hans] = await chat.as('zhaoliu').say('/标签');
    expect(hans!.content)
      .to.contain('企业标签：3 组')
      .and.match(/客户等级[\s\S]*客户来源[\s\S]*行业/);
    const [hant] = await chat.as('zhaoliu').say('/標籤');
    expect(hant!.content).to.contain('企業標籤：3 組');
  });

  it('adds, renames, marks and unmarks (admin), refusing names over 30 characters before any call', async () => {
    const [added] = await chat.as('zhangsan').say('/标签 新增 意向 高,中,低');
    expect(added!.content).to.contain('已新建标签组「意向」，含 3 个标签').and.contain('高、中、低');
    expect(added!.content, 'a new tag is shown by its name, never its id').not.to.match(/\bet[A-Za-z0-9_-]{6,}/);
    const [more] = await chat.as('zhangsan').say('/標籤 新增 意向 極高');
    expect(more!.content).to.contain('已在「意向」中新增 1 個標籤');
    const [renamed] = await chat.as('zhangsan').say('/标签 改名 低 较低 --order 5');
    expect(renamed!.content).to.contain('已把「低」改名为「较低」');
    const id = chat.sim.corp.customersOf('zhangsan')[0]!.external_userid;
    const [marked] = await chat.as('zhangsan').say(`/标签 打 ${id} 高,较低`);
    const name = chat.sim.corp.customers.get(id)!.name;
    expect(marked!.content, 'the customer and the member by name, not by id').to.contain(`张三（zhangsan）的客户 ${name} 已打上：高、较低`).and.not.contain(id);
    const high = chat.sim.corp.tagGroups.find((g) => g.group_name === '意向')!.tag.find((t) => t.name === '高')!.id;
    expect(chat.sim.corp.follow('zhangsan', id).tagIds).to.include(high);
    const [unmarked] = await chat.as('zhangsan').say(`/標籤 移除 ${id} 高`);
    expect(unmarked!.content).to.contain(`已從 张三（zhangsan）的客戶 ${name} 移除：高`);
    const before = ecCalls(chat);
    const [tooLong] = await chat.as('zhangsan').say(`/标签 新增 ${'组'.repeat(31)} a`);
    expect(tooLong!.content).to.contain('标签组 最多 30 个字，现在是 31 个字');
    // A tag among several is named with its value, in the script typed.
    await chat.shouldReply('zhangsan', `/標籤 新增 意向 高,${'標'.repeat(31)}`, `標籤 裡的「${'標'.repeat(31)}」最多 30 個字，現在是 31 個字`);
    await chat.shouldReply('zhangsan', `/tags add intent high,${'t'.repeat(31)}`, `tags: "${'t'.repeat(31)}" takes at most 30 characters; it has 31`);
    expect(ecCalls(chat)).to.equal(before);
    const [staff] = await chat.as('zhaoliu').say('/标签 新增 x y');
    expect(staff!.content).to.contain('没有权限');
  });

  it('deletes only after confirmation by the proposer; another admin cannot confirm it', async () => {
    await chat.as('zhangsan').say('/标签 新增 临时 潜在客户,广告位,教育行业');
    const before = chat.sim.corp.tagIndex().size;
    const plan = card(await chat.as('zhangsan').say('/标签 删除 潜在客户,广告位'));
    expect(textOf(plan)).to.contain('删除 2 个标签').and.contain('临时/潜在客户');
    expect(chat.sim.calls('externalcontact/del_corp_tag')).to.have.length(0);
    const [refused] = await chat.as('wangwu').click(plan, 'confirm');
    expect(refused!.content).to.contain('只有发起人 张三（zhangsan）');
    expect(chat.sim.calls('externalcontact/del_corp_tag')).to.have.length(0);
    const [done] = await chat.as('zhangsan').click(plan, 'confirm');
    expect(done!.content).to.contain('已删除 2 个标签');
    expect(chat.sim.corp.tagIndex().size).to.equal(before - 2);
    const hant = card(await chat.as('zhangsan').say('/標籤 刪除 教育行业'));
    expect(textOf(hant)).to.contain('刪除 1 個標籤');
  });

  it('refuses to rename or delete a tag it did not create, before any card or call, saying where to change it', async () => {
    const before = ecCalls(chat);
    await chat.shouldReply('zhangsan', '/标签 删除 潜在', ['「潜在」不是本机器人创建的标签', '管理后台'], ['确认']);
    await chat.shouldReply('zhangsan', '/tags rename 潜在 意向客户', 'not created by this bot');
    expect(chat.sim.calls('externalcontact/del_corp_tag')).to.have.length(0);
    expect(chat.sim.calls('externalcontact/edit_corp_tag')).to.have.length(0);
    expect(chat.sim.captures.messages.filter((m) => m.msgtype === 'template_card')).to.have.length(0);
    expect(ecCalls(chat) - before).to.equal(2); // the tag list, read once for each
  });

  it('turns predictable mistakes into words before WeCom’s bare errcodes: a name for an id, a taken name, another member’s customer', async () => {
    await chat.shouldReply('zhangsan', '/标签 打 孙丽 重要', ['张三（zhangsan）的客户里没有叫“孙丽”的', '/客户']);
    await chat.shouldReply('zhangsan', '/标签 新增 客户等级 重要', ['「客户等级」里已经有标签「重要」'], ['40071']);
    const theirs = chat.sim.corp.customersOf('lisi').find((f) => !chat.sim.corp.followsByCustomer.get(f.external_userid)!.has('zhangsan'))!;
    const followers = [...chat.sim.corp.followsByCustomer.get(theirs.external_userid)!.keys()];
    await chat.shouldReply('zhangsan', `/标签 打 ${theirs.external_userid} 重要`, [`不是 zhangsan 的客户`, followers.join('、'), `--user ${followers[0]}`]);
    await chat.shouldReply('zhangsan', `/標籤 打 ${theirs.external_userid} 重要 --user lisi`, '李四（lisi）的客戶');
  });

  it('lists candidates for an ambiguous name instead of guessing', async () => {
    await chat.as('zhangsan').say('/标签 新增 另一组 重要');
    const [reply] = await chat.as('zhangsan').say('/标签 删除 重要');
    expect(reply!.content).to.contain('有多个名为「重要」的标签').and.contain('客户等级/重要').and.contain('另一组/重要');
  });
});
