import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import fetch from 'node-fetch';
import { ROOT, spawnCollecting } from '../helpers/process.js';

/** What the Dockerfile copies from the built tree before `npm ci --omit=dev`. */
const SHIPPED = ['package.json', 'package-lock.json', 'LICENSE', 'scripts/prepare.mjs', 'dist'];

describe('a production install (issue 27)', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is npm ci --omit=dev on the built tree: nothing compiled, under 60 MB, and the bot starts from it', async function () {
    this.timeout(180_000);
    dir = mkdtempSync(join(tmpdir(), 'wco-prod-'));
    for (const path of SHIPPED) cpSync(join(ROOT, path), join(dir, path), { recursive: true });
    const install = spawnSync('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund'], { cwd: dir, encoding: 'utf8', timeout: 150_000 });
    expect(install.status, install.stderr).to.equal(0);
    const kb = Number(execFileSync('du', ['-sk', join(dir, 'node_modules')], { encoding: 'utf8' }).split('\t')[0]);
    console.log(`      production install: ${(kb / 1024).toFixed(1)} MB of packages`);
    expect(kb / 1024, 'MB of packages').to.be.below(60);
    for (const devOnly of ['typescript', 'tsx', 'mocha', 'pino-pretty', '@biomejs']) {
      expect(spawnSync('test', ['-e', join(dir, 'node_modules', devOnly)]).status, devOnly).to.not.equal(0);
    }
    const proc = spawnCollecting(process.execPath, [join(dir, 'dist/src/main.js')], {
      cwd: dir,
      env: { PATH: process.env.PATH, PORT: '0', STORE_URL: 'memory://' },
    });
    try {
      const started = JSON.parse(await proc.line((l) => l.includes('"event":"started"'))) as { url: string };
      expect((await fetch(`${started.url}/livez`)).status).to.equal(200);
      expect(await proc.stop()).to.equal(0);
    } finally {
      await proc.stop().catch(() => undefined);
    }
  });
});
