import { expect } from 'chai';
import { AuditLog } from '../../src/bot/audit-log.js';
import { action, defineCommand, type CommandContext } from '../../src/bot/command.js';
import { commandContext } from '../../src/bot/context.js';
import { Conversations } from '../../src/bot/conversation.js';
import { ProposalStore } from '../../src/bot/proposal-store.js';
import { ProposalFlow } from '../../src/bot/proposals.js';
import { Registry } from '../../src/bot/registry.js';
import { Roles } from '../../src/bot/roles.js';
import type { Channel } from '../../src/channel/channel.js';
import { projectCatalog } from '../../src/i18n/index.js';
import { silentLogger } from '../../src/log.js';
import { renderReplyLines } from '../../src/render/reply.js';
import { createMemoryStore, type Store } from '../../src/store/index.js';

/** A channel that shows no cards (a plain-text chat): everything the bot says comes as text. */
function textOnlyChannel(said: string[]): Channel {
  const channel: Channel = {
    name: 'text-only',
    capabilities: { markdown: 'wecom-app', maxMessageBytes: 2048, cards: false, updatesInPlace: false },
    async sendReply(_user, reply) {
      said.push(renderReplyLines(reply).join('\n'));
    },
    async sendCard() {
      throw new Error('this channel shows no cards');
    },
    async updateCard() {
      throw new Error('this channel updates nothing in place');
    },
    forDelivery: () => channel,
  };
  return channel;
}

const pick = defineCommand({
  id: 'pick-size',
  names: { 'zh-Hans': '尺码', 'zh-Hant': '尺碼', en: 'size' },
  actions: [action({ role: 'staff', args: [{ name: 'size', type: 'string', required: true }], run: async () => undefined })],
});

describe('a channel without cards: questions and confirmations in words', () => {
  let store: Store;
  let said: string[];
  let channel: Channel;
  let ctx: CommandContext;
  beforeEach(() => {
    store = createMemoryStore();
    said = [];
    channel = textOnlyChannel(said);
    const roles = new Roles(['zhangsan'], [], store);
    const deps = { client: undefined as never, channel, texts: projectCatalog, store, log: silentLogger, roles, timeZone: 'Asia/Shanghai' };
    ctx = commandContext(deps, undefined as never, 'zhangsan', 'zh-Hans', {});
  });
  afterEach(() => store.close());

  it('lists the likely answers of a question to be typed, and keeps the question open', async () => {
    const conversations = new Conversations(store, { channel, log: silentLogger, texts: projectCatalog });
    const choices = async () => ['S', 'M', 'L', 'XL', 'XXL', '3XL', '4XL'].map((value) => ({ value, label: `${value} 码` }));
    await conversations.ask(ctx, pick, 'pick-size', [], { kind: 'argument', name: 'size' }, choices, '/尺码 <size>');
    expect(said.join('\n')).to.contain('S 码（S）').and.contain('4XL 码（4XL）').and.contain('直接输入即可');
    expect(await conversations.get('zhangsan')).to.include({ actionId: 'pick-size' });
  });

  it('puts a plan before its proposer as text with the code to type, and records the proposal', async () => {
    const proposalStore = new ProposalStore(store);
    const audit = new AuditLog(store);
    const flow = new ProposalFlow({
      registry: new Registry([pick]),
      proposalStore,
      channel,
      audit,
      roles: new Roles(['zhangsan'], [], store),
      log: silentLogger,
      context: () => ctx,
    });
    await flow.propose(ctx, pick, pick.actions[0]!, { summary: { title: '删除标签「待删」' }, fields: [['标签数', '1']], payload: {} });
    const text = said.join('\n');
    const code = /\/确认 ([A-Z0-9]{6})/.exec(text)?.[1];
    expect(text).to.contain('删除标签「待删」').and.contain('标签数：').and.contain('10 分钟内有效');
    expect(code, text).to.be.a('string');
    expect(await proposalStore.byCode(code!)).to.include({ userid: 'zhangsan', commandId: 'pick-size' });
    const [entry] = await audit.recent({ user: 'zhangsan' });
    expect(entry).to.include({ decision: 'proposed', code });
  });
});
