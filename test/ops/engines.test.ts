import { spawnSync } from 'node:child_process';
import { expect } from 'chai';
import { MIN_NODE, nodeTooOld } from '../../src/ops/engines.js';
import { startCommand } from '../helpers/process.js';

describe('the Node version at start (issue 27)', () => {
  it('says in one line, in Chinese and English, that an older Node will not do, and accepts 22.13 and newer', () => {
    expect(nodeTooOld('20.20.2')).to.equal(
      `wecom-contact-ops 需要 Node ${MIN_NODE} 或更新版本（当前是 20.20.2），请升级 Node 后再启动 · needs Node ${MIN_NODE} or newer (this is 20.20.2): upgrade Node, then start it again`,
    );
    expect(nodeTooOld('22.12.9')).to.be.a('string');
    for (const ok of ['22.13.0', '22.23.5', '24.1.0', '30.0.0']) expect(nodeTooOld(ok), ok).to.equal(undefined);
  });

  it('npm start on the machine’s Node 20 prints that line and exits 1, instead of "No such built-in module: node:sqlite"', function () {
    // The machine keeps a system Node 20 (older than what the bot supports): exactly what an operator may run it with.
    const old = spawnSync('/usr/bin/node', ['--version'], { encoding: 'utf8' });
    if (old.status !== 0 || !old.stdout.startsWith('v20')) return this.skip();
    const { args } = startCommand();
    const run = spawnSync('/usr/bin/node', args, { encoding: 'utf8', env: { PATH: process.env.PATH, STORE_URL: 'memory://' }, timeout: 10_000 });
    expect(run.status).to.equal(1);
    expect(run.stderr.trim().split('\n')).to.have.length(1);
    expect(run.stderr).to.contain('需要 Node 22.13.0 或更新版本').and.contain('needs Node 22.13.0 or newer');
    expect(run.stderr).not.to.contain('node:sqlite');
  });
});
