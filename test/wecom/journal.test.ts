import { expect } from 'chai';
import { createMemoryStore, defineNamespace, type Store } from '../../src/store/index.js';
import { WeComError, WeComTransportError, type CallSpec } from '../../src/wecom/index.js';
import { EffectRecords, WriteJournal, type EffectRecord } from '../../src/wecom/journal.js';

const RECORDS = defineNamespace<EffectRecord>('journal-test');
const tag = (name: string): CallSpec => ({
  method: 'POST',
  path: 'cgi-bin/externalcontact/add_corp_tag',
  body: { group_name: 'g', tag: [{ name }] },
  secret: 'contact',
  kind: 'write',
});
const message = (content: string): CallSpec => ({
  ...tag(''),
  path: 'cgi-bin/message/send',
  body: { touser: 'lisi', markdown: { content } },
  secret: 'agent',
  resendable: true,
});

describe('the write journal of a unit of work (a delivery run again after a crash)', () => {
  let store: Store;
  let sent: string[];
  const send = (spec: CallSpec) => async () => {
    sent.push(JSON.stringify(spec.body));
    return { errcode: 0, id: sent.length };
  };
  beforeEach(() => {
    store = createMemoryStore();
    sent = [];
  });
  afterEach(() => store.close());
  const run = (attempt: number) => new WriteJournal(new EffectRecords(store.namespace(RECORDS)), { key: 'msg:1', attempt });

  it('a re-run gets the recorded answer of each write it repeats, and sends nothing again', async () => {
    const first = run(1);
    expect(await first.once(tag('高'), send(tag('高')))).to.deep.equal({ errcode: 0, id: 1 });
    expect(await first.once(tag('低'), send(tag('低')))).to.deep.equal({ errcode: 0, id: 2 });
    const again = run(2);
    expect(await again.once(tag('高'), send(tag('高')))).to.deep.equal({ errcode: 0, id: 1 });
    expect(await again.once(tag('低'), send(tag('低')))).to.deep.equal({ errcode: 0, id: 2 });
    expect(sent).to.have.length(2);
  });

  it('knows a write by what it writes, not by its place: a re-run whose reads changed sends its other write', async () => {
    await run(1).once(tag('高'), send(tag('高')));
    const again = run(2);
    // The re-run read something else and writes 中 first: no answer recorded for 高 is handed to it.
    expect(await again.once(tag('中'), send(tag('中')))).to.deep.equal({ errcode: 0, id: 2 });
    expect(await again.once(tag('高'), send(tag('高')))).to.deep.equal({ errcode: 0, id: 1 });
    expect(sent).to.have.length(2);
  });

  it('tells identical writes of one run apart by their rank, and keys in any order are one body', async () => {
    const first = run(1);
    await first.once(message('a'), send(message('a')));
    await first.once(message('a'), send(message('a')));
    const reordered: CallSpec = { ...message('a'), body: { markdown: { content: 'a' }, touser: 'lisi' } };
    const again = run(2);
    expect(await again.once(reordered, send(reordered))).to.deep.equal({ errcode: 0, id: 1 });
    expect(await again.once(message('a'), send(message('a')))).to.deep.equal({ errcode: 0, id: 2 });
    expect(await again.once(message('a'), send(message('a'))), 'a third one is new').to.deep.equal({ errcode: 0, id: 3 });
  });

  it('a write sent with no answer recorded is reported as possibly applied, never sent twice; an app message is sent again', async () => {
    const crashed = run(1);
    const dies = () => new Promise<never>(() => undefined); // the process dies while WeCom answers
    void crashed.once(tag('高'), dies);
    void crashed.once(message('结果'), dies);
    await new Promise((r) => setTimeout(r, 10));
    const again = run(2);
    const refused = await again.once(tag('高'), send(tag('高'))).catch((err: unknown) => err);
    expect(WeComTransportError.is(refused) && refused.maybeApplied).to.equal(true);
    expect(await again.once(message('结果'), send(message('结果')))).to.deep.equal({ errcode: 0, id: 1 });
    expect(sent).to.have.length(1);
  });

  it('a write WeCom refused is tried again by the re-run (nothing was applied)', async () => {
    const refuse = async () => {
      throw new WeComError(45009, 'api freq out of limit', 'cgi-bin/externalcontact/add_corp_tag');
    };
    await run(1)
      .once(tag('高'), refuse)
      .catch(() => undefined);
    expect(await run(2).once(tag('高'), send(tag('高')))).to.deep.equal({ errcode: 0, id: 1 });
  });
});

describe('the write journal of a client view (client.forDelivery)', () => {
  it('ranks the writes of one unit together, whichever view of the client makes them', async () => {
    const { createWeComClient } = await import('../../src/wecom/index.js');
    const { createSimulator } = await import('../../src/simulator/index.js');
    const { tempSqliteUrl } = await import('../helpers/stores.js');
    const { createStore } = await import('../../src/store/index.js');
    const sim = await createSimulator({ members: 3, customers: 3, seed: 1 });
    const { url, cleanup } = tempSqliteUrl();
    const store = await createStore(url);
    const env = sim.botEnv();
    const client = createWeComClient({
      corpId: env.WECOM_CORP_ID!,
      agentId: 1000002,
      agentSecret: env.WECOM_AGENT_SECRET!,
      apiBase: env.WECOM_API_BASE!,
      store,
    });
    try {
      const send = (view: typeof client) => view.message.send({ touser: 'zhangsan', msgtype: 'text', text: { content: '同一句话' } });
      // The first run sends the text through one view, then the process dies before the second identical send.
      await send(client.forDelivery({ key: 'msg:77', attempt: 1 }));
      // The re-run sends it through the handler's view and again through the channel's: the first is known, the second
      // is a write of its own (rank 2), and goes out.
      const again = { key: 'msg:77', attempt: 2 };
      await send(client.forDelivery(again));
      await send(client.forDelivery(again));
      expect(sim.captures.messages.filter((m) => m.touser.includes('zhangsan'))).to.have.length(2);
    } finally {
      await client.close();
      await store.close();
      await sim.close();
      cleanup();
    }
  });
});
