import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { RedisInbox } from '../../src/store/inbox-redis.js';
import type { DatabaseSync } from 'node:sqlite';
import { SqliteInbox } from '../../src/store/inbox-sqlite.js';
import { openInMemoryDatabase, openSqliteDatabase } from '../../src/store/sqlite.js';
import type { Inbox, InboxEntry } from '../../src/store/index.js';
import { connectRedis } from '../../src/store/redis-connection.js';
import { redisClusterUrl, redisUrl, tempSqliteUrl } from '../helpers/stores.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const entry = (key: string, lane: string, urgent = false): Omit<InboxEntry, 'attempts'> => ({ key, lane, urgent, payload: JSON.stringify({ key }) });

const countRows = (db: DatabaseSync) => (db.prepare('SELECT count(*) AS n FROM inbox').get() as { n: number }).n;

interface Backend {
  name: string;
  open(): Promise<{ inbox: Inbox; reopen?: () => Promise<Inbox>; rows?: () => number; close(): Promise<void> }>;
}

const backends: Backend[] = [
  {
    name: 'memory (SQLite in memory)',
    open: async () => {
      const db = openInMemoryDatabase();
      return { inbox: new SqliteInbox(db), rows: () => countRows(db), close: async () => db.close() };
    },
  },
  {
    name: 'sqlite file',
    open: async () => {
      const { url, cleanup } = tempSqliteUrl();
      const path = url.slice('sqlite://'.length);
      const dbs = [openSqliteDatabase(path)];
      return {
        inbox: new SqliteInbox(dbs[0]!),
        reopen: async () => {
          await sleep(5); // what the last turn wrote is committed, as it would be before a crash a moment later
          dbs[0]!.close();
          dbs.push(openSqliteDatabase(path));
          return new SqliteInbox(dbs.at(-1)!);
        },
        rows: () => countRows(dbs.at(-1)!),
        close: async () => {
          for (const db of dbs) if (db.isOpen) db.close();
          cleanup();
        },
      };
    },
  },
  ...[
    { name: 'redis', url: redisUrl },
    { name: 'redis cluster', url: redisClusterUrl },
  ].map(
    ({ name, url }): Backend => ({
      name,
      open: async () => {
        const redis = await connectRedis(url()!);
        // A prefix of its own, with a hash tag as the store gives it: the test leaves nothing in the bot's keys, no other
        // run's entries count here, and on a cluster every key of this inbox is in one slot.
        const prefix = `{wco-test:${randomUUID()}}:inbox:`;
        const open = () =>
          new RedisInbox(
            redis.commands,
            (match) => redis.scan(match),
            () => prefix,
          );
        return {
          inbox: open(),
          reopen: async () => open(),
          close: async () => {
            for await (const keys of redis.scan(`${prefix}*`)) await redis.commands.del(keys);
            await redis.close();
          },
        };
      },
    }),
  ),
];

for (const backend of backends) {
  describe(`inbox: ${backend.name}`, () => {
    let inbox: Inbox;
    let opened: Awaited<ReturnType<Backend['open']>>;
    before(function () {
      if (backend.name === 'redis' && !redisUrl()) this.skip();
      if (backend.name === 'redis cluster' && !redisClusterUrl()) this.skip();
    });
    beforeEach(async () => {
      opened = await backend.open();
      inbox = opened.inbox;
    });
    afterEach(() => opened.close());

    it('records a delivery once: a second one with the same key is a duplicate, while waiting and once done', async () => {
      expect(await inbox.enqueue(entry('m1', 'user:a'), 10)).to.equal('accepted');
      expect(await inbox.enqueue(entry('m1', 'user:a'), 10)).to.equal('duplicate');
      const [taken] = await inbox.take('w1', 5, 10_000);
      expect(taken).to.include({ key: 'm1', lane: 'user:a', attempts: 1 });
      expect(JSON.parse(taken!.payload)).to.deep.equal({ key: 'm1' });
      await inbox.complete('w1', taken!, 60_000);
      expect(await inbox.enqueue(entry('m1', 'user:a'), 10)).to.equal('duplicate');
      expect(await inbox.backlog()).to.equal(0);
    });

    it('refuses beyond its capacity and records nothing of the refused one', async () => {
      expect(await inbox.enqueue(entry('a', 'l1'), 2)).to.equal('accepted');
      expect(await inbox.enqueue(entry('b', 'l2'), 2)).to.equal('accepted');
      expect(await inbox.enqueue(entry('c', 'l3'), 2)).to.equal('full');
      expect(await inbox.backlog()).to.equal(2);
      for (const e of await inbox.take('w', 5, 10_000)) await inbox.complete('w', e, 60_000);
      expect(await inbox.enqueue(entry('c', 'l3'), 2)).to.equal('accepted'); // the retry of the refused one is new
    });

    it('gives out one entry per lane at a time, in order, urgent lanes first', async () => {
      for (const key of ['a1', 'a2', 'a3']) await inbox.enqueue(entry(key, 'user:a'), 100);
      await inbox.enqueue(entry('b1', 'user:b'), 100);
      await inbox.enqueue(entry('w1', 'contact:x', true), 100);
      const first = await inbox.take('w', 10, 10_000);
      expect(first.map((e) => e.key)).to.deep.equal(['w1', 'a1', 'b1']);
      expect(await inbox.take('w', 10, 10_000)).to.deep.equal([]); // a2 waits for a1
      await inbox.complete('w', first[1]!, 60_000);
      expect((await inbox.take('w', 10, 10_000)).map((e) => e.key)).to.deep.equal(['a2']);
    });

    it('gives a deferred entry back: its lane waits until the deferral ends, then it is taken again, first, its deferral counted (issue 26)', async () => {
      for (const key of ['d1', 'd2']) await inbox.enqueue(entry(key, 'user:d'), 100);
      await inbox.enqueue(entry('e1', 'user:e'), 100);
      const first = await inbox.take('w', 5, 10_000);
      expect(first.map((e) => e.key)).to.deep.equal(['d1', 'e1']);
      const until = Date.now() + 250;
      await inbox.defer('w', first[0]!, until);
      await inbox.complete('w', first[1]!, 60_000);
      await inbox.recover(false);
      expect(await inbox.take('w', 5, 10_000), 'nothing of the lane before the deferral ends').to.deep.equal([]);
      // The deferred entry counts from the end of its wait: the inbox is not "old" because of it.
      expect(await inbox.oldest()).to.be.at.least(until - 1);
      await sleep(300);
      await inbox.recover(false);
      const [again] = await inbox.take('w', 5, 10_000);
      expect(again).to.include({ key: 'd1', attempts: 2, deferred: 1 });
      await inbox.complete('w', again!, 60_000);
      expect((await inbox.take('w', 5, 10_000)).map((e) => e.key)).to.deep.equal(['d2']);
    });

    it('says when its oldest open entry arrived, and nothing once all are done', async () => {
      const before = Date.now();
      expect(await inbox.oldest()).to.equal(undefined);
      await inbox.enqueue(entry('o1', 'user:o'), 100);
      await sleep(20);
      await inbox.enqueue(entry('o2', 'user:p'), 100);
      expect(await inbox.oldest()).to.be.within(before, before + 15);
      for (const e of await inbox.take('w', 5, 10_000)) await inbox.complete('w', e, 60_000);
      expect(await inbox.oldest()).to.equal(undefined);
    });

    // SQLite and memory stores have one process: leases there end with it (see the reopen test below).
    if (backend.name.startsWith('redis'))
      it('runs again what a dead worker held once its lease ends, keeping the lane order', async () => {
        for (const key of ['x1', 'x2']) await inbox.enqueue(entry(key, 'user:x'), 100);
        const [held] = await inbox.take('dead', 1, 150);
        expect(held?.key).to.equal('x1');
        expect(await inbox.recover(false)).to.equal(0); // the lease still runs
        expect(await inbox.take('alive', 5, 10_000)).to.deep.equal([]);
        await sleep(200);
        expect(await inbox.recover(false)).to.equal(1);
        const [again] = await inbox.take('alive', 5, 10_000);
        expect(again).to.include({ key: 'x1', attempts: 2 });
        await inbox.complete('alive', again!, 60_000);
        expect((await inbox.take('alive', 5, 10_000)).map((e) => e.key)).to.deep.equal(['x2']);
      });

    if (backend.name.startsWith('redis'))
      it('keeps a renewed lease', async () => {
        await inbox.enqueue(entry('r1', 'user:r'), 100);
        const taken = await inbox.take('w', 1, 150);
        await sleep(100);
        await inbox.renew('w', taken, 10_000);
        await sleep(100);
        expect(await inbox.recover(false)).to.equal(0);
      });

    it('forgets a done entry after its dedup TTL, so the key could be taken anew', async () => {
      await inbox.enqueue(entry('t1', 'user:t'), 100);
      const [taken] = await inbox.take('w', 1, 10_000);
      await inbox.complete('w', taken!, 50);
      await sleep(100);
      expect(await inbox.enqueue(entry('t1', 'user:t'), 100)).to.equal('accepted');
    });

    if (!backend.name.startsWith('redis')) {
      it('deletes dedup records past their TTL, those a previous process left too, and never a key that came back', async () => {
        const keys = Array.from({ length: 300 }, (_, i) => `p${i}`);
        for (const key of keys) await inbox.enqueue(entry(key, `user:${key}`), 1000);
        for (const e of await inbox.take('w', 300, 10_000)) await inbox.complete('w', e, 40);
        if (opened.reopen) inbox = await opened.reopen();
        expect(opened.rows!()).to.equal(300);
        await sleep(80);
        // This commit purges at most 256 records, so p299's record has expired but is still there: its new delivery
        // takes that row over, and the next commit's purge must leave the row alone.
        expect(await inbox.enqueue(entry('p299', 'user:p299'), 1000)).to.equal('accepted');
        expect(opened.rows!()).to.equal(300 - 256);
        expect(await inbox.enqueue(entry('fresh', 'user:fresh'), 1000)).to.equal('accepted');
        expect(opened.rows!()).to.equal(2);
        expect((await inbox.take('w', 5, 10_000)).map((e) => e.key).sort()).to.deep.equal(['fresh', 'p299']);
      });
    }

    if (backend.name === 'sqlite file') {
      it('keeps waiting and running entries across a reopen, and takes over every lease at start', async () => {
        await inbox.enqueue(entry('k1', 'user:k'), 100);
        await inbox.enqueue(entry('k2', 'user:k'), 100);
        await inbox.take('crashed', 1, 60_000);
        inbox = await opened.reopen!();
        expect(await inbox.backlog()).to.equal(2);
        expect(await inbox.recover(true)).to.equal(1);
        expect((await inbox.take('next', 5, 10_000)).map((e) => [e.key, e.attempts])).to.deep.equal([['k1', 2]]);
      });
    }
  });
}
