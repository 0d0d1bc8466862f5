import { expect } from 'chai';
import { createCluster } from '@keyv/redis';
import { startChat, textOf, type Chat } from '../helpers/chat.js';
import { redisClusterUrl, redisPrefix } from '../helpers/stores.js';

/**
 * A bot on a Redis Cluster of three masters (scripts/redis-cluster.sh, started by .ci/run). A cluster refuses a script
 * that reaches a key it did not declare on another node, and a transaction over keys of several slots; every key the
 * bot writes carries the hash tag {STORE_PREFIX}, so all of them live in one slot of one master.
 */
describe('store: a bot on a Redis Cluster', () => {
  let chat: Chat | undefined;
  const cleanups: (() => Promise<void> | void)[] = [];
  before(function () {
    if (!redisClusterUrl()) this.skip();
  });
  afterEach(async () => {
    await chat?.close();
    chat = undefined;
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  /** Every key under `{prefix}` on the cluster's masters, with the slot each is in. */
  async function keysBySlot(prefix: string): Promise<Map<number, string[]>> {
    const cluster = createCluster({ rootNodes: [{ url: redisClusterUrl()! }] });
    await cluster.connect();
    const bySlot = new Map<number, string[]>();
    try {
      for (const master of cluster.masters) {
        const node = await cluster.nodeClient(master);
        for (const key of await node.keys(`{${prefix}}*`)) {
          const slot = Number(await node.sendCommand(['CLUSTER', 'KEYSLOT', key]));
          bySlot.set(slot, [...(bySlot.get(slot) ?? []), key]);
        }
      }
    } finally {
      await cluster.close();
    }
    return bySlot;
  }

  it('answers, remembers, confirms and runs a transfer job, with every key in one slot', async () => {
    const url = redisClusterUrl()!;
    const { prefix, wipe } = redisPrefix();
    cleanups.push(() => wipe(url));
    chat = await startChat({ admins: ['zhangsan'], managers: ['lisi'], storeUrl: url, env: { STORE_PREFIX: prefix } });
    expect(chat.bot.store.kind).to.equal('redis');
    await chat.shouldReply('lisi', '/語言 zh-Hant', '繁體中文');
    await chat.shouldReply('lisi', '/help', '你可以使用的指令');
    await chat.shouldReply('zhangsan', '/欢迎语 设置 --text 「您好，集群上的欢迎语」', '欢迎语');
    const waiting = chat.sim.corp.customersOf('zhouba').length;
    expect(waiting).to.be.above(0);
    const [plan] = await chat.as('zhangsan').say('/转接 全部 --from zhouba --to lisi');
    expect(textOf(plan!)).to.contain('zhouba');
    await chat.as('zhangsan').click(plan!, 'confirm');
    await chat.bot.bot.jobsIdle();
    expect(chat.sim.calls('externalcontact/resigned/transfer_customer').length).to.be.above(0);
    await chat.shouldReply('zhangsan', '/审计 --limit 5', '转接');
    const slots = await keysBySlot(prefix);
    expect([...slots.keys()], 'slots holding the bot’s keys').to.have.length(1);
    const keys = [...slots.values()][0]!;
    expect(keys.some((k) => k.startsWith(`{${prefix}}:inbox:`))).to.equal(true);
    expect(keys.some((k) => k.startsWith(`{${prefix}}:tl:audit`))).to.equal(true);
    expect(keys.some((k) => k.startsWith(`{${prefix}}.`))).to.equal(true);
    expect(await chat.bot.store.admin.schemaVersion()).to.be.above(2);
  });
});
