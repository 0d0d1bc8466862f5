import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import fetch from 'node-fetch';
import { scriptCommand, spawnCollecting } from './helpers/process.js';

/** `npm run demo`, with `extra` arguments, on a store of its own. */
function demo(store: string, extra: string[] = [], env: Record<string, string> = {}) {
  const { node, args } = scriptCommand('demo');
  return spawnCollecting(node, [...args, ...extra], { env: { PATH: process.env.PATH, PORT: '0', STORE_URL: store, ...env } });
}

/** The demo's role of `userid`, as the playground lists it. */
async function roleOf(url: string, userid: string): Promise<string | undefined> {
  const people = (await (await fetch(`${url}/playground/api/people`)).json()) as { members: { userid: string; role: string }[] };
  return people.members.find((m) => m.userid === userid)?.role;
}

describe('npm run demo -- --reset', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wco-demo-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the demo’s store across starts, and --reset starts the demo corp afresh, store included', async function () {
    this.timeout(60_000);
    const store = `sqlite://${join(dir, 'demo.sqlite')}`;
    // A .env's corp is not the demo's: npm run demo ignores WECOM_CORP_ID.
    const first = demo(store, [], { WECOM_CORP_ID: 'wwsomecorp' });
    const { url } = JSON.parse(await first.line((l) => l.includes('"event":"started"'))) as { url: string };
    expect(first.output()).to.contain('"mode":"demo"');
    await fetch(`${url}/playground/api/say`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'zhangsan', text: '/角色 添加 赵六 主管' }),
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await roleOf(url, 'zhaoliu')).to.equal('manager');
    expect(await first.stop()).to.equal(0);

    const kept = demo(store);
    const again = JSON.parse(await kept.line((l) => l.includes('"event":"started"'))) as { url: string };
    expect(await roleOf(again.url, 'zhaoliu'), 'kept across a restart').to.equal('manager');
    expect(await kept.stop()).to.equal(0);

    const fresh = demo(store, ['--reset']);
    const reset = JSON.parse(await fresh.line((l) => l.includes('"event":"started"'))) as { url: string };
    expect(fresh.output()).to.contain('"event":"demo.reset"');
    expect(await roleOf(reset.url, 'zhaoliu'), 'afresh').to.equal('staff');
    expect(await fresh.stop()).to.equal(0);
  });

  it('refuses to reset a store that is not plainly a demo’s: the production default, another file, a Redis without a demo prefix', async function () {
    this.timeout(30_000);
    for (const [store, env] of [
      ['sqlite://./data/bot.sqlite', {}],
      [`sqlite://${join(dir, 'crm.sqlite')}`, {}],
      ['redis://127.0.0.1:1', {}],
    ] as const) {
      const proc = demo(store, ['--reset'], env);
      const code = await new Promise<number | null>((resolve) => proc.child.on('exit', resolve));
      expect(code, store).to.equal(1);
      expect(proc.output(), store).to.contain('refusing to reset');
    }
  });
});

describe('npm run demo -- --corp', () => {
  it('runs the demo on the mid-size corp (1,000 members, 50,000 customers), and refuses a corp it does not have', async function () {
    this.timeout(60_000);
    const mid = demo('memory://', ['--corp', 'mid']);
    const people = JSON.parse(await mid.line((l) => l.includes('"event":"demo.people"'))) as { customers: number; resigned: string[] };
    expect(people.customers).to.equal(50_000);
    const { url } = JSON.parse(await mid.line((l) => l.includes('"event":"started"'))) as { url: string };
    const listed = (await (await fetch(`${url}/playground/api/people`)).json()) as { members: unknown[] };
    expect(listed.members.length).to.be.greaterThan(900);
    expect(await mid.stop()).to.equal(0);

    const huge = demo('memory://', ['--corp', 'huge']);
    const code = await new Promise<number | null>((resolve) => huge.child.on('exit', resolve));
    expect(code).to.equal(1);
    expect(huge.output()).to.contain('--corp takes big or mid').and.contain('not huge');
  });
});
