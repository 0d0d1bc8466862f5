import { expect } from 'chai';
import { cursorPage } from '../../../commands/_lib/cursorPages.js';
import type { CommandContext } from '../../../src/bot/command.js';
import { createStore, type Store } from '../../../src/store/index.js';

describe('commands/_lib/cursorPages', () => {
  let store: Store;
  beforeEach(async () => {
    store = await createStore('memory://');
  });
  afterEach(() => store.close());

  /** A cursor API of 5 pages; counts its calls. */
  const api = () => {
    let calls = 0;
    const fetch = async (cursor: string) => {
      calls += 1;
      const page = cursor === '' ? 1 : Number(cursor);
      return { page, ...(page < 5 ? { next_cursor: String(page + 1) } : {}) };
    };
    return { fetch, calls: () => calls };
  };

  it('walks to an unknown page once, then reaches a page already seen (or the next) in one call', async () => {
    const ctx: Pick<CommandContext, 'state'> = { state: (key) => store.namespace(key) };
    const a = api();
    const third = await cursorPage(ctx, 'scope', 3, a.fetch);
    expect(third).to.deep.include({ page: 3, hasNext: true });
    expect(a.calls()).to.equal(3);
    const fourth = await cursorPage(ctx, 'scope', 4, a.fetch);
    expect(fourth.result.page).to.equal(4);
    expect(a.calls()).to.equal(4);
    const last = await cursorPage(ctx, 'scope', 9, a.fetch);
    expect(last).to.deep.include({ page: 5, hasNext: false });
  });
});
