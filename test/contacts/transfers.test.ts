import { expect } from 'chai';
import { TransferLedger } from '../../src/contacts/transfers.js';
import { createMemoryStore } from '../../src/store/memory.js';

describe('contacts: the ledger of transfers the bot started', () => {
  it('knows who waits for WeCom’s takeover and who started it, until the takeover or a failure', async () => {
    const store = createMemoryStore();
    const ledger = new TransferLedger(store);
    await ledger.started(['wm1', 'wm2'], 'zhouba', 'lisi', 'zhangsan');
    expect([...(await ledger.inTransfer(['wm1', 'wm2', 'wm3']))]).to.deep.equal(['wm1', 'wm2']);
    expect(await ledger.originOf('ZhouBa')).to.include({ by: 'zhangsan', from: 'zhouba', to: 'lisi' });
    // The takeover came for wm1 — to the member it was handed to, not to anyone else.
    expect(await ledger.takenOver('wm1', 'wangwu')).to.equal(false);
    expect(await ledger.takenOver('wm1', 'LiSi')).to.equal(true);
    expect(await ledger.pendingOf('wm1')).to.have.property('takenOver');
    await ledger.failed('wm2');
    expect([...(await ledger.inTransfer(['wm1', 'wm2']))], 'taken over or failed: none waits').to.deep.equal([]);
    // Another instance on the same store reads the same ledger.
    expect(await new TransferLedger(store).originOf('lisi')).to.include({ by: 'zhangsan' });
    await store.close();
  });
});
