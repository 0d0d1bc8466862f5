import { spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { expect } from 'chai';
import fetch from 'node-fetch';
import { OFFICIAL } from './helpers/vectors.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsx = pathToFileURL(`${root}node_modules/tsx/dist/loader.mjs`).href;

describe('process entry (npm start)', () => {
  it('starts in production mode, logs JSON lines without secrets, and stops cleanly on SIGTERM', async function () {
    this.timeout(30_000);
    const child = spawn(process.execPath, ['--import', tsx, `${root}src/main.ts`], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        WECOM_CORP_ID: OFFICIAL.corpId,
        WECOM_AGENT_ID: '1000002',
        WECOM_AGENT_SECRET: 'SECRET-MUST-NOT-BE-LOGGED',
        WECOM_TOKEN: OFFICIAL.token,
        WECOM_ENCODING_AES_KEY: OFFICIAL.encodingAesKey,
        WECOM_API_BASE: 'http://127.0.0.1:9',
        PORT: '0',
        HOST: '127.0.0.1',
        STORE_URL: 'memory://',
      },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const started = await new Promise<{ url: string }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no start line in: ${out}`)), 20_000);
      child.stdout.on('data', () => {
        const line = out.split('\n').find((l) => l.includes('"event":"started"'));
        if (line) {
          clearTimeout(timer);
          resolve(JSON.parse(line) as { url: string });
        }
      });
    });
    const health = await fetch(`${started.url}/healthz`);
    expect(await health.json()).to.deep.include({ status: 'ok', store: 'memory', mode: 'production' });
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exit).to.equal(0);
    const lines = out.trim().split('\n');
    for (const line of lines) expect(() => JSON.parse(line), line).not.to.throw();
    expect(out).to.contain('"event":"stopped"');
    expect(out).not.to.contain('SECRET-MUST-NOT-BE-LOGGED');
    expect(out).not.to.contain(OFFICIAL.encodingAesKey);
  });

  it('starts in demo mode without WECOM_CORP_ID: embedded simulator, the people to speak as, loopback only', async function () {
    this.timeout(30_000);
    const child = spawn(process.execPath, ['--import', tsx, `${root}src/main.ts`], {
      cwd: root,
      env: { PATH: process.env.PATH, PORT: '0', STORE_URL: 'memory://' },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const started = await new Promise<{ url: string; mode: string }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no start line in: ${out}`)), 20_000);
      child.stdout.on('data', () => {
        const line = out.split('\n').find((l) => l.includes('"event":"started"'));
        if (line) {
          clearTimeout(timer);
          resolve(JSON.parse(line) as { url: string; mode: string });
        }
      });
    });
    expect(started.mode).to.equal('demo');
    expect(started.url).to.match(/^http:\/\/127\.0\.0\.1:/);
    expect(out).to.contain('"event":"demo.people"').and.contain('"admins":["zhangsan"]');
    const health = await fetch(`${started.url}/healthz`);
    expect(await health.json()).to.deep.include({ status: 'ok', mode: 'demo' });
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exit).to.equal(0);
  });
});
