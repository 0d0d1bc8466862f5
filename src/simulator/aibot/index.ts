/** The simulated WeCom side of an AI bot (智能机器人, API mode): long connection, webhook driver, response_urls. */
export {
  AibotWsServer,
  type AibotCredentials,
  type AibotInjected,
  type AibotTextInjection,
  type AibotTranscriptEntry,
  type AibotWsServerOptions,
} from './ws-server.js';
export {
  AibotWebhookDriver,
  type AibotStreamOutcome,
  type AibotWebhookDriverOptions,
  type AibotWebhookExchange,
  type AibotWebhookReply,
} from './webhook-driver.js';
export { AibotResponseUrls, RESPONSE_URL_PATH, type ResponseUrlChat, type ResponseUrlPost } from './response-urls.js';
export type { AibotCardUpdateView, AibotPushView, AibotStreamView } from './ledger.js';
export { AIBOT_ERR, type AibotError, AibotRefusal } from './errcodes.js';
export { DEFAULT_BOT_NAME, type ClickPlacement } from './callbacks.js';
