import { expect } from 'chai';
import { createStore, defineNamespace, type Store } from '../../src/store/index.js';
import { redisClusterAuthUrl, redisClusterUrl, redisUrl, tempSqliteUrl } from '../helpers/stores.js';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Namespaces of this test only, with the value types the test writes. */
const FIRST = defineNamespace<{ locale: string }>('test-store-first');
const SECOND = defineNamespace<{ locale: string }>('test-store-second');
const COUNTS = defineNamespace<number>('test-store-counts');
const OTHER_COUNTS = defineNamespace<number>('test-store-other-counts');
const KEPT = defineNamespace<string>('test-store-kept');

const backends: { name: string; kind?: string; open: () => Promise<{ store: Store; cleanup: () => void; reopen: () => Promise<Store> }> }[] = [
  {
    name: 'memory',
    open: async () => ({ store: await createStore('memory://'), cleanup: () => undefined, reopen: () => createStore('memory://') }),
  },
  {
    name: 'sqlite',
    open: async () => {
      const { url, cleanup } = tempSqliteUrl();
      return { store: await createStore(url), cleanup, reopen: () => createStore(url) };
    },
  },
  {
    name: 'redis',
    open: async () => {
      const url = redisUrl()!;
      return { store: await createStore(url), cleanup: () => undefined, reopen: () => createStore(url) };
    },
  },
  {
    // Every key of a store shares one hash tag: a cluster serves scripts, transactions and scans of it from one slot.
    name: 'redis cluster',
    kind: 'redis',
    open: async () => {
      const url = redisClusterUrl()!;
      return { store: await createStore(url), cleanup: () => undefined, reopen: () => createStore(url) };
    },
  },
  {
    // Its nodes require a password: the client must reach the nodes it learns of with the URL's credentials too.
    name: 'redis cluster with a password',
    kind: 'redis',
    open: async () => {
      const url = redisClusterAuthUrl()!;
      return { store: await createStore(url), cleanup: () => undefined, reopen: () => createStore(url) };
    },
  },
];

for (const backend of backends) {
  describe(`store: ${backend.name}`, () => {
    let store: Store;
    let cleanup: () => void;
    let reopen: () => Promise<Store>;
    const run = Math.random().toString(36).slice(2);

    before(function () {
      if (backend.name === 'redis' && !redisUrl()) this.skip();
      if (backend.name === 'redis cluster' && !redisClusterUrl()) this.skip();
      if (backend.name === 'redis cluster with a password' && !redisClusterAuthUrl()) this.skip();
    });
    beforeEach(async () => {
      ({ store, cleanup, reopen } = await backend.open());
    });
    afterEach(async () => {
      await store.close();
      cleanup();
    });

    it('refuses a namespace declared twice, or named with other than lower-case ASCII', () => {
      store.namespace(KEPT);
      expect(() => store.namespace(defineNamespace<string>('test-store-kept')), 'another declaration of a name in use').to.throw('declared twice');
      expect(() => store.namespace(KEPT), 'the same declaration again').not.to.throw();
      // A look into another room's namespace (the store's identity check reads tokens and the directory) declares nothing.
      store.namespace({ name: 'test-store-looked-at', lookOnly: true });
      expect(() => store.namespace(defineNamespace<string>('test-store-looked-at'))).not.to.throw();
      expect(() => defineNamespace<string>('Cache')).to.throw('lower-case');
      expect(() => defineNamespace<string>('a:b')).to.throw('lower-case');
    });

    it('reports its kind', () => {
      expect(store.kind).to.equal(backend.kind ?? backend.name);
    });

    it('sets, gets, deletes and expires values per namespace', async () => {
      const prefs = store.namespace(FIRST);
      const audit = store.namespace(SECOND);
      await prefs.set(`u-${run}`, { locale: 'en' });
      expect(await prefs.get(`u-${run}`)).to.deep.equal({ locale: 'en' });
      expect(await audit.get(`u-${run}`)).to.equal(undefined);
      await prefs.set(`ttl-${run}`, { locale: 'x' }, 40);
      await wait(80);
      expect(await prefs.get(`ttl-${run}`)).to.equal(undefined);
      expect(await prefs.delete(`u-${run}`)).to.equal(true);
      expect(await prefs.get(`u-${run}`)).to.equal(undefined);
    });

    it('lists the entries of one namespace only', async () => {
      const jobs = store.namespace(COUNTS);
      const welcome = store.namespace(OTHER_COUNTS);
      await jobs.set(`a-${run}`, 1);
      await jobs.set(`b-${run}`, 2);
      await welcome.set(`c-${run}`, 3);
      const seen = new Map<string, number>();
      for await (const [k, v] of jobs.entries()) if (k.endsWith(run)) seen.set(k, v);
      expect(Object.fromEntries(seen)).to.deep.equal({ [`a-${run}`]: 1, [`b-${run}`]: 2 });
      await jobs.delete(`a-${run}`);
      await jobs.delete(`b-${run}`);
      await welcome.delete(`c-${run}`);
    });

    it('grants a claim to exactly one of many concurrent callers, until released or expired', async () => {
      const results = await Promise.all(Array.from({ length: 20 }, () => store.claim(`k-${run}`, 5000)));
      expect(results.filter(Boolean)).to.have.length(1);
      await store.release(`k-${run}`);
      expect(await store.claim(`k-${run}`, 30)).to.equal(true);
      await wait(80);
      expect(await store.claim(`k-${run}`, 5000)).to.equal(true);
      await store.release(`k-${run}`);
    });

    it('names the holder of a claim, so a caller running again can tell its own claim from another one', async () => {
      expect(await store.claimFor(`h-${run}`, 'delivery-1', 5000)).to.equal('delivery-1');
      expect(await store.claimFor(`h-${run}`, 'delivery-2', 5000)).to.equal('delivery-1');
      expect(await store.claimFor(`h-${run}`, 'delivery-1', 5000)).to.equal('delivery-1');
      await store.release(`h-${run}`);
    });

    it('keeps a time-indexed log: newest first, by tag, without reading the rest', async () => {
      const log = store.timeline<{ n: number; who: string }>('audit');
      const base = Date.now();
      for (let n = 0; n < 30; n++) {
        const who = `${n % 3 === 0 ? 'a' : 'b'}-${run}`;
        await log.append(base + n, who, { n, who }, 60_000);
      }
      const newest = await log.newest({ limit: 5 });
      expect(newest.map((e) => e.n)).to.deep.equal([29, 28, 27, 26, 25]);
      const ofA = await log.newest({ limit: 4, tag: `a-${run}` });
      expect(ofA.map((e) => e.n)).to.deep.equal([27, 24, 21, 18]);
      expect(await log.newest({ limit: 4, tag: `nobody-${run}` })).to.deep.equal([]);
      if ((backend.kind ?? backend.name) !== 'redis') {
        await log.append(Date.now() - 10_000, `old-${run}`, { n: -1, who: 'old' }, 1000);
        expect(await log.newest({ limit: 4, tag: `old-${run}` })).to.deep.equal([]); // past its retention
      }
    });

    if (backend.name !== 'memory') {
      it('keeps values and claims across a reopen', async () => {
        await store.namespace(KEPT).set(`keep-${run}`, 'zh-Hant');
        await store.claim(`keep-${run}`, 60_000);
        await store.close();
        store = await reopen();
        expect(await store.namespace(KEPT).get(`keep-${run}`)).to.equal('zh-Hant');
        expect(await store.claim(`keep-${run}`, 60_000)).to.equal(false);
        await store.namespace(KEPT).delete(`keep-${run}`);
        await store.release(`keep-${run}`);
      });
    }
  });
}

describe('store: errors', () => {
  it('fails to open an unreachable Redis instead of silently missing', async () => {
    let error: unknown;
    try {
      const store = await createStore('redis://127.0.0.1:1');
      await store.close();
    } catch (err) {
      error = err;
    }
    expect(error).to.be.instanceOf(Error);
  });
});
