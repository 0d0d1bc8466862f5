import { expect } from 'chai';
import { authorize } from '../../../src/bot/turn/stages/authorize.js';
import { understandPlain } from '../../../src/bot/turn/stages/understand.js';
import { continueConversation } from '../../../src/bot/turn/stages/conversation.js';
import { readLocale } from '../../../src/bot/turn/stages/locale.js';
import { parseOrAsk } from '../../../src/bot/turn/stages/parse.js';
import { resolveCommand } from '../../../src/bot/turn/stages/resolve.js';
import { runStages, type Stage, type StageResult } from '../../../src/bot/turn/turn.js';
import { TEXT_STAGES } from '../../../src/bot/turn/pipeline.js';
import { stageHarness, type StageHarness } from './harness.js';

/** Runs the stages before `upTo` and then `upTo` itself on a line: what the stage decided, and the turn. */
async function through(h: StageHarness, user: string, text: string, stages: readonly Stage[]) {
  const turn = h.turn(user, text);
  let last: StageResult = 'next';
  for (const stage of stages) {
    last = await stage.run(turn, h.services);
    if (last === 'done') break;
  }
  return { turn, last };
}

describe('the turn stages, one by one (in process, no WeCom)', () => {
  let h: StageHarness;
  beforeEach(async () => {
    h = await stageHarness({ zhangsan: 'admin', lisi: 'manager' });
  });
  afterEach(() => h.close());

  it('locale: a first guess from the line’s script and the member’s stored choice', async () => {
    expect((await through(h, 'wangwu', '/幫助', [readLocale])).turn).to.include({ written: 'zh-Hant', locale: 'zh-Hant' });
    expect((await through(h, 'wangwu', '/help', [readLocale])).turn).to.include({ written: 'en', locale: 'en' });
    await h.services.prefs.setLocale('wangwu', 'en');
    expect((await through(h, 'wangwu', '/帮助', [readLocale])).turn.locale, 'a choice made with /语言 wins').to.equal('en');
  });

  it('conversation: text that is no command and answers no question goes on to be read as a plain request', async () => {
    const { last } = await through(h, 'wangwu', '你們好', [readLocale, continueConversation]);
    expect(last).to.equal('next');
    expect(h.textTo('wangwu')).to.equal('');
  });

  it('understand: a sentence it cannot read gets the hint in its script, and ends the turn', async () => {
    const { last } = await through(h, 'wangwu', '你們好', [readLocale, continueConversation, understandPlain]);
    expect(last).to.equal('done');
    expect(h.textTo('wangwu')).to.contain('/幫助').and.contain('「我的客戶」');
  });

  it('understand: a plain request becomes the words of its command, shown to the member, for the resolve stage', async () => {
    const turn = h.turn('lisi', '張三有多少客戶？');
    const { last } = await through(h, 'lisi', '張三有多少客戶？', [readLocale, continueConversation, understandPlain]);
    expect(last).to.equal('next');
    expect(h.textTo('lisi')).to.contain('按這條指令處理：').and.contain('`/客戶 張三`');
    await runStages([readLocale, continueConversation, understandPlain], turn, h.services);
    expect(turn.words).to.deep.equal(['客戶', '張三']);
  });

  it('conversation: a command ends the open question, /取消 alone says it did, and a line that cannot be read keeps it', async () => {
    await runStages(TEXT_STAGES, h.turn('zhangsan', '/确认'), h.services);
    const unreadable = await through(h, 'zhangsan', '/审计 --user "张', [readLocale, continueConversation]);
    expect(unreadable.last, 'on to resolve, which explains the quote').to.equal('next');
    expect(await h.services.conversations.get('zhangsan'), 'still open').to.include({ actionId: 'confirm' });
    await through(h, 'zhangsan', '/', [readLocale, continueConversation]);
    expect(await h.services.conversations.get('zhangsan'), 'a stray "/" keeps it').to.include({ actionId: 'confirm' });
    const cancelled = await through(h, 'zhangsan', '/取消', [readLocale, continueConversation]);
    expect(cancelled.last).to.equal('done');
    expect(h.textTo('zhangsan')).to.contain('已取消');
    expect(await h.services.conversations.get('zhangsan')).to.equal(undefined);
    await runStages(TEXT_STAGES, h.turn('zhangsan', '/确认'), h.services);
    const other = await through(h, 'zhangsan', '/帮助', [readLocale, continueConversation]);
    expect(other.last, 'another command goes on').to.equal('next');
    expect(await h.services.conversations.get('zhangsan'), 'and the question is over').to.equal(undefined);
  });

  it('resolve: an unknown word gets the closest commands the member may run; the script typed is remembered', async () => {
    const { last } = await through(h, 'wangwu', '/帮主', [readLocale, continueConversation, resolveCommand]);
    expect(last).to.equal('done');
    expect(h.textTo('wangwu')).to.contain('/帮助').and.not.contain('/审计');
    expect((await h.services.prefs.of('wangwu')).lastTyped).to.equal('zh-Hans');
  });

  it('/取消 alone with nothing open says so (conversation); a command that is only sub-commands lists those the member may run (resolve)', async () => {
    await through(h, 'wangwu', '/取消', [readLocale, continueConversation]);
    expect(h.textTo('wangwu')).to.contain('没有');
    const { last } = await through(h, 'lisi', '/朋友圈', [readLocale, continueConversation, resolveCommand]);
    expect(last).to.equal('done');
    expect(h.textTo('lisi')).to.contain('/朋友圈 列表').and.not.contain('/朋友圈 发表');
    const { turn } = await through(h, 'lisi', '/audit', [readLocale, continueConversation, resolveCommand]);
    expect(turn, 'a command with a main action resolves, in the script of its name').to.include({ locale: 'en' });
    expect(turn.found?.actionId).to.equal('audit');
  });

  it('authorize: a member without the role is refused in words and audited with the role as data, before any parsing', async () => {
    const { last } = await through(h, 'lisi', '/审计 --limit 0', [readLocale, continueConversation, resolveCommand, authorize]);
    expect(last).to.equal('done');
    expect(h.textTo('lisi')).to.contain('需要管理员权限').and.not.contain('超出范围');
    const [entry] = await h.services.audit.recent({ user: 'lisi' });
    expect(entry).to.deep.include({ command: 'audit', decision: 'denied', reason: { kind: 'role', needed: 'admin' } });
  });

  it('parse: a bad value is explained with the field’s label and the usage, and audited with the field as data', async () => {
    const { last } = await through(h, 'zhangsan', '/審計 --limit 0', [readLocale, continueConversation, resolveCommand, authorize, parseOrAsk]);
    expect(last).to.equal('done');
    expect(h.textTo('zhangsan')).to.contain('筆數（--limit）的值 0 超出範圍（1 到 100）').and.contain('/審計 [--user');
    const [entry] = await h.services.audit.recent({ user: 'zhangsan' });
    expect(entry?.reason).to.deep.include({ kind: 'input', key: 'errors.parse.outOfRange', fields: { field: { kind: 'option', name: 'limit' } } });
  });

  it('parse: a required value left out is asked for, and the next line answers it', async () => {
    await runStages(TEXT_STAGES, h.turn('zhangsan', '/确认'), h.services);
    expect(h.textTo('zhangsan')).to.contain('确认码');
    expect(await h.services.conversations.get('zhangsan')).to.include({ actionId: 'confirm' });
    const { turn, last } = await through(h, 'zhangsan', 'K7Q2XM', [readLocale, continueConversation, resolveCommand, authorize, parseOrAsk]);
    expect(last).to.equal('next');
    expect(turn.args).to.deep.equal({ code: 'K7Q2XM' });
  });

  it('run: the parsed arguments reach the handler’s context in the turn’s language', async () => {
    await runStages(TEXT_STAGES, h.turn('zhangsan', '/語言 en'), h.services).catch(() => undefined);
    expect(h.ran.at(-1)).to.deep.include({ user: 'zhangsan', locale: 'zh-Hant', args: { locale: 'en' } });
  });
});
