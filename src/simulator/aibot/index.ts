/** The simulated WeCom side of an AI bot (智能机器人, API mode): long connection, webhook driver, response_urls. */
export { AibotWsServer } from './ws-server.js';
export { AibotWebhookDriver } from './webhook-driver.js';
export { AibotResponseUrls } from './response-urls.js';
export type { AibotStreamView } from './ledger.js';
