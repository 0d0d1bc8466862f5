import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import fetch from 'node-fetch';
import { newMsgId, postCallback, textMessageXml } from '../helpers/callbacks.js';
import { freePort } from '../helpers/process.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { startRecording, type RecordingRuntime } from '../helpers/runtime.js';
import { OFFICIAL, OFFICIAL_SECRETS } from '../helpers/vectors.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a Redis outage', function () {
  this.timeout(30_000);
  let redis: RedisServer | undefined;
  let bot: RecordingRuntime | undefined;
  let cleanup: (() => void) | undefined;
  before(function () {
    const installed = spawnSync('redis-server', ['--version']).status === 0;
    if (!installed && process.env.CI) throw new Error('redis-server must be installed in CI');
    if (!installed) this.skip();
  });
  afterEach(async () => {
    await bot?.stop(1000).catch(() => undefined);
    await redis?.kill();
    cleanup?.();
  });

  it('answers callbacks 503 within 2 s and /healthz degraded while Redis is down, and recovers by itself', async () => {
    const port = await freePort();
    // Persistent, as production must be: "before" is acked and may still be waiting when Redis dies.
    const dir = mkdtempSync(join(tmpdir(), 'wco-redis-'));
    cleanup = () => rmSync(dir, { recursive: true, force: true });
    redis = await startRedisServer(port, dir);
    bot = await startRecording({ env: { STORE_URL: redis.url } });
    const say = (text: string) => postCallback(bot!.url, OFFICIAL_SECRETS, textMessageXml(OFFICIAL.corpId, 'zhangsan', text, newMsgId()));
    expect((await say('before')).status).to.equal(200);

    await redis.kill();
    const started = performance.now();
    const during = await say('during');
    expect(during.status).to.equal(503); // nothing recorded: WeCom retries it
    expect(performance.now() - started).to.be.lessThan(2000);
    const probeStarted = performance.now();
    const health = await fetch(`${bot.url}/healthz`);
    expect(performance.now() - probeStarted).to.be.lessThan(2000);
    expect(health.status).to.equal(503);
    const body = (await health.json()) as { status: string; reasons: string[] };
    expect(body.status).to.equal('degraded');
    expect(body.reasons.join('\n')).to.contain('store (redis):');
    // The liveness probe never asks the store: a Redis blip restarts no instance.
    expect((await fetch(`${bot.url}/livez`)).status).to.equal(200);

    redis = await startRedisServer(port, dir);
    let status = 0;
    for (let i = 0; i < 60 && status !== 200; i++) {
      status = (await say('after')).status;
      if (status !== 200) await sleep(250);
    }
    expect(status).to.equal(200);
    expect((await fetch(`${bot.url}/healthz`)).status).to.equal(200);
    await bot.worker.onIdle();
    expect(bot.handled.map((m) => (m.kind === 'text' ? m.content : '')))
      .to.include.members(['before', 'after'])
      .and.not.include('during');
  });
});
