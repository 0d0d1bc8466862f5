import { expect } from 'chai';
import { replyLocale } from '../../src/bot/locale.js';
import { startChat, textOf, type Chat } from '../helpers/chat.js';

describe('reply locale: one language per conversation', () => {
  it('ranks the clues: the choice, the command word, the line, the last script typed, the default', () => {
    const base = { named: [], fallback: 'zh-Hans' } as const;
    expect(replyLocale({ ...base, chosen: 'en', named: ['zh-Hant'] })).to.equal('en');
    expect(replyLocale({ ...base, named: ['zh-Hant'], lastTyped: 'en' })).to.equal('zh-Hant');
    expect(replyLocale({ ...base, named: ['zh-Hans', 'zh-Hant'], written: 'zh-Hant', lastTyped: 'zh-Hans' })).to.equal('zh-Hant');
    expect(replyLocale({ ...base, named: ['zh-Hans', 'zh-Hant'], lastTyped: 'zh-Hant' })).to.equal('zh-Hant');
    expect(replyLocale({ ...base, named: ['zh-Hans', 'zh-Hant'], lastTyped: 'en' }), 'English is no name of 群').to.equal('zh-Hans');
    expect(replyLocale({ ...base })).to.equal('zh-Hans');
  });

  describe('in a chat', () => {
    let chat: Chat;
    beforeEach(async () => {
      chat = await startChat({ admins: ['zhangsan'], managers: ['lisi'] });
    });
    afterEach(() => chat.close());

    it('keeps Traditional for /群 after a Traditional command, and English after an English one', async () => {
      await chat.shouldReply('lisi', '/客戶 lisi', '的客戶');
      await chat.shouldReply('lisi', '/群', /客戶群：共 \d+ 個/);
      await chat.shouldReply('lisi', '/朋友圈', '可以這樣用');
      await chat.shouldReply('lisi', '/customers lisi', "'s customers");
      await chat.shouldReply('lisi', '/群', /客户群：共 \d+ 个/, ['個']);
    });

    it('answers /确认 in the script it was typed in, whatever the card was in, and keeps the card in its own', async () => {
      const [card] = await chat.as('zhangsan').say('/transfer all --from zhouba --to lisi');
      const code = /\/confirm ([A-Z0-9]{6})/.exec(textOf(card!))![1]!;
      const [cancelled] = await chat.as('zhangsan').say(`/取消 ${code}`);
      expect(cancelled!.content).to.contain('已取消');
      expect(chat.sim.captures.cardsByTaskId.get(card!.card!.task_id!)!.replacedWith).to.equal('Cancelled');
    });

    it('/语言 still fixes the language, whatever is typed', async () => {
      await chat.shouldReply('wangwu', '/语言 zh-Hant', '繁體中文');
      await chat.shouldReply('wangwu', '/customers', '的客戶');
      await chat.shouldReply('wangwu', '/客户', '的客戶');
    });

    it('a Latin word that is no command (a UserID) keeps a Chinese conversation Chinese', async () => {
      await chat.shouldReply('wangwu', '/客户', '的客户');
      await chat.shouldReply('wangwu', 'wangwu', '/帮助');
      await chat.shouldReply('wangwu', '/nosuch', 'There is no command');
    });
  });
});
