import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { expect } from 'chai';
import fetch from 'node-fetch';
import { newMsgId, postCallback, textMessageXml } from '../helpers/callbacks.js';
import { startRecording, type RecordingRuntime } from '../helpers/runtime.js';
import { OFFICIAL, OFFICIAL_SECRETS } from '../helpers/vectors.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A Redis of this test's own (the shared one is never stopped), answering on `port` once started. */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    if (spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).stdout.trim() === 'PONG') return child;
    await sleep(50);
  }
  throw new Error('redis-server did not start');
}

async function stopRedis(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

describe('a Redis outage', function () {
  this.timeout(30_000);
  let redis: ChildProcess | undefined;
  let bot: RecordingRuntime | undefined;
  before(function () {
    const installed = spawnSync('redis-server', ['--version']).status === 0;
    if (!installed && process.env.CI) throw new Error('redis-server must be installed in CI');
    if (!installed) this.skip();
  });
  afterEach(async () => {
    await bot?.stop(1000).catch(() => undefined);
    if (redis) await stopRedis(redis);
  });

  it('answers callbacks 503 within 2 s and /healthz degraded while Redis is down, and recovers by itself', async () => {
    const port = await freePort();
    redis = await startRedis(port);
    bot = await startRecording({ env: { STORE_URL: `redis://127.0.0.1:${port}` } });
    const say = (text: string) => postCallback(bot!.url, OFFICIAL_SECRETS, textMessageXml(OFFICIAL.corpId, 'zhangsan', text, newMsgId()));
    expect((await say('before')).status).to.equal(200);

    await stopRedis(redis);
    const started = performance.now();
    const during = await say('during');
    expect(during.status).to.equal(503); // nothing recorded: WeCom retries it
    expect(performance.now() - started).to.be.lessThan(2000);
    const probeStarted = performance.now();
    const health = await fetch(`${bot.url}/healthz`);
    expect(performance.now() - probeStarted).to.be.lessThan(2000);
    expect(health.status).to.equal(503);
    expect(await health.json()).to.deep.include({ status: 'degraded', store: 'redis' });

    redis = await startRedis(port);
    let status = 0;
    for (let i = 0; i < 60 && status !== 200; i++) {
      status = (await say('after')).status;
      if (status !== 200) await sleep(250);
    }
    expect(status).to.equal(200);
    expect((await fetch(`${bot.url}/healthz`)).status).to.equal(200);
    await bot.worker.onIdle();
    expect(bot.handled.map((m) => (m.kind === 'text' ? m.content : ''))).to.include.members(['before', 'after']).and.not.include('during');
  });
});
