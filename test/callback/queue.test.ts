import { expect } from 'chai';
import { WorkQueue } from '../../src/callback/queue.js';

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

describe('work queue', () => {
  it('runs jobs of one key in arrival order, others in parallel', async () => {
    const queue = new WorkQueue({ capacity: 10, concurrency: 4, onError: () => undefined });
    const log: string[] = [];
    const job = (name: string, ms: number) => async () => {
      log.push(`start ${name}`);
      await tick(ms);
      log.push(`end ${name}`);
    };
    queue.push(job('a1', 20), { key: 'a' });
    queue.push(job('a2', 1), { key: 'a' });
    queue.push(job('b1', 1), { key: 'b' });
    await queue.onIdle();
    expect(log.indexOf('end a1')).to.be.lessThan(log.indexOf('start a2'));
    expect(log.indexOf('start b1')).to.be.lessThan(log.indexOf('end a1'));
  });

  it('starts urgent jobs before waiting normal ones', async () => {
    const queue = new WorkQueue({ capacity: 10, concurrency: 1, onError: () => undefined });
    const order: string[] = [];
    queue.push(async () => { order.push('running'); await tick(10); });
    queue.push(async () => { order.push('normal'); });
    queue.push(async () => { order.push('urgent'); }, { urgent: true });
    await queue.onIdle();
    expect(order).to.deep.equal(['running', 'urgent', 'normal']);
  });

  it('refuses beyond its capacity and survives failing jobs', async () => {
    const errors: unknown[] = [];
    const queue = new WorkQueue({ capacity: 2, concurrency: 1, onError: (e) => errors.push(e) });
    expect(queue.push(async () => { await tick(10); throw new Error('boom'); })).to.equal(true); // starts at once
    expect(queue.push(async () => undefined)).to.equal(true);
    expect(queue.push(async () => undefined)).to.equal(true);
    expect(queue.full).to.equal(true);
    expect(queue.push(async () => undefined)).to.equal(false);
    await queue.onIdle();
    expect(errors).to.have.length(1);
    expect(queue.push(async () => undefined)).to.equal(true);
  });

  it('drains within its bound and then refuses work', async () => {
    const queue = new WorkQueue({ capacity: 5, concurrency: 1, onError: () => undefined });
    let done = 0;
    for (let i = 0; i < 3; i++) queue.push(async () => { await tick(5); done++; });
    expect(await queue.drain(1000)).to.equal(true);
    expect(done).to.equal(3);
    expect(queue.push(async () => undefined)).to.equal(false);
    const slow = new WorkQueue({ capacity: 5, concurrency: 1, onError: () => undefined });
    slow.push(async () => { await tick(200); });
    expect(await slow.drain(20)).to.equal(false);
    await slow.onIdle();
  });
});
