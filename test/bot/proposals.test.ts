import { expect } from 'chai';
import { AuditLog } from '../../src/bot/audit-log.js';
import { action, defineCommand } from '../../src/bot/command.js';
import { commandContext } from '../../src/bot/context.js';
import { ProposalStore } from '../../src/bot/proposal-store.js';
import { ProposalFlow } from '../../src/bot/proposals.js';
import { Registry } from '../../src/bot/registry.js';
import { Roles } from '../../src/bot/roles.js';
import type { Channel } from '../../src/channel/channel.js';
import { projectCatalog } from '../../src/i18n/index.js';
import { silentLogger } from '../../src/log.js';
import { renderReplyLines } from '../../src/render/reply.js';
import { createMemoryStore } from '../../src/store/index.js';

const broadcast = defineCommand({
  id: 'send-all',
  names: { 'zh-Hans': '全发', 'zh-Hant': '全發', en: 'send-all' },
  actions: [
    action({ role: 'admin', plan: async () => ({ summary: { title: '群发给 300 位客户' }, payload: {} }), execute: async () => ({ title: '已群发' }) }),
  ],
});

describe('confirmation cards of a delivery run again after a crash', () => {
  it('the card of the re-run retires the first one, even for a plan about no subject: one card at most counts', async () => {
    const store = createMemoryStore();
    const said: string[] = [];
    const cards: string[] = [];
    const channel: Channel = {
      name: 'cards',
      capabilities: { markdown: 'wecom-app', maxMessageBytes: 2048, cards: true, updatesInPlace: true },
      async sendReply(_user, reply) {
        said.push(renderReplyLines(reply).join('\n'));
      },
      async sendCard(_user, card) {
        cards.push(card.task_id ?? '');
        return { responseCode: `rc-${cards.length}` };
      },
      async updateCard() {},
      forDelivery: () => channel,
    };
    const roles = new Roles(['zhangsan'], [], store);
    const ctx = commandContext(
      { client: undefined as never, channel, texts: projectCatalog, store, log: silentLogger, roles, timeZone: 'Asia/Shanghai' },
      undefined as never,
      'zhangsan',
      'zh-Hans',
      {},
    );
    const proposalStore = new ProposalStore(store);
    const flow = (attempt: number) =>
      new ProposalFlow({
        registry: new Registry([broadcast]),
        proposalStore,
        channel,
        audit: new AuditLog(store),
        roles,
        log: silentLogger,
        context: () => ctx,
        delivery: { key: 'msg:4242', attempt },
      });
    const plan = await broadcast.actions[0]!.plan!(ctx);
    await flow(1).propose(ctx, broadcast, broadcast.actions[0]!, plan);
    await flow(2).propose(ctx, broadcast, broadcast.actions[0]!, plan);
    expect(cards).to.have.length(2);
    const first = await proposalStore.byTaskId(cards[0]!);
    const second = await proposalStore.byTaskId(cards[1]!);
    expect(first?.retiredBy, 'the first card no longer counts').to.equal(second?.code);
    await flow(2).decide({ user: 'zhangsan', proposal: first, choice: 'confirm', fallbackLocale: 'zh-Hans' });
    expect(said.join('\n')).to.contain('已被新的确认卡片').and.contain('没有执行');
    await store.close();
  });
});
