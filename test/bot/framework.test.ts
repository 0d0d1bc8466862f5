import { expect } from 'chai';
import type { CommandDefinition } from '../../src/bot/index.js';
import type { Line } from '../../src/render/markdown.js';
import { startChat, textOf, type Chat } from '../helpers/chat.js';
import { tempSqliteUrl } from '../helpers/stores.js';

const executed: unknown[] = [];

/** A confirm command declared by the test itself (admin only). */
const danger: CommandDefinition = {
  id: 'danger',
  names: { 'zh-Hans': '危险', 'zh-Hant': '危險', en: 'danger' },
  actions: [
    {
      role: 'admin',
      args: [{ name: 'target', type: 'string', required: true }],
      plan: async (ctx) => ({
        summary: { title: `删除 ${String(ctx.args.target)}`, sections: [{ lines: ['将删除 1 项'] }] },
        fields: [['对象', String(ctx.args.target)]],
        payload: { target: ctx.args.target },
      }),
      execute: async (_ctx, payload) => {
        executed.push(payload);
        return { title: '已删除', tone: 'info' };
      },
    },
  ],
};

/** A command answering 300 lines of Chinese text. */
const long: CommandDefinition = {
  id: 'long',
  names: { 'zh-Hans': '长列表', 'zh-Hant': '長列表', en: 'long' },
  actions: [
    {
      role: 'staff',
      run: async () => ({
        title: '客户列表',
        sections: [
          { lines: Array.from({ length: 300 }, (_, i): Line => `第 ${i + 1} 行：客户「张三」备注——重点跟进，电话 138****${String(i).padStart(4, '0')}`) },
        ],
      }),
    },
  ],
};

/** A command that takes longer than the progress delay. */
const slow: CommandDefinition = {
  id: 'slow',
  names: { 'zh-Hans': '慢', 'zh-Hant': '慢慢', en: 'slow' },
  actions: [
    {
      role: 'staff',
      run: async () => {
        await new Promise((r) => setTimeout(r, 250));
        return { title: '完成' };
      },
    },
  ],
};

describe('bot framework: chats', () => {
  let chat: Chat;
  let cleanup: (() => void) | undefined;
  beforeEach(() => {
    executed.length = 0;
    cleanup = undefined;
  });
  afterEach(async () => {
    await chat.close();
    cleanup?.();
  });

  const open = (opts: Parameters<typeof startChat>[0] = {}) =>
    startChat({ admins: ['zhangsan'], managers: ['lisi'], extraCommands: [danger, long, slow], bot: { progressAfterMs: 100, proposalTtlMs: 60_000 }, ...opts });

  it('help lists only what each role may run', async () => {
    chat = await open();
    const [staffHelp] = await chat.as('wangwu').say('/帮助');
    const [managerHelp] = await chat.as('lisi').say('/帮助');
    const [adminHelp] = await chat.as('zhangsan').say('/帮助');
    expect(staffHelp!.content).to.contain('/帮助').and.not.to.contain('/成员').and.not.to.contain('/审计').and.not.to.contain('/危险');
    expect(managerHelp!.content).to.contain('/成员').and.not.to.contain('/审计');
    expect(adminHelp!.content).to.contain('/成员').and.contain('/审计').and.contain('/危险');
    const [detail] = await chat.as('wangwu').say('/帮助 语言');
    expect(detail!.content).to.contain('/语言 [＜语言＞]').and.contain('zh-Hans、zh-Hant 或 en').and.contain('/语言 en');
    const [hidden] = await chat.as('wangwu').say('/帮助 审计');
    expect(hidden!.content).to.contain('没有你可以使用的命令');
  });

  it('answers /成員 in Traditional Chinese and /staff in English', async () => {
    chat = await open();
    const [hant] = await chat.as('lisi').say('/成員');
    expect(hant!.content).to.match(/開通客戶聯絡的成員：\d+ 人/);
    const [en] = await chat.as('lisi').say('/staff');
    expect(en!.content).to.match(/Members with customer contact: \d+/);
    expect(en!.content).to.contain('zhangsan');
  });

  it('keeps /语言 en across a restart (SQLite)', async () => {
    const db = tempSqliteUrl();
    cleanup = db.cleanup;
    chat = await open({ storeUrl: db.url });
    const [set] = await chat.as('wangwu').say('/语言 en');
    expect(set!.content).to.contain('Replies are now in English');
    await chat.restart();
    const [reply] = await chat.as('wangwu').say('/帮助');
    expect(reply!.content).to.contain('Commands you can use');
    const [hint] = await chat.as('wangwu').say('你好');
    expect(hint!.content).to.contain('Send /help');
  });

  it('suggests the right command for a typo, among permitted ones only', async () => {
    chat = await open();
    const [typo] = await chat.as('wangwu').say('/帮主');
    expect(typo!.content).to.contain('没有这个命令').and.contain('/帮助');
    const [en] = await chat.as('lisi').say('/stafff');
    expect(en!.content).to.contain('/staff');
    const [notForStaff] = await chat.as('wangwu').say('/stafff');
    expect(notForStaff!.content).not.to.contain('`/staff`');
  });

  it('denies a staff member an admin command, audits it, and offers no confirmation', async () => {
    chat = await open();
    const replies = await chat.as('wangwu').say('/危险 客户A');
    expect(replies).to.have.length(1);
    expect(replies[0]!.msgtype).to.equal('markdown');
    expect(replies[0]!.content).to.contain('没有权限').and.contain('管理员');
    expect(chat.sim.captures.messages.some((m) => m.msgtype === 'template_card')).to.equal(false);
    const [log] = await chat.as('zhangsan').say('/审计 --user wangwu');
    expect(log!.content).to.contain('wangwu').and.contain('`/危险`').and.contain('拒绝');
  });

  it('proposes a card; another member’s click is refused; the proposer’s click runs once under triple delivery and updates the card', async () => {
    chat = await open();
    const [card] = await chat.as('zhangsan').say('/危险 客户A');
    expect(card!.msgtype).to.equal('template_card');
    expect(card!.card!.card_type).to.equal('button_interaction');
    expect(textOf(card!))
      .to.contain('删除 客户A')
      .and.match(/\/确认 [A-Z2-9]{6}/);
    expect(executed).to.have.length(0);

    const [refusal] = await chat.as('lisi').click(card!, 'confirm');
    expect(refusal!.content).to.contain('只有发起人 张三（zhangsan）');
    expect(executed).to.have.length(0);

    const after = await chat.as('zhangsan').click(card!, 'confirm', 3);
    expect(executed).to.deep.equal([{ target: '客户A' }]);
    expect(after.map((m) => m.content)).to.deep.equal(['<font color="info">已删除</font>']);
    expect(chat.sim.captures.cardUpdates).to.have.length(1);
    expect(chat.sim.captures.cardsByTaskId.get(card!.card!.task_id!)!.replacedWith).to.equal('已确认');

    const again = await chat.as('zhangsan').click(card!, 'confirm');
    expect(again[0]!.content).to.contain('已经处理过了');
    expect(executed).to.have.length(1);
    const [log] = await chat.as('zhangsan').say('/审计 --limit 10');
    for (const word of ['待确认', '已确认', '已执行', '拒绝']) expect(log!.content).to.contain(word);
  });

  it('accepts the typed fallback /确认 <code> and /取消 <code>', async () => {
    chat = await open();
    const [card] = await chat.as('zhangsan').say('/danger X');
    const code = /\/confirm ([A-Z2-9]{6})/.exec(textOf(card!))![1]!;
    const [cancelled] = await chat.as('zhangsan').say(`/cancel ${code.toLowerCase()}`);
    expect(cancelled!.content).to.contain('Cancelled');
    expect(chat.sim.captures.cardsByTaskId.get(card!.card!.task_id!)!.replacedWith).to.equal('Cancelled');
    // Typed in Simplified Chinese, answered so (the card was English: the reply follows what was typed last).
    const [late] = await chat.as('zhangsan').say(`/确认 ${code}`);
    expect(late!.content).to.contain('已经处理过了');
    expect(executed).to.have.length(0);
    const [second] = await chat.as('zhangsan').say('/危险 Y');
    const code2 = /\/确认 ([A-Z2-9]{6})/.exec(textOf(second!))![1]!;
    const [done] = await chat.as('zhangsan').say(`/确认 ${code2}`);
    expect(done!.content).to.contain('已删除');
    expect(executed).to.deep.equal([{ target: 'Y' }]);
  });

  it('refuses an expired proposal and marks the card expired', async () => {
    chat = await open({ bot: { proposalTtlMs: 100 } });
    const [card] = await chat.as('zhangsan').say('/危险 Z');
    await new Promise((r) => setTimeout(r, 150));
    const [reply] = await chat.as('zhangsan').click(card!, 'confirm');
    expect(reply!.content).to.contain('已过期');
    expect(executed).to.have.length(0);
    expect(chat.sim.captures.cardsByTaskId.get(card!.card!.task_id!)!.replacedWith).to.equal('已过期');
  });

  it('keeps a proposal across a restart (SQLite)', async () => {
    const db = tempSqliteUrl();
    cleanup = db.cleanup;
    chat = await open({ storeUrl: db.url });
    const [card] = await chat.as('zhangsan').say('/危险 R');
    await chat.restart();
    await chat.as('zhangsan').click(card!, 'confirm');
    expect(executed).to.deep.equal([{ target: 'R' }]);
  });

  it('sends a 300-line reply as ordered parts of at most 2048 bytes with no broken character', async () => {
    chat = await open();
    const parts = await chat.as('wangwu').say('/长列表');
    expect(parts.length).to.be.greaterThan(3);
    const n = parts.length;
    parts.forEach((part, i) => {
      expect(Buffer.byteLength(part.content!, 'utf8')).to.be.at.most(2048);
      expect(part.content!).not.to.contain('\uFFFD');
      expect(part.content!.split('\n')[0]).to.equal(`**客户列表** (${i + 1}/${n})`);
    });
    const lines = parts.flatMap((p) => p.content!.split('\n').slice(1));
    expect(lines).to.have.length(300);
    expect(lines[0]).to.match(/^第 1 行/);
    expect(lines[299]).to.match(/^第 300 行/);
  });

  it('says 处理中… first when a command runs longer than the delay', async () => {
    chat = await open();
    const replies = await chat.as('wangwu').say('/慢');
    expect(replies.map((m) => m.content)).to.deep.equal(['<font color="comment">处理中…</font>', '**完成**']);
  });

  it('explains parse errors in the user’s locale with the usage, and hints at /help for plain text', async () => {
    chat = await open();
    const [unclosed] = await chat.as('zhangsan').say('/審計 --user 「zhangsan');
    expect(unclosed!.content).to.contain('引號 「 沒有閉合');
    const [badLimit] = await chat.as('zhangsan').say('/audit --limit many');
    expect(badLimit!.content).to.contain('count (--limit) needs a whole number').and.contain('/audit [--user MEMBER] [--limit COUNT]');
    const [unknownOption] = await chat.as('zhangsan').say('/审计 --color red');
    expect(unknownOption!.content).to.contain('没有选项 --color');
    const [log] = await chat.as('zhangsan').say('/审计');
    expect(log!.content)
      .to.contain('这个命令没有选项')
      .and.not.match(/errors\.parse/);
    // A first message in English gets the hint in English; a Chinese one after it, in Chinese.
    const [hint] = await chat.as('wangwu').say('hello');
    expect(hint!.content).to.contain('/help');
    const [zhHint] = await chat.as('wangwu').say('你好，这个怎么用');
    expect(zhHint!.content).to.contain('/帮助');
    const [huge] = await chat.as('wangwu').say(`/${'y'.repeat(3000)}`);
    expect(Buffer.byteLength(huge!.content!)).to.be.below(400);
    expect(huge!.content).to.contain('There is no command').and.contain('…');
  });

  it('explains WeCom errors in the user’s locale with the errcode', async () => {
    chat = await open();
    chat.sim.faults = { errcodeRates: { 48002: 1 }, paths: /get_follow_user_list/ };
    const [reply] = await chat.as('lisi').say('/成員');
    expect(reply!.content).to.contain('企業微信回傳錯誤 48002').and.contain('errcode 48002');
  });
});

describe('bot framework: pacing', () => {
  it('paces the parts of a long reply so a member never gets more than the allowed number per window', async () => {
    const chat = await startChat({ extraCommands: [long], bot: { pacing: { perWindow: 3, windowMs: 300 } } });
    try {
      const parts = await chat.as('wangwu').say('/长列表');
      expect(parts.length).to.be.greaterThan(3);
      expect(parts.every((p) => !p.dropped)).to.equal(true);
      // Three sends per 300 ms window (a little slack for the HTTP hop to the simulator).
      for (let i = 3; i < parts.length; i++) {
        expect(parts[i]!.at - parts[i - 3]!.at).to.be.at.least(280);
      }
    } finally {
      await chat.close();
    }
  });

  it('paces to the hour’s limit as well (WeCom: 1,000 an hour besides 30 a minute; here 4 in a shortened hour)', async () => {
    const chat = await startChat({ extraCommands: [long], bot: { pacing: { perWindow: 100, windowMs: 60_000, perHour: 4, hourMs: 400 } } });
    try {
      const parts = await chat.as('wangwu').say('/长列表');
      expect(parts.length).to.be.greaterThan(4);
      expect(parts.every((p) => !p.dropped)).to.equal(true);
      for (let i = 4; i < parts.length; i++) expect(parts[i]!.at - parts[i - 4]!.at).to.be.at.least(380);
    } finally {
      await chat.close();
    }
  });
});
