import { expect } from 'chai';
import { MemberDirectory } from '../../src/contacts/members.js';
import { silentLogger } from '../../src/log.js';
import { createMemoryStore } from '../../src/store/memory.js';
import { simClient, type SimClient } from '../helpers/sim.js';

describe('contacts: the member directory', () => {
  let env: SimClient;
  beforeEach(async () => {
    env = await simClient();
  });
  afterEach(() => env.close());
  const departmentReads = () => env.sim.calls('department/simplelist').length + env.sim.calls('department/list').length;

  it('reads a stale directory from the contacts once, however many replies ask for it at the same time', async () => {
    const store = createMemoryStore();
    const members = new MemberDirectory({ client: env.client, store, log: silentLogger });
    const all = await Promise.all(Array.from({ length: 8 }, () => members.entries()));
    expect(departmentReads()).to.equal(1);
    expect(new Set(all.map((entries) => entries.length)).size).to.equal(1);
    await members.entries();
    expect(departmentReads(), 'then from the store').to.equal(1);
    // Another bot on the same store (another instance) reads what the first kept.
    await new MemberDirectory({ client: env.client, store, log: silentLogger }).entries();
    expect(departmentReads()).to.equal(1);
    await store.close();
  });

  it('marks a member who left the contacts as gone and keeps them; serves the last directory when the contacts cannot be read', async () => {
    const store = createMemoryStore();
    let now = Date.now();
    const members = new MemberDirectory({ client: env.client, store, log: silentLogger, now: () => now });
    expect((await members.entries()).find((m) => m.userid === 'lisi')).to.not.have.property('gone');
    env.sim.corp.members.delete('lisi'); // WeCom removes a member who resigns from the contacts
    now += 25 * 3600_000;
    expect((await members.entries()).find((m) => m.userid === 'lisi')).to.include({ name: '李四', gone: true });
    env.sim.faults = { errcodeRates: { 60011: 1 }, paths: /department|user\// };
    now += 25 * 3600_000;
    const served = await members.entries();
    expect(served.find((m) => m.userid === 'lisi')).to.include({ gone: true });
    expect(served.length).to.be.greaterThan(1);
    await store.close();
  });

  it('names members by UserID, by name in either Chinese script, else by English name or alias; several when a name is shared', async () => {
    const store = createMemoryStore();
    const members = new MemberDirectory({ client: env.client, store, log: silentLogger });
    expect((await members.named('LISI')).map((m) => m.userid)).to.deep.equal(['lisi']);
    expect((await members.named('張三')).map((m) => m.userid)).to.deep.equal(['zhangsan']);
    expect((await members.named('lily li')).map((m) => m.userid)).to.deep.equal(['lisi']);
    expect(await members.named('张思')).to.deep.equal([]);
    await store.close();
  });
});
