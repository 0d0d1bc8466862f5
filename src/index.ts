/**
 * Library entry of wecom-contact-ops: the typed WeCom customer-contact client, the WeCom simulator, and the bot.
 *
 * ```ts
 * import { createWeComClient } from 'wecom-contact-ops';
 * const client = createWeComClient({ corpId, agentId, agentSecret, contactSecret });
 * const { external_userid } = await client.externalContact.list('zhangsan');
 * ```
 */
export * from './wecom/index.js';
export { createSimulator, type Simulator, type SimulatorOptions, type RecordedRequest } from './simulator/index.js';
export { createBot, type Bot, type BotDeps } from './bot/index.js';
export { createStore, createMemoryStore, defineNamespace, type Store, type Namespace, type NamespaceKey } from './store/index.js';
export type { Inbound } from './callback/inbound.js';
