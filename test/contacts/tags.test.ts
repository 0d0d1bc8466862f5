import { expect } from 'chai';
import { CorpTags } from '../../src/contacts/tags.js';
import { createMemoryStore } from '../../src/store/memory.js';
import { simClient, type SimClient } from '../helpers/sim.js';

describe('contacts: the corp’s tags', () => {
  let env: SimClient;
  beforeEach(async () => {
    env = await simClient();
  });
  afterEach(() => env.close());
  const reads = () => env.sim.calls('externalcontact/get_corp_tag_list').length;

  it('reads the list once for every instance on a store until it is forgotten or asked fresh', async () => {
    const store = createMemoryStore();
    const tags = new CorpTags({ client: env.client, store });
    const first = await tags.index();
    await new CorpTags({ client: env.client, store }).index();
    expect(reads()).to.equal(1);
    await tags.index(true);
    expect(reads(), 'fresh').to.equal(2);
    await tags.forget();
    await tags.index();
    expect(reads(), 'after forget').to.equal(3);
    const [group] = first.groups;
    if (group?.tag[0]) expect(first.byId.get(group.tag[0].id)).to.include({ group: group.group_name });
    await store.close();
  });

  it('knows the tags it created: the others are foreign (WeCom lets an app change only its own)', async () => {
    const store = createMemoryStore();
    const tags = new CorpTags({ client: env.client, store });
    await tags.remember([{ id: 'etMINE', name: '高' }], 'zhangsan');
    expect(await tags.foreign(['etMINE', 'etOTHER'])).to.deep.equal(['etOTHER']);
    await tags.forgetOwn(['etMINE']);
    expect(await tags.foreign(['etMINE'])).to.deep.equal(['etMINE']);
    await store.close();
  });
});
