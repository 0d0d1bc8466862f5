import { join } from 'node:path';
import { expect } from 'chai';
import { startChat, textOf, type Chat } from '../helpers/chat.js';
import { smallDisk, type SmallDisk } from '../helpers/disk.js';

const PROCESSING = ['处理中…', '處理中…', 'Working on it…'];

describe('a full disk mid-run, then a restart (issue 26: replies once after a storage failure)', () => {
  let chat: Chat | undefined;
  let disk: SmallDisk | undefined;
  afterEach(async () => {
    disk?.free();
    await chat?.close();
    disk?.remove();
    chat = undefined;
    disk = undefined;
  });

  it('sends no answer twice: what was delivered before the disk filled stays delivered, the rest is answered once after', async function () {
    this.timeout(60_000);
    disk = smallDisk(8);
    if (!disk) return this.skip(); // not root: no tmpfs to fill
    chat = await startChat({ admins: ['zhangsan'], storeUrl: `sqlite://${join(disk.dir, 'bot.sqlite')}`, sim: { members: 30 } });
    const users = [...chat.sim.corp.members.values()]
      .filter((m) => m.status === 'active')
      .map((m) => m.userid)
      .slice(0, 20);
    const seq = chat.sim.captures.lastSeq;
    const answers = (u: string) => chat!.sim.captures.to(u).filter((m) => m.seq > seq && !PROCESSING.some((p) => textOf(m).includes(p)));
    // Replies are slow, so the disk fills with most of the work acknowledged and not done.
    chat.sim.faults = { latencyMs: 150, paths: /^message\/send$/ };
    await Promise.all(users.map((u) => chat!.sim.sendText(u, '/帮助 语言')));
    while (users.reduce((n, u) => n + answers(u).length, 0) < 4) await new Promise((r) => setTimeout(r, 20));
    disk.fill();
    await new Promise((r) => setTimeout(r, 3000));
    const duringFull = users.reduce((n, u) => n + answers(u).length, 0);
    disk.free();
    chat.sim.faults = {};
    await chat.restart();
    await chat.bot.worker.onIdle();
    const counts = users.map((u) => answers(u).length);
    expect(duringFull, 'answered before the restart').to.be.below(users.length);
    expect(
      counts.filter((n) => n > 1),
      'members answered more than once',
    ).to.deep.equal([]);
    expect(
      counts.filter((n) => n === 0),
      'members never answered',
    ).to.deep.equal([]);
  });
});
