import { expect } from 'chai';
import type { CommandContext, JobRecord } from '../../src/bot/command.js';
import { JOBS, Jobs, type JobTiming } from '../../src/bot/jobs.js';
import { silentLogger } from '../../src/log.js';
import { createStore, type Store } from '../../src/store/index.js';
import { redisPrefix, redisUrl, tempSqliteUrl } from '../helpers/stores.js';

const FAST: JobTiming = { leaseMs: 600, heartbeatMs: 150, sweepMs: 150 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A job an instance started and then died running: its record says running, its lease ends in `leaseMs`. */
async function orphan(store: Store, leaseMs: number): Promise<JobRecord> {
  const now = Date.now();
  const job: JobRecord = {
    id: `t-${now}`,
    type: 'count',
    user: 'zhangsan',
    locale: 'zh-Hans',
    state: {},
    status: 'running',
    leaseUntil: now + leaseMs,
    createdAt: now,
    updatedAt: now,
  };
  await store.namespace(JOBS).set(job.id, job);
  return job;
}

/** An instance's jobs on `store`, whose runner notes when it ran and takes `stepMs` per step. */
function instance(store: Store, ran: { at: number; by: string }[], name: string, soleUser: boolean, stepMs = 0): Jobs {
  const jobs = new Jobs(store, silentLogger, () => ({}) as CommandContext, undefined, soleUser, FAST);
  jobs.register('count', async (job, control) => {
    ran.push({ at: Date.now(), by: name });
    await sleep(stepMs);
    await control.save(job.state);
  });
  return jobs;
}

describe('jobs of a dead instance are taken over (issue 26)', () => {
  it('on Redis, a live instance takes over a dead one’s job within a sweep of its lease ending, exactly once, and never a live one’s', async function () {
    const url = redisUrl();
    if (!url) return this.skip();
    this.timeout(15_000);
    const { prefix, wipe } = redisPrefix();
    const stores = [await createStore(url, { prefix }), await createStore(url, { prefix }), await createStore(url, { prefix })];
    const ran: { at: number; by: string }[] = [];
    const [b, c] = [instance(stores[1]!, ran, 'b', false), instance(stores[2]!, ran, 'c', false)];
    try {
      await b.resumeAll();
      await c.resumeAll();
      b.watch();
      c.watch();
      const dead = await orphan(stores[0]!, FAST.leaseMs);
      await sleep(FAST.leaseMs + 3 * FAST.sweepMs);
      expect(ran, 'taken over once').to.have.length(1);
      expect(ran[0]!.at - dead.leaseUntil).to.be.below(FAST.sweepMs + 300);
      // A live instance's job whose step outlasts the lease: its heartbeat keeps it, nobody else runs it.
      const ranLive: { at: number; by: string }[] = [];
      const a = instance(stores[0]!, ranLive, 'a', false, 3 * FAST.leaseMs);
      const job = await a.start('count', 'zhangsan', 'zh-Hans', {});
      await sleep(2 * FAST.leaseMs);
      expect(
        ran.filter((r) => r.at > job.createdAt),
        'not taken from a live instance',
      ).to.have.length(0);
      await a.wait(job.id);
      await a.stop();
    } finally {
      await b.stop();
      await c.stop();
      for (const s of stores) await s.close();
      await wipe(url);
    }
  });

  it('on SQLite, a restart takes over the job its dead predecessor left at once, not after the lease', async function () {
    this.timeout(10_000);
    const { url, cleanup } = tempSqliteUrl();
    const store = await createStore(url);
    try {
      const ran: { at: number; by: string }[] = [];
      const dead = await orphan(store, 60_000);
      const restarted = instance(store, ran, 'restart', true);
      await restarted.resumeAll();
      await restarted.wait(dead.id);
      expect(ran).to.have.length(1);
      expect(ran[0]!.at - dead.createdAt, 'at once').to.be.below(1000);
      await restarted.stop();
    } finally {
      await store.close();
      cleanup();
    }
  });
});
