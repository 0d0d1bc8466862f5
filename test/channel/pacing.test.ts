import { expect } from 'chai';
import { AppChannel } from '../../src/channel/app.js';
import { claimLedger, type PacingOptions } from '../../src/channel/pacing.js';
import { silentLogger } from '../../src/log.js';
import { createStore, type Store } from '../../src/store/index.js';
import type { WeComClient } from '../../src/wecom/index.js';
import { redisPrefix, redisUrl, tempSqliteUrl } from '../helpers/stores.js';

/** A client whose message/send only notes when it was called. */
function recordingClient(sentAt: number[]): WeComClient {
  const client = {
    message: {
      send: async () => {
        sentAt.push(Date.now());
        return { errcode: 0, errmsg: 'ok' };
      },
    },
    forDelivery: () => client,
  };
  return client as unknown as WeComClient;
}

/** The most sends within any `windowMs` (a sliding window). */
function busiest(sentAt: readonly number[], windowMs: number): number {
  const sorted = [...sentAt].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0; i < sorted.length; i++) most = Math.max(most, sorted.filter((t) => t >= sorted[i]! && t < sorted[i]! + windowMs).length);
  return most;
}

const PACING: PacingOptions = { perWindow: 5, windowMs: 1000, perHour: 1000 };
const channelOn = (store: Store, sentAt: number[]) =>
  new AppChannel(
    recordingClient(sentAt),
    silentLogger,
    PACING,
    claimLedger((key, ttl) => store.claim(key, ttl), PACING),
  );

describe('pacing through the store (issue 26)', () => {
  it('two instances on one Redis share a member’s budget: never more than the window allows, every message sent', async function () {
    const url = redisUrl();
    if (!url) return this.skip();
    this.timeout(20_000);
    const { prefix, wipe } = redisPrefix();
    const [a, b] = [await createStore(url, { prefix }), await createStore(url, { prefix })];
    try {
      const sentAt: number[] = [];
      const [one, two] = [channelOn(a, sentAt), channelOn(b, sentAt)];
      await Promise.all(Array.from({ length: 8 }, (_, i) => [one.sendReply('lisi', { title: `a${i}` }), two.sendReply('lisi', { title: `b${i}` })]).flat());
      expect(sentAt).to.have.length(16);
      expect(busiest(sentAt, PACING.windowMs)).to.be.at.most(5);
    } finally {
      await a.close();
      await b.close();
      await wipe(url);
    }
  });

  it('a restart on SQLite remembers what was just sent: the next message waits for the window', async function () {
    this.timeout(20_000);
    const { url, cleanup } = tempSqliteUrl();
    try {
      const sentAt: number[] = [];
      const first = await createStore(url);
      for (let i = 0; i < 5; i++) await channelOn(first, sentAt).sendReply('lisi', { title: `${i}` });
      await first.close();
      // The process restarts: a new store object, a new channel, on the same file.
      const second = await createStore(url);
      await channelOn(second, sentAt).sendReply('lisi', { title: 'after the restart' });
      await second.close();
      expect(sentAt).to.have.length(6);
      expect(busiest(sentAt, PACING.windowMs), 'the sixth waited for the first to leave the window').to.be.at.most(5);
    } finally {
      cleanup();
    }
  });
});
