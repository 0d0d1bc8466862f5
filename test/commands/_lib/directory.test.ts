import { expect } from 'chai';
import { memberLabels, resolveMember } from '../../../commands/_lib/directory.js';
import { MemberDirectory } from '../../../src/contacts/members.js';
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
    services: { members: new MemberDirectory({ client: env.client, store, log: silentLogger }) },
    t: (key: string, params?: Record<string, string | number>) => t('zh-Hans', key, params),
  });

  it('labels members by name and finds them by name or English name', async () => {
    const ctx = context();
    expect((await memberLabels(ctx))('lisi')).to.equal('李四（lisi）');
    expect((await memberLabels(ctx))('nobody')).to.equal('nobody');
    expect(await resolveMember(ctx, '李四')).to.equal('lisi');
    expect(await resolveMember(ctx, 'Lily Li')).to.equal('lisi');
  });
});
