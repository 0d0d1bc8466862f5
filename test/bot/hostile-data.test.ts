import { expect } from 'chai';
import { startChat, type Chat } from '../helpers/chat.js';
import { spawnCollecting, startCommand } from '../helpers/process.js';
import { TEST_ENV } from '../helpers/runtime.js';

describe('hostile data and input', () => {
  let chat: Chat;
  beforeEach(async () => {
    chat = await startChat({ admins: ['zhangsan'], managers: ['lisi'] });
  });
  afterEach(() => chat.close());

  it('shows bidi overrides and control characters in WeCom data instead of letting them act', async () => {
    const [first] = chat.sim.corp.customersOf('wangwu');
    const profile = chat.sim.corp.customers.get(first!.external_userid)!;
    profile.name = `孙\u202E丽\u0085张\u000B三\u000C\u2066`;
    const [reply] = await chat.as('wangwu').say('/客户');
    const text = reply!.content!;
    expect(text).to.contain('孙⟨U+202E⟩丽⟨U+0085⟩张⟨U+000B⟩三⟨U+000C⟩⟨U+2066⟩');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for the raw control characters
    expect(text).not.to.match(/[\u202E\u0085\u000B\u000C\u2066]/);
  });

  it('says a message with undecodable bytes could not be read, never echoing them, and answers no sender that is no UserID', async () => {
    // Invalid UTF-8 decodes to U+FFFD: the member is told in words, and no "���(��� 还没有客户".
    const [garbled] = await chat.as('lisi').say('/客户 \uFFFD\uFFFD(\uFFFD');
    expect(garbled!.content).to.contain('无法识别的字符').and.not.contain('\uFFFD');
    // A FromUserName of 300 bytes is no UserID (doc 90196: 64 bytes at most): refused, nothing sent to it.
    const long = 'u'.repeat(300);
    expect(await chat.sim.sendText(long, '/帮助')).to.deep.equal([400]);
    await chat.bot.worker.onIdle();
    expect(chat.sim.calls('message/send').filter((c) => JSON.stringify(c.body).includes(long))).to.have.length(0);
  });

  it('refuses a member or customer id longer than WeCom allows before any API call, in words', async () => {
    const longId = 'x'.repeat(1000);
    const before = chat.sim.requests.filter((r) => r.path.startsWith('externalcontact/')).length;
    const [detail] = await chat.as('lisi').say(`/客户 详情 wm${longId}`);
    expect(detail!.content).to.contain('不是有效的成员或客户 ID').and.contain('64 字节');
    const [list] = await chat.as('lisi').say(`/customers ${'y'.repeat(200)}`);
    expect(list!.content).to.contain('is not a valid member or customer ID');
    const [hant] = await chat.as('lisi').say(`/客戶 ${'z'.repeat(65)}`);
    expect(hant!.content).to.contain('不是有效的成員或客戶 ID');
    expect(chat.sim.requests.filter((r) => r.path.startsWith('externalcontact/')).length).to.equal(before);
    for (const reply of [detail, list, hant]) expect(reply!.content!.length).to.be.lessThan(400);
  });
});

describe('a store in a kernel file system', () => {
  it('stops the start with one line instead of spinning', async function () {
    this.timeout(20_000);
    const { node, args } = startCommand();
    const proc = spawnCollecting(node, args, { env: { PATH: process.env.PATH, ...TEST_ENV, STORE_URL: 'sqlite:///proc/wco/bot.sqlite' } });
    const started = performance.now();
    expect(await proc.exit()).to.equal(1);
    expect(performance.now() - started).to.be.lessThan(5000);
    // The configuration it read (the first log line), then the one line that says why it stops.
    const lines = proc.output().trim().split('\n');
    expect(lines).to.have.length(2);
    expect(JSON.parse(lines[0]!)).to.include({ event: 'config', mode: 'production' });
    expect(lines[1]).to.match(/cannot start: STORE_URL: \/proc\/wco is a kernel file system/);
  });
});
