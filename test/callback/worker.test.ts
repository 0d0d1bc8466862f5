import { expect } from 'chai';
import type { Inbound } from '../../src/callback/inbound.js';
import { encodeInbound } from '../../src/callback/inbound-codec.js';
import { InboxWorker, PoisonEntryError } from '../../src/callback/worker.js';
import { SqliteInbox } from '../../src/store/inbox-sqlite.js';
import { openInMemoryDatabase, openSqliteDatabase } from '../../src/store/sqlite.js';
import type { Inbox, InboxEntry } from '../../src/store/index.js';
import { tempSqliteUrl } from '../helpers/stores.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const text = (key: string, from: string, content: string) => ({
  key,
  lane: `user:${from}`,
  urgent: false,
  inbound: { kind: 'text', toUserName: 'wwcorp', fromUserName: from, createTime: 1764806400, agentId: 1000002, msgId: key, content } satisfies Inbound,
});
/** The same delivery as another process left it in the inbox. */
const stored = (key: string, from: string, content: string) => {
  const { inbound, ...entry } = text(key, from, content);
  return { ...entry, payload: encodeInbound(inbound) };
};

function worker(inbox: Inbox, handle: (content: string) => Promise<void>, errors: unknown[] = [], concurrency = 4): InboxWorker {
  return new InboxWorker({
    inbox,
    handle: (inbound) => handle((inbound as { content: string }).content),
    capacity: 100,
    concurrency,
    dedupTtlMs: 60_000,
    durable: true,
    soleUser: true,
    onError: (err) => errors.push(err),
  });
}

describe('inbox worker', () => {
  it('runs one member’s commands in order while other members run beside them', async () => {
    const db = openInMemoryDatabase();
    const order: string[] = [];
    const w = worker(new SqliteInbox(db), async (content) => {
      order.push(`start ${content}`);
      await sleep(content === 'a1' ? 30 : 1);
      order.push(`end ${content}`);
    });
    await w.start();
    await Promise.all([w.submit(text('1', 'a', 'a1')), w.submit(text('2', 'a', 'a2')), w.submit(text('3', 'b', 'b1'))]);
    await w.onIdle();
    expect(order.indexOf('end a1')).to.be.lessThan(order.indexOf('start a2'));
    expect(order.indexOf('end b1')).to.be.lessThan(order.indexOf('end a1')); // b did not wait for a
    await w.drain(1000);
    db.close();
  });

  it('takes urgent lanes (a welcome code lives 20 s) before waiting ones', async () => {
    const db = openInMemoryDatabase();
    const order: string[] = [];
    const w = worker(
      new SqliteInbox(db),
      async (content) => {
        order.push(content);
        if (content === 'busy') await sleep(30);
      },
      [],
      1,
    );
    await w.start();
    await w.submit(text('b', 'z', 'busy')); // holds the only slot while the others arrive
    for (let i = 0; i < 3; i++) await w.submit(text(`n${i}`, `m${i}`, `normal ${i}`));
    await w.submit({ ...text('u', 'sys', 'welcome'), lane: 'contact:x', urgent: true });
    await w.onIdle();
    expect(order).to.deep.equal(['busy', 'welcome', 'normal 0', 'normal 1', 'normal 2']);
    await w.drain(1000);
    db.close();
  });

  it('runs what another process left in the inbox, read back and checked; a payload that is no inbound is refused, not half-read', async () => {
    const db = openInMemoryDatabase();
    const inbox = new SqliteInbox(db);
    await inbox.enqueue(stored('left', 'a', 'from before the restart'), 100);
    await inbox.enqueue({ key: 'odd', lane: 'user:b', urgent: false, payload: JSON.stringify({ kind: 'text', fromUserName: 'b' }) }, 100);
    const ran: string[] = [];
    const errors: unknown[] = [];
    const w = worker(inbox, async (content) => void ran.push(content), errors);
    await w.start();
    await w.onIdle();
    expect(ran).to.deep.equal(['from before the restart']);
    expect(errors).to.have.length(1);
    expect(String(errors[0])).to.contain('toUserName').and.contain('content');
    await w.drain(1000);
    db.close();
  });

  it('sets aside an entry that ended the process three times, instead of dying on it forever', async () => {
    const { url, cleanup } = tempSqliteUrl();
    const path = url.slice('sqlite://'.length);
    try {
      let db = openSqliteDatabase(path);
      await new SqliteInbox(db).enqueue(stored('poison', 'a', 'boom'), 100);
      await sleep(5);
      for (let crash = 0; crash < 3; crash++) {
        db.close();
        db = openSqliteDatabase(path);
        const inbox: Inbox = new SqliteInbox(db);
        await inbox.recover(true);
        const [taken] = await inbox.take('dying', 1, 10_000);
        expect(taken?.attempts).to.equal(crash + 1);
        await sleep(5); // the lease is committed, then the process dies without completing
      }
      db.close();
      db = openSqliteDatabase(path);
      const errors: unknown[] = [];
      const ran: string[] = [];
      const w = worker(new SqliteInbox(db), async (content) => void ran.push(content), errors);
      await w.start();
      await w.onIdle();
      expect(ran).to.deep.equal([]);
      expect(errors).to.have.length(1);
      expect(errors[0]).to.be.instanceOf(PoisonEntryError);
      expect((errors[0] as PoisonEntryError).entry as InboxEntry).to.include({ key: 'poison', attempts: 4 });
      await w.drain(1000);
      db.close();
    } finally {
      cleanup();
    }
  });
});
