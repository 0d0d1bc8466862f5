import { expect } from 'chai';
import { memberDirectory, memberLabels, resolveMember } from '../../../commands/_lib/directory.js';
import { t } from '../../../src/i18n/index.js';
import { silentLogger } from '../../../src/log.js';
import { createMemoryStore } from '../../../src/store/memory.js';
import { simClient, type SimClient } from '../../helpers/sim.js';

describe('commands/_lib/directory', () => {
  let env: SimClient;
  beforeEach(async () => {
    env = await simClient();
  });
  afterEach(() => env.close());
  const context = (store = createMemoryStore()) => ({
    client: env.client,
    store,
    log: silentLogger,
    t: (key: string, params?: Record<string, string | number>) => t('zh-Hans', key, params),
  });

  it('reads a stale directory from the contacts once, however many replies ask for it at the same time', async () => {
    const ctx = context();
    const all = await Promise.all(Array.from({ length: 8 }, () => memberDirectory(ctx)));
    expect(env.sim.calls('department/simplelist').length + env.sim.calls('department/list').length).to.equal(1);
    expect(new Set(all.map((members) => members.length)).size).to.equal(1);
    await memberDirectory(ctx);
    expect(env.sim.calls('department/simplelist').length + env.sim.calls('department/list').length, 'then from the store').to.equal(1);
  });

  it('labels members by name and finds them by name or English name', async () => {
    const ctx = context();
    expect((await memberLabels(ctx))('lisi')).to.equal('李四（lisi）');
    expect((await memberLabels(ctx))('nobody')).to.equal('nobody');
    expect(await resolveMember(ctx, '李四')).to.equal('lisi');
    expect(await resolveMember(ctx, 'Lily Li')).to.equal('lisi');
  });
});
