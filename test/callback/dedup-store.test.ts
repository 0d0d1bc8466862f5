import { expect } from 'chai';
import { sealEnvelope } from '../../src/callback/crypto.js';
import { newMsgId, postEnvelope, textMessageXml } from '../helpers/callbacks.js';
import { startRecording } from '../helpers/runtime.js';
import { redisPrefix, redisUrl, tempSqliteUrl } from '../helpers/stores.js';
import { OFFICIAL, OFFICIAL_SECRETS } from '../helpers/vectors.js';

describe('dedup across restarts and instances', () => {
  it('handles a message once when the SQLite store is reopened between deliveries', async () => {
    const { url, cleanup } = tempSqliteUrl();
    const sealed = sealEnvelope(OFFICIAL_SECRETS, textMessageXml(OFFICIAL.corpId, 'zhangsan', '/客户', newMsgId()));
    let handled = 0;
    try {
      for (let delivery = 1; delivery <= 3; delivery++) {
        const bot = await startRecording({ env: { STORE_URL: url } });
        expect(bot.store.kind).to.equal('sqlite');
        const res = await postEnvelope(bot.url, sealed, OFFICIAL.corpId);
        expect(res.status).to.equal(200);
        await bot.worker.onIdle();
        handled += bot.handled.length;
        await bot.stop();
      }
    } finally {
      cleanup();
    }
    expect(handled).to.equal(1);
  });

  it('handles a message once when two instances share Redis and deliveries alternate', async function () {
    const url = redisUrl();
    if (!url) this.skip();
    const { prefix, wipe } = redisPrefix();
    const a = await startRecording({ env: { STORE_URL: url!, STORE_PREFIX: prefix } });
    const b = await startRecording({ env: { STORE_URL: url!, STORE_PREFIX: prefix } });
    try {
      expect(a.store.kind).to.equal('redis');
      const messages = Array.from({ length: 10 }, (_, i) => sealEnvelope(OFFICIAL_SECRETS, textMessageXml(OFFICIAL.corpId, `user${i}`, '/客户', newMsgId())));
      // Each message three times, spread over both instances, all at once.
      const statuses = await Promise.all(
        messages.flatMap((sealed) => [a, b, a].map((bot) => postEnvelope(bot.url, sealed, OFFICIAL.corpId).then((r) => r.status))),
      );
      expect(statuses.every((s) => s === 200)).to.equal(true);
      await Promise.all([a.worker.onIdle(), b.worker.onIdle()]);
      expect(a.handled.length + b.handled.length).to.equal(10);
      const users = [...a.handled, ...b.handled].map((m) => m.fromUserName).sort();
      expect(new Set(users).size).to.equal(10);
    } finally {
      await a.stop();
      await b.stop();
      await wipe(url!);
    }
  });
});
