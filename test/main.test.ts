import { expect } from 'chai';
import fetch from 'node-fetch';
import { OFFICIAL } from './helpers/vectors.js';
import { spawnCollecting, startCommand } from './helpers/process.js';
import { TEST_ENV } from './helpers/runtime.js';

const PRODUCTION_ENV = { ...TEST_ENV, WECOM_AGENT_SECRET: 'SECRET-MUST-NOT-BE-LOGGED' };

describe('process entry (npm start, compiled)', () => {
  const { node, args } = startCommand();

  it('runs plain node on dist/, with no TypeScript loader', () => {
    expect(args.at(-1)).to.match(/dist\/src\/main\.js$/);
    expect(args.join(' ')).not.to.match(/tsx|ts-node|\.ts\b/);
  });

  it('starts in production mode, logs JSON lines without secrets, and stops cleanly on SIGTERM', async function () {
    this.timeout(30_000);
    const proc = spawnCollecting(node, args, { env: { PATH: process.env.PATH, ...PRODUCTION_ENV } });
    const started = JSON.parse(await proc.line((l) => l.includes('"event":"started"'))) as { url: string };
    // The first line says which configuration this is: here no .env file, and where one was looked for.
    expect(JSON.parse(proc.output().split('\n')[0]!)).to.deep.include({ event: 'config', envFile: null, mode: 'production', store: 'memory://' });
    const health = await fetch(`${started.url}/healthz`);
    expect(await health.json()).to.deep.equal({ status: 'ok' });
    expect(await proc.stop()).to.equal(0);
    const out = proc.output();
    for (const line of out.trim().split('\n')) expect(() => JSON.parse(line), line).not.to.throw();
    expect(out).to.contain('"event":"stopped"');
    // No BOT_ADMINS in production: said at start, not left for the first staff member to find.
    expect(out).to.match(/"level":"warn","time":"\d{4}-\d\d-\d\dT[^"]+Z",[^\n]*"event":"roles.no_admin"/);
    expect(out).not.to.contain('SECRET-MUST-NOT-BE-LOGGED');
    expect(out).not.to.contain(OFFICIAL.encodingAesKey);
  });

  it('starts in demo mode without WECOM_CORP_ID: embedded simulator, the people to speak as, loopback only', async function () {
    this.timeout(30_000);
    const proc = spawnCollecting(node, args, { env: { PATH: process.env.PATH, PORT: '0', STORE_URL: 'memory://' } });
    const started = JSON.parse(await proc.line((l) => l.includes('"event":"started"'))) as { url: string; mode: string };
    expect(started.mode).to.equal('demo');
    expect(started.url).to.match(/^http:\/\/127\.0\.0\.1:/);
    expect(proc.output()).to.contain('"event":"demo.people"').and.contain('"admins":["zhangsan"]');
    const health = await fetch(`${started.url}/healthz`);
    expect(await health.json()).to.deep.equal({ status: 'ok' });
    expect(await proc.stop()).to.equal(0);
  });

  it('writes readable lines, not JSON, when its output is a terminal (the demo), and nothing on stderr', async function () {
    this.timeout(30_000);
    // util-linux `script` gives the process a pseudo-terminal, as a person's shell would.
    const command = [node, ...args].map((a) => `'${a}'`).join(' ');
    const proc = spawnCollecting('script', ['-qfec', command, '/dev/null'], {
      env: { PATH: process.env.PATH, PORT: '0', STORE_URL: 'memory://', TERM: 'dumb' },
    });
    // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes start with ESC
    const withoutColours = (line: string) => line.replace(/\u001b\[[0-9;]*m/g, '');
    try {
      // What a person reads: time, level, event name, then the fields on the same line.
      const started = withoutColours(await proc.line((l) => /INFO: started /.test(withoutColours(l))));
      expect(started).to.match(/^\[\d\d:\d\d:\d\d\] INFO: started \{"mode":"demo","url":"http:\/\/127\.0\.0\.1:\d+"/);
      const demo = withoutColours(await proc.line((l) => /INFO: demo · /.test(withoutColours(l))));
      expect(demo).to.contain('INFO: demo · demo mode: no WECOM_CORP_ID');
      expect(proc.output()).not.to.match(/^\{/m);
      expect(proc.output()).not.to.match(/ExperimentalWarning|Warning:/);
    } finally {
      await proc.stop(); // script ends, the terminal closes, and the bot goes with it
    }
  });

  it('shows no warning at start on SQLite, while other warnings still show', async function () {
    this.timeout(30_000);
    const { tempSqliteUrl } = await import('./helpers/stores.js');
    const { url, cleanup } = tempSqliteUrl();
    try {
      const proc = spawnCollecting(node, args, { env: { PATH: process.env.PATH, ...PRODUCTION_ENV, STORE_URL: url } });
      await proc.line((l) => l.includes('"event":"started"'));
      expect(await proc.stop(), proc.output()).to.equal(0);
      expect(proc.output()).not.to.match(/Warning/);
      // The filter is that one warning only: a store opened next to another warning lets the other one through.
      const probe = spawnCollecting(
        node,
        [
          '--input-type=module',
          '-e',
          `const { createStore } = await import(${JSON.stringify(`${args.at(-1)!.replace(/main\.js$/, 'store/index.js')}`)}); const s = await createStore(${JSON.stringify(url)}); process.emitWarning('a different warning', 'ExperimentalWarning'); await s.close();`,
        ],
        { env: { PATH: process.env.PATH } },
      );
      expect(await probe.exit(), probe.output()).to.equal(0);
      expect(probe.output())
        .to.contain('a different warning')
        .and.not.to.match(/SQLite/);
    } finally {
      cleanup();
    }
  });
});
