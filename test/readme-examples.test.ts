import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { loadConfig } from '../src/config.js';
import { startDemo, type Demo } from '../src/demo.js';
import { silentLogger } from '../src/log.js';
import { textOf } from './helpers/chat.js';

/** Every command line the README shows as something to type (no placeholder in it), in the order it shows them. */
function readmeExamples(isCommand: (word: string) => boolean): string[] {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const spans = [...readme.matchAll(/`(\/[^`\n]+)`/g)].map((m) => m[1]!.trim());
  const typed = spans.filter((line) => !/[<>＜＞…]/.test(line) && isCommand(line.slice(1).split(/\s+/)[0]!));
  return [...new Set(typed)];
}

const ADMINS = ['zhangsan', 'sunqi', 'wujiu', 'zhengshi', 'chenxiao', 'linfang'];

describe('README examples, against the demo corp', () => {
  let demo: Demo;
  before(async () => {
    // Several admins: WeCom lets an app send one member 30 messages a minute.
    demo = await startDemo(loadConfig({ PORT: '0', STORE_URL: 'memory://', BOT_ADMINS: ADMINS.join(',') }), silentLogger);
  });
  after(() => demo.stop());

  it('runs every example command the README shows, as an admin, and none is refused', async function () {
    this.timeout(60_000);
    const examples = readmeExamples((word) => demo.runtime.bot.registry.resolve(word) !== undefined);
    expect(examples).to.include('/转接 全部 --from 周八 --to 李四');
    const refused: string[] = [];
    for (const [i, line] of examples.entries()) {
      const admin = ADMINS[i % ADMINS.length]!;
      const before = demo.sim.captures.messages.length;
      await demo.sim.sendText(admin, line);
      await demo.runtime.worker.onIdle();
      const answers = demo.sim.captures.messages.slice(before).filter((m) => m.touser.includes(admin));
      const said = answers.map(textOf);
      // A refusal is a reply whose title is coloured as a warning.
      if (answers.length === 0 || said.some((text) => text.startsWith('<font color="warning">'))) refused.push(`${line} → ${said.join('\n').slice(0, 160)}`);
      if (answers.some((m) => m.card?.task_id?.startsWith('ask_'))) {
        await demo.sim.sendText(admin, '/取消');
        await demo.runtime.worker.onIdle();
      }
    }
    expect(refused, refused.join('\n')).to.deep.equal([]);
    expect(examples.length).to.be.greaterThan(15);
  });
});

describe('the demo corp’s timeline', () => {
  let demo: Demo;
  before(async () => {
    demo = await startDemo(loadConfig({ PORT: '0', STORE_URL: 'memory://' }), silentLogger);
  });
  after(() => demo.stop());

  it('knows 周八 by name after he left: /离职 names him and suggests the handover with his name, in each script', async () => {
    for (const [line, expected] of [
      ['/离职', ['周八（zhouba）', '/转接 全部 --from 周八 --to ＜接替成员＞']],
      ['/離職', ['周八（zhouba）', '/轉接 全部 --from 周八 --to ＜接替成員＞']],
      ['/resigned', ['周八 (zhouba)', '/transfer all --from 周八 --to TAKEOVER']],
    ] as const) {
      const before = demo.sim.captures.messages.length;
      await demo.sim.sendText('zhangsan', line);
      await demo.runtime.worker.onIdle();
      const said = demo.sim.captures.messages.slice(before).map(textOf).join('\n');
      for (const piece of expected) expect(said).to.contain(piece);
    }
  });
});
