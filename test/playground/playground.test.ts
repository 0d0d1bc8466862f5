import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import fetch from 'node-fetch';
import { loadConfig } from '../../src/config.js';
import { startDemo, type Demo } from '../../src/demo.js';
import { silentLogger } from '../../src/log.js';
import { startRecording, until } from '../helpers/runtime.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('playground (demo mode)', () => {
  let demo: Demo;
  beforeEach(async () => {
    demo = await startDemo(loadConfig({ PORT: '0', STORE_URL: 'memory://' }), silentLogger);
  });
  afterEach(() => demo.stop());

  it('serves the page on loopback, lists the demo people with roles, and answers over the real road', async () => {
    const page = await fetch(demo.playgroundUrl);
    expect(page.status).to.equal(200);
    expect(await page.text()).to.contain('<title>wecom-contact-ops · playground</title>');
    const people = (await (await fetch(`${demo.playgroundUrl}/api/people`)).json()) as { members: { userid: string; role: string }[] };
    expect(people.members.find((m) => m.userid === 'zhangsan')?.role).to.equal('admin');
    expect(people.members.find((m) => m.userid === 'lisi')?.role).to.equal('manager');
    const said = await fetch(`${demo.playgroundUrl}/api/say`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'zhaoliu', text: '/客戶' }),
    });
    expect(await said.json()).to.deep.include({ statuses: [200] });
    // What the member typed is kept for a reload of the page.
    const kept = (await (await fetch(`${demo.playgroundUrl}/api/said?user=zhaoliu`)).json()) as { said: { text: string }[] };
    expect(kept.said.map((line) => line.text)).to.deep.equal(['/客戶']);
    await demo.runtime.worker.onIdle();
    const { messages } = (await (await fetch(`${demo.playgroundUrl}/api/messages?since=0&user=zhaoliu`)).json()) as { messages: { content?: string }[] };
    expect(messages[0]!.content).to.match(/赵六（zhaoliu）的客戶：\d+ 位/);
    expect(demo.sim.calls('externalcontact/list')).to.have.length(1);
  });

  it('shows a role given in chat on the people list at once', async () => {
    const say = (user: string, text: string) =>
      fetch(`${demo.playgroundUrl}/api/say`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user, text }) });
    await say('zhangsan', '/角色 添加 zhaoliu 管理员');
    await demo.runtime.worker.onIdle();
    const people = (await (await fetch(`${demo.playgroundUrl}/api/people`)).json()) as { members: { userid: string; role: string }[] };
    expect(people.members.find((m) => m.userid === 'zhaoliu')?.role).to.equal('admin');
  });

  it('streams the bot’s messages as server-sent events', async () => {
    const controller = new AbortController();
    const res = await fetch(`${demo.playgroundUrl}/api/events`, { signal: controller.signal });
    expect(res.headers.get('content-type')).to.contain('text/event-stream');
    const received = new Promise<string>((resolve) => {
      let buffer = '';
      res.body!.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        if (buffer.includes('event: message')) resolve(buffer);
      });
    });
    await demo.sim.sendText('lisi', '/help');
    const text = await received;
    expect(text).to.contain('Commands you can use');
    controller.abort();
  });

  it('fires add_external_contact on demand', async () => {
    await demo.sim.sendText('zhangsan', '/欢迎语 设置 --text 欢迎');
    await demo.runtime.worker.onIdle();
    const res = await fetch(`${demo.playgroundUrl}/api/simulate/add-contact`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'zhaoliu' }),
    });
    expect(res.status).to.equal(200);
    await demo.runtime.worker.onIdle();
    expect(demo.sim.corp.welcomesSent).to.have.length(1);
  });

  it('a customer deletes a member on demand, and the clock jumps to Monday 09:00: the member is told, the managers get the weekly digest', async () => {
    const seq = demo.sim.captures.lastSeq;
    const post = (path: string, body: object) =>
      fetch(`${demo.playgroundUrl}/api/simulate/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post('delete-contact', { user: 'wangwu' })).status).to.equal(200);
    const moved = (await (await post('next-monday', {})).json()) as { now: string };
    // 09:00:30 in Shanghai, a Monday.
    expect(new Date(moved.now).getUTCDay()).to.equal(1);
    expect(moved.now).to.match(/T01:00:30/);
    const sent = (user: string, pattern: RegExp) =>
      demo.sim.captures.messages.some((m) => m.seq > seq && m.touser.includes(user) && pattern.test(m.content ?? ''));
    await until(() => sent('wangwu', /删除了你/), 'the alert to wangwu', 15_000);
    await until(() => sent('lisi', /上周简报/), 'the weekly digest', 15_000);
  });

  it('refuses bad bodies', async () => {
    const res = await fetch(`${demo.playgroundUrl}/api/say`, { method: 'POST', body: 'not json' });
    expect(res.status).to.equal(400);
  });
});

/** An entry of a chat with the 智能机器人 as the playground's API returns it. */
interface AibotItem {
  kind: 'said' | 'stream' | 'push';
  from?: string;
  text?: string;
  msgid?: string;
  content?: string;
  finished?: boolean;
  card?: { task_id: string; sub_title_text?: string; button_list?: { key: string; text: string }[] };
}

describe('playground: the 智能机器人 in the demo group and in single chats', () => {
  let demo: Demo;
  const GROUP = 'wr-demo-team';
  beforeEach(async () => {
    demo = await startDemo(loadConfig({ PORT: '0', STORE_URL: 'memory://' }), silentLogger);
    await demo.aibot.waitForConnection(5000);
  });
  afterEach(() => demo.stop());

  const post = (path: string, body: object) =>
    fetch(`${demo.playgroundUrl}/api/aibot/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const say = async (user: string, text: string, chat?: string) => {
    const res = await post('say', { user, text, ...(chat ? { chat } : {}) });
    expect(res.status, await res.clone().text()).to.equal(200);
    return (await res.json()) as { msgid: string };
  };
  const group = async (viewer: string) => (await (await fetch(`${demo.playgroundUrl}/api/aibot/group?viewer=${viewer}`)).json()) as { items: AibotItem[] };
  const single = async (user: string) => (await (await fetch(`${demo.playgroundUrl}/api/aibot/single?user=${user}`)).json()) as { items: AibotItem[] };
  /** The timeline once `pick` finds an entry in it. */
  async function waitFor(read: () => Promise<{ items: AibotItem[] }>, pick: (item: AibotItem) => boolean, what: string): Promise<AibotItem[]> {
    const end = Date.now() + 10_000;
    for (;;) {
      const { items } = await read();
      if (items.some(pick)) return items;
      if (Date.now() > end) throw new Error(`no ${what} in ${JSON.stringify(items).slice(0, 2000)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('lists the group and its members; @bot /统计 上周 as lisi: one stream after her line, with the figures as a table', async () => {
    const body = (await (await fetch(`${demo.playgroundUrl}/api/aibot/group`)).json()) as {
      group: { id: string; name: string; members: { userid: string }[] };
      connected: boolean;
    };
    expect(body.group).to.include({ id: GROUP, name: '销售一组' });
    expect(body.group.members.map((m) => m.userid)).to.include.members(['zhangsan', 'lisi', 'wangwu']);
    expect(body.connected).to.equal(true);
    const { msgid } = await say('lisi', '/统计 上周', GROUP);
    const items = await waitFor(
      () => group('lisi'),
      (i) => i.kind === 'stream' && i.msgid === msgid && i.finished === true,
      'finished stream',
    );
    const at = items.findIndex((i) => i.kind === 'said' && i.msgid === msgid);
    expect(items[at]).to.include({ from: 'lisi', text: '/统计 上周' });
    expect(items[at + 1]).to.include({ kind: 'stream', msgid });
    expect(
      items.filter((i) => i.kind === 'stream'),
      'one entry per stream',
    ).to.have.length(1);
    expect(items[at + 1]!.content)
      .to.match(/^\| 时间 \|/m)
      .and.match(/^\| --- \|/m);
    // The bot's frames went through the real long connection, every one accepted.
    expect(demo.aibot.errors()).to.deep.equal([]);
  });

  it('@bot /客户 as lisi: "私下" in the group, the list by the app; after a single chat with the bot, the list in it', async () => {
    const names = demo.sim.corp.customersOf('lisi').map((c) => demo.sim.corp.customer(c.external_userid).name);
    const first = await say('lisi', '/客户', GROUP);
    const items = await waitFor(
      () => group('lisi'),
      (i) => i.msgid === first.msgid && i.kind === 'stream' && i.finished === true,
      'answer',
    );
    const answer = items.find((i) => i.kind === 'stream' && i.msgid === first.msgid)!;
    expect(answer.content).to.contain('私下');
    for (const name of names.slice(0, 8)) expect(answer.content).not.to.contain(name);
    // lisi never wrote to the bot alone: the app carries the list (the playground's app chat shows it).
    const end = Date.now() + 10_000;
    for (;;) {
      const { messages } = (await (await fetch(`${demo.playgroundUrl}/api/messages?since=0&user=lisi`)).json()) as { messages: { content?: string }[] };
      if (messages.some((m) => m.content?.includes(names[0]!))) break;
      if (Date.now() > end) throw new Error('the list never came by the app');
      await new Promise((r) => setTimeout(r, 50));
    }
    // Once lisi has a single chat with the bot, the list arrives there.
    const help = await say('lisi', '/帮助');
    await waitFor(
      () => single('lisi'),
      (i) => i.msgid === help.msgid && i.kind === 'stream' && i.finished === true,
      'help',
    );
    await say('lisi', '/客户', GROUP);
    const privately = await waitFor(
      () => single('lisi'),
      (i) => i.kind === 'push' && (i.content ?? '').includes(names[0]!),
      'private list',
    );
    expect(privately[0]).to.include({ kind: 'said', from: 'lisi', text: '/帮助' });
    expect(privately.find((i) => i.kind === 'push')!.content).to.match(/^1\. \*\*/m);
    // Nobody else's single chat shows it.
    expect((await single('wangwu')).items).to.deep.equal([]);
  });

  it('a confirmation card in the group: a click by someone else changes only their copy; the proposer’s confirms', async () => {
    const proposed = await say('zhangsan', '/转接 全部 --from 周八 --to 李四', GROUP);
    const items = await waitFor(
      () => group('zhangsan'),
      (i) => i.msgid === proposed.msgid && i.card !== undefined,
      'card',
    );
    const card = items.find((i) => i.msgid === proposed.msgid && i.kind === 'stream')!.card!;
    expect(card.button_list?.map((b) => b.text)).to.include('确认执行');

    expect((await post('click', { user: 'wangwu', taskId: card.task_id, key: 'confirm' })).status).to.equal(200);
    await demo.aibot.waitForCardUpdate((u) => u.taskId === card.task_id);
    const seen = async (viewer: string) => (await group(viewer)).items.find((i) => i.msgid === proposed.msgid && i.kind === 'stream')!.card!;
    const wangwus = await seen('wangwu');
    const zhangsans = await seen('zhangsan');
    expect(wangwus, 'wangwu sees the refusal in his copy').not.to.deep.equal(zhangsans);
    expect(zhangsans.button_list).to.have.length(2);
    expect(demo.sim.calls('externalcontact/transfer_customer')).to.have.length(0);

    expect((await post('click', { user: 'zhangsan', taskId: card.task_id, key: 'confirm' })).status).to.equal(200);
    await waitFor(
      () => group('lisi'),
      (i) => i.msgid === proposed.msgid && i.finished === true && /成功 \d+ 位/.test(i.content ?? ''),
      'summary',
    );
    expect((await seen('lisi')).sub_title_text).to.contain('已确认');
  });

  it('refuses a speaker outside the group, an unknown card, and an unknown member’s single chat', async () => {
    expect((await post('say', { user: 'zhouba', text: '/帮助', chat: GROUP })).status).to.equal(400);
    expect((await post('say', { user: 'lisi', text: '/帮助', chat: 'wr-other' })).status).to.equal(400);
    expect((await post('click', { user: 'lisi', taskId: 'nope', key: 'confirm' })).status).to.equal(400);
    expect((await fetch(`${demo.playgroundUrl}/api/aibot/single?user=nobody`)).status).to.equal(400);
  });
});

describe('the demo corp on its own', () => {
  it('now and then a customer deletes a member, and the bot tells the member (at once, or after quiet hours)', async () => {
    const demo = await startDemo(loadConfig({ PORT: '0', STORE_URL: 'memory://' }), silentLogger, { churnEveryMs: 100 });
    try {
      const told = async () =>
        demo.sim.captures.messages.some((m) => /删除了你/.test(m.content ?? '')) ||
        (await demo.runtime.bot.notices.waiting()).some((n) => n.key.startsWith('del_follow_user:'));
      const end = Date.now() + 5000;
      while (!(await told())) {
        if (Date.now() > end) throw new Error('no customer deleted a member');
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      await demo.stop();
    }
  });
});

describe('playground in production', () => {
  it('is 404 when WECOM_CORP_ID is set', async () => {
    const bot = await startRecording();
    try {
      expect((await fetch(`${bot.url}/playground`)).status).to.equal(404);
      expect((await fetch(`${bot.url}/playground/api/people`)).status).to.equal(404);
      expect((await fetch(`${bot.url}/playground/api/aibot/group`)).status).to.equal(404);
    } finally {
      await bot.stop();
    }
  });
});

describe('terminal chat (npm run chat)', () => {
  it('starts a demo when none runs, answers /帮助, and prints a card with its buttons', async function () {
    this.timeout(40_000);
    // What `npm run chat` runs: the compiled entry under plain node.
    const child = spawn(process.execPath, [`${root}dist/src/chat.js`, '--as', 'zhangsan', '--url', 'http://127.0.0.1:1'], {
      cwd: root,
      env: { PATH: process.env.PATH, STORE_URL: 'memory://' },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const waitFor = async (text: string) => {
      const until = Date.now() + 25_000;
      while (!out.includes(text)) {
        if (Date.now() > until) throw new Error(`no "${text}" in: ${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    await waitFor('zhangsan> ');
    child.stdin.write('/帮助\n');
    await waitFor('你可以使用的命令');
    child.stdin.write('/标签 新增 临时 待删\n');
    await waitFor('已新建标签组');
    child.stdin.write('/标签 删除 待删\n');
    await waitFor('[:1] 确认执行');
    child.stdin.write(':2\n');
    await waitFor('已取消');
    const exit = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.stdin.write(':quit\n');
    expect(await exit).to.equal(0);
    expect(out).not.to.contain('\x1b['); // not a terminal: plain text
  });

  it('refuses to speak as a member the demo corp does not have, in words, and takes a name for a UserID', async function () {
    this.timeout(40_000);
    const run = (as: string, input: string) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(process.execPath, [`${root}dist/src/chat.js`, '--as', as, '--url', 'http://127.0.0.1:1'], {
          cwd: root,
          env: { PATH: process.env.PATH, STORE_URL: 'memory://' },
        });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (out += d.toString()));
        child.on('exit', (code) => resolve({ code, out }));
        child.stdin.write(input);
      });
    const refused = await run('nobody', '');
    expect(refused.code).to.equal(2);
    expect(refused.out).to.contain('No member "nobody" in the demo corp').and.contain('zhangsan (张三, admin)');
    const named = await run('李四', ':as 路人\n:quit\n');
    expect(named.code).to.equal(0);
    expect(named.out).to.contain('lisi> ').and.contain('No member "路人"');
  });
});
