import { expect } from 'chai';
import type { CapturedMessage } from '../../src/simulator/index.js';
import type { ButtonInteractionCard } from '../../src/wecom/types/index.js';
import { startChat, textOf, type Chat } from '../helpers/chat.js';

/** The last card a reply list holds. */
const cardOf = (replies: CapturedMessage[]) => replies.filter((m) => m.msgtype === 'template_card').at(-1)!;
/** The buttons of a question card. */
const buttonsOf = (card: CapturedMessage) => (card.card as ButtonInteractionCard).button_list ?? [];

describe('questions that survive a wrong answer', () => {
  let chat: Chat;
  beforeEach(async () => {
    chat = await startChat({ admins: ['zhangsan'], managers: ['lisi'] });
  });
  afterEach(() => chat.close());

  it('/转接 → a member → a typo: "did you mean 李四", and retyping 李四 reaches the card, in each script', async () => {
    for (const [command, typo, near, fixed, title] of [
      ['/转接', '李思', '李四（lisi）', '李四', /转接全部 \d+ 位客户/],
      ['/轉接', '李思', '李四（lisi）', '李四', /轉接全部 \d+ 位客戶/],
      ['/transfer', 'lisy', 'Who takes them over', 'lisi', /Transfer all \d+ customers/],
    ] as const) {
      const zhangsan = chat.as('zhangsan');
      const first = cardOf(await zhangsan.say(command));
      const second = cardOf(await zhangsan.click(first, buttonsOf(first)[0]!.key!));
      expect(textOf(second)).to.match(/转给谁|轉給誰|Who takes them over/);
      const wrong = await zhangsan.say(typo);
      const said = wrong.map(textOf).join('\n');
      expect(said).to.contain(near);
      expect(said, 'no greeting: the question is still open').not.to.match(/客户联系助手|客戶聯絡助手|customer-contact assistant/);
      const done = await zhangsan.say(fixed);
      expect(done.map(textOf).join('\n')).to.match(title);
      await zhangsan.say('/取消');
    }
  });

  it('an answer that names nobody near anyone asks the same question again, with its buttons', async () => {
    const zhangsan = chat.as('zhangsan');
    const first = cardOf(await zhangsan.say('/转接'));
    await zhangsan.click(first, buttonsOf(first)[0]!.key!);
    const again = await zhangsan.say('谁也不是');
    const said = again.map(textOf).join('\n');
    expect(said).to.contain('没有叫“谁也不是”的成员');
    expect(said, 'asked again').to.contain('转给谁？');
    expect(buttonsOf(cardOf(again)).length).to.be.greaterThan(0);
    const done = await zhangsan.say('李四');
    expect(done.map(textOf).join('\n')).to.match(/转接全部 \d+ 位客户/);
  });
});

describe('one of these options, at least one of these: asked for, not refused after the last answer', () => {
  let chat: Chat;
  beforeEach(async () => {
    chat = await startChat({ admins: ['zhangsan'], managers: ['lisi'] });
  });
  afterEach(() => chat.close());

  it('/群发 → sender → text → which one (to or tag) → tag by button → the card', async () => {
    const zhangsan = chat.as('zhangsan');
    const sender = cardOf(await zhangsan.say('/群发'));
    expect(textOf(sender)).to.contain('由哪位成员发送？');
    const text = await zhangsan.click(sender, buttonsOf(sender).find((b) => b.text.includes('王五'))!.key!);
    expect(text.map(textOf).join('\n')).to.contain('要发什么内容？').and.not.contain('请选择文字');
    const which = await zhangsan.say('新品上市');
    expect(which.map(textOf).join('\n')).to.contain('还需要客户 ID（--to）或标签（--tag）中的一项').and.not.contain('请给出');
    const pick = cardOf(which);
    expect(buttonsOf(pick).map((b) => b.text)).to.deep.equal(['客户 ID', '标签']);
    // A wrong pick asks again, saying what can be picked.
    const wrong = await zhangsan.say('随便');
    expect(wrong.map(textOf).join('\n')).to.contain('“随便”不是可选的一项');
    const tags = cardOf(await zhangsan.say('标签'));
    expect(textOf(tags)).to.contain('重要');
    const planned = await zhangsan.click(tags, buttonsOf(tags).find((b) => b.text === '重要')!.key!);
    // The plan ran with every value: its card, or that no customer of 王五 carries the tag.
    expect(planned.map(textOf).join('\n'))
      .to.match(/确认执行|没有符合条件的客户/)
      .and.not.match(/还需要|请给出/);
  });

  it('/客户 备注 <customer> → at least one of remark, description … → picked → typed → done, in each script', async () => {
    const follow = [...chat.sim.corp.followsByUser.get('wangwu')!.values()][0]!;
    const id = follow.external_userid;
    const asked = await chat.as('wangwu').say(`/客户 备注 ${id}`);
    expect(asked.map(textOf).join('\n')).to.contain('至少还需要').and.contain('备注（--remark）');
    const value = await chat.as('wangwu').say('--remark');
    expect(value.map(textOf).join('\n')).to.contain('备注');
    await chat.shouldReply('wangwu', '老朋友', '已更新 王五（wangwu）对');
    expect(chat.sim.corp.followsByUser.get('wangwu')!.get(id)!.remark).to.equal('老朋友');
    await chat.shouldReply('wangwu', `/客戶 備註 ${id}`, '至少還需要');
    await chat.shouldReply('wangwu', '/取消', '');
    await chat.shouldReply('wangwu', `/customers remark ${id}`, 'At least one of');
  });

  it('a value to be typed is asked for as such, in English too (no "Pick the text / Just type it")', async () => {
    await chat.shouldReply('zhangsan', '/broadcast --sender zhangsan --tag 重要', ['What should it say?'], ['Pick the']);
    await chat.shouldReply('zhangsan', '/cancel', 'cancelled');
  });

  it('a switch picked among "at least one of" is given at once, with no value asked for', async () => {
    const [created] = await chat.as('zhangsan').say('/联系我 新增 --user zhangsan --remark 门店');
    const id = /「联系我」ID：<\/font>`([^`]+)`/.exec(created!.content ?? '')?.[1];
    expect(id, created!.content).to.be.a('string');
    const which = cardOf(await chat.as('zhangsan').say(`/联系我 修改 ${id}`));
    const skip = buttonsOf(which).find((b) => b.key === 'ask:skip-verify')!;
    const done = await chat.as('zhangsan').click(which, skip.key!);
    expect(done.map(textOf).join('\n')).to.not.match(/请输入|多余的参数/);
    expect(chat.sim.calls('externalcontact/update_contact_way').at(-1)!.body).to.deep.include({ skip_verify: true });
  });

  it('取消 without its slash ends an open question, in each script', async () => {
    await chat.as('zhangsan').say('/转接');
    await chat.shouldReply('zhangsan', '取消', '已取消');
    await chat.shouldReply('zhangsan', '李四', '发送 /帮助', ['转给谁']);
    await chat.as('zhangsan').say('/transfer');
    await chat.shouldReply('zhangsan', 'never mind', 'cancelled');
  });

  it('/确认 alone asks for the code in words a person understands', async () => {
    await chat.shouldReply('zhangsan', '/确认', '确认码是多少？它在确认卡片上', ['请选择确认码']);
    await chat.shouldReply('zhangsan', '/確認', '確認碼是多少？');
  });
});
