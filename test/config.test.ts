import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { ConfigError, loadConfig } from '../src/config.js';
import { startCommand } from './helpers/process.js';
import { OFFICIAL } from './helpers/vectors.js';

const good = {
  WECOM_CORP_ID: OFFICIAL.corpId,
  WECOM_AGENT_ID: '1000002',
  WECOM_AGENT_SECRET: 'agent-secret-value',
  WECOM_TOKEN: OFFICIAL.token,
  WECOM_ENCODING_AES_KEY: OFFICIAL.encodingAesKey,
};

function problem(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).to.be.instanceOf(ConfigError);
    return (err as Error).message;
  }
  return 'no error';
}

describe('config', () => {
  it('reads a complete production environment with the documented defaults', () => {
    const config = loadConfig(good);
    expect(config.mode).to.equal('production');
    expect(config.wecom).to.deep.equal({
      corpId: OFFICIAL.corpId,
      agentId: 1000002,
      agentSecret: 'agent-secret-value',
      contactSecret: 'agent-secret-value',
      token: OFFICIAL.token,
      encodingAesKey: OFFICIAL.encodingAesKey,
      apiBase: 'https://qyapi.weixin.qq.com',
    });
    expect(config).to.include({ port: 3000, host: '0.0.0.0', storeUrl: 'sqlite://./data/bot.sqlite', locale: 'zh-Hans' });
    expect(config.admins).to.deep.equal([]);
  });

  it('is demo mode without WECOM_CORP_ID, on a store of its own, never the production default', () => {
    const demo = loadConfig({});
    expect(demo.mode).to.equal('demo');
    expect(demo.storeUrl).to.equal('sqlite://./data/demo.sqlite');
    expect(loadConfig(good).storeUrl).to.equal('sqlite://./data/bot.sqlite');
  });

  it('refuses demo mode under NODE_ENV=production, saying what to check', () => {
    expect(problem({ NODE_ENV: 'production' })).to.match(/^WECOM_CORP_ID: is required when NODE_ENV=production .*demo mode is refused.*\.env/);
    expect(loadConfig({ ...good, NODE_ENV: 'production' })).to.include({ mode: 'production', production: true });
  });

  it('reads STORE_PREFIX and BOT_MANAGERS_FROM_LEADERS', () => {
    expect(loadConfig(good)).to.include({ storePrefix: 'wco', managersFromLeaders: false });
    expect(loadConfig({ ...good, STORE_PREFIX: 'corp-a', BOT_MANAGERS_FROM_LEADERS: 'true' })).to.include({ storePrefix: 'corp-a', managersFromLeaders: true });
    expect(problem({ ...good, STORE_PREFIX: 'a b' })).to.match(/^STORE_PREFIX: /);
    expect(problem({ ...good, BOT_MANAGERS_FROM_LEADERS: 'maybe' })).to.match(/^BOT_MANAGERS_FROM_LEADERS: must be true or false/);
  });

  it('reads the quiet hours and the digest times, refusing what is not a time', () => {
    expect(loadConfig(good)).to.deep.include({
      quietHours: { from: 22, until: 8 },
      schedules: { 'subscribe.weekly': { weekday: 1, hour: 9, minute: 0 }, 'subscribe.resigned': { hour: 9, minute: 30 } },
    });
    const moved = loadConfig({ ...good, BOT_QUIET_HOURS: '21:00-07:00', BOT_WEEKLY_DIGEST: 'Fri 17:30', BOT_DAILY_REMINDER: 'off' });
    expect(moved.quietHours).to.deep.equal({ from: 21, until: 7 });
    expect(moved.schedules).to.deep.equal({ 'subscribe.weekly': { weekday: 5, hour: 17, minute: 30 }, 'subscribe.resigned': 'off' });
    expect(problem({ ...good, BOT_QUIET_HOURS: '10pm-8am' })).to.match(/^BOT_QUIET_HOURS: must be two whole hours/);
    expect(problem({ ...good, BOT_WEEKLY_DIGEST: 'monday 9' })).to.match(/^BOT_WEEKLY_DIGEST: must be a weekday and a time/);
    expect(problem({ ...good, BOT_DAILY_REMINDER: '25:00' })).to.match(/^BOT_DAILY_REMINDER: must be a time/);
  });

  it('lets the process environment win over .env', () => {
    const config = loadConfig({ ...good, PORT: '4000' }, { PORT: '5000', BOT_ADMINS: 'admin1, admin2' });
    expect(config.port).to.equal(4000);
    expect(config.admins).to.deep.equal(['admin1', 'admin2']);
  });

  it('names the variable of each malformed value', () => {
    expect(problem({ ...good, WECOM_ENCODING_AES_KEY: 'short' })).to.match(/^WECOM_ENCODING_AES_KEY: .*43/);
    expect(problem({ ...good, WECOM_ENCODING_AES_KEY: `${'!'.repeat(43)}` })).to.match(/^WECOM_ENCODING_AES_KEY: .*32 bytes/);
    expect(problem({ ...good, WECOM_AGENT_ID: '10x' })).to.match(/^WECOM_AGENT_ID: .*integer/);
    expect(problem({ ...good, STORE_URL: 'mysql://db' })).to.match(/^STORE_URL: .*sqlite:\/\//);
    expect(problem({ ...good, BOT_LOCALE: 'fr' })).to.match(/^BOT_LOCALE: /);
    expect(problem({ ...good, BOT_TIMEZONE: 'Mars/Olympus' })).to.match(/^BOT_TIMEZONE: .*IANA/);
    expect(loadConfig({ ...good, BOT_TIMEZONE: 'Asia/Hong_Kong' }).timeZone).to.equal('Asia/Hong_Kong');
    expect(loadConfig(good).timeZone).to.equal('Asia/Shanghai');
    expect(problem({ ...good, PORT: '70000' })).to.match(/^PORT: /);
    expect(problem({ ...good, WECOM_TOKEN: 'has space' })).to.match(/^WECOM_TOKEN: /);
    const { WECOM_TOKEN: _omitted, ...withoutToken } = good;
    expect(problem(withoutToken)).to.match(/^WECOM_TOKEN: is required/);
  });

  it('never puts a secret in the error message', () => {
    const message = problem({ ...good, WECOM_AGENT_SECRET: 'TOPSECRET', WECOM_ENCODING_AES_KEY: 'TOPSECRETKEY' });
    expect(message).not.to.contain('TOPSECRET');
  });

  it('stops `npm start` with one line naming the bad .env variable', function () {
    this.timeout(30_000);
    const dir = mkdtempSync(join(tmpdir(), 'wco-env-'));
    try {
      writeFileSync(
        join(dir, '.env'),
        Object.entries({ ...good, WECOM_ENCODING_AES_KEY: 'tooShort' })
          .map(([k, v]) => `${k}=${v}`)
          .join('\n'),
      );
      const { node, args } = startCommand();
      const result = spawnSync(node, args, { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH }, timeout: 20_000 });
      expect(result.status).to.equal(1);
      const lines = result.stderr.trim().split('\n');
      expect(lines).to.have.length(1);
      expect(lines[0]).to.match(/WECOM_ENCODING_AES_KEY/);
      expect(result.stdout + result.stderr).not.to.contain('tooShort');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('under a service manager started in the wrong folder (no .env, NODE_ENV=production), refuses to start the demo and says no .env was read', function () {
    this.timeout(30_000);
    const dir = mkdtempSync(join(tmpdir(), 'wco-env-'));
    try {
      const { node, args } = startCommand();
      const result = spawnSync(node, args, { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH, NODE_ENV: 'production', PORT: '0' }, timeout: 20_000 });
      expect(result.status).to.equal(1);
      const lines = result.stderr.trim().split('\n');
      expect(lines).to.have.length(1);
      expect(lines[0]).to.contain('WECOM_CORP_ID: is required when NODE_ENV=production').and.contain(`.env read: none in ${dir}`);
      expect(result.stdout).not.to.contain('started');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('displayStoreUrl', () => {
  it('hides a Redis user and password whatever characters they hold, and leaves other URLs as they are', async () => {
    const { displayStoreUrl } = await import('../src/config.js');
    expect(displayStoreUrl('redis://:s3cr/et+x=@redis.internal:6379/2')).to.equal('redis://***@redis.internal:6379/2');
    expect(displayStoreUrl('rediss://bot:p@ss@word@10.0.0.5:6380')).to.equal('rediss://***@10.0.0.5:6380');
    expect(displayStoreUrl('redis://127.0.0.1:6379')).to.equal('redis://127.0.0.1:6379');
    expect(displayStoreUrl('redis://u:p@host/with/path?x')).to.equal('redis://…');
    expect(displayStoreUrl('sqlite:///srv/a@b/bot.sqlite')).to.equal('sqlite:///srv/a@b/bot.sqlite');
  });
});
