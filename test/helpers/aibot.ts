import type { AibotStreamView } from '../../src/simulator/aibot/index.js';
import { AibotWebhookDriver, AibotWsServer } from '../../src/simulator/aibot/index.js';
import { startChat, type Chat, type ChatOptions } from './chat.js';
import { aesKey } from '../../src/simulator/index.js';

/** The 智能机器人 of the tests: its id, secret and the name members @-mention it by. */
export const TEST_BOT = { botId: 'aib-ops', secret: 'aibot-test-secret', name: '客户助手' };

/** A chat test over the 智能机器人 as well as the app: the simulator's long-connection server, and/or its webhook. */
export interface AibotChat extends Chat {
  ws: AibotWsServer;
  /** Where the simulator's long-connection server listens. */
  wsUrl: string;
  /** Present when the webhook is configured. */
  webhook?: AibotWebhookDriver;
  /**
   * `user` types `text` to the bot (in `group` when given, with the @-mention) over the long connection, and resolves
   * with the message's stream once it is finished.
   */
  ask(user: string, text: string, group?: string): Promise<AibotStreamView>;
}

/** Options of {@link startAibotChat}: a chat test's, and which transports to configure. */
export interface AibotChatOptions extends ChatOptions {
  transports?: readonly ('ws' | 'webhook')[];
  /** How long a stream may stay open (default WeCom's limit less half a minute). */
  safeMs?: number;
  /** Wait for the long connection before the test goes on (default true). */
  connect?: boolean;
}

/** Starts a simulator with a 智能机器人 side and a bot configured with it. */
export async function startAibotChat(options: AibotChatOptions = {}): Promise<AibotChat> {
  const transports = options.transports ?? ['ws'];
  const ws = new AibotWsServer({ bots: [TEST_BOT] });
  const wsUrl = await ws.start();
  const webhookSecrets = { token: 'aibotToken', encodingAesKey: aesKey() };
  const chat = await startChat({
    ...options,
    env: {
      ...(transports.includes('ws') ? { AIBOT_ID: TEST_BOT.botId, AIBOT_SECRET: TEST_BOT.secret, AIBOT_WS_URL: wsUrl } : {}),
      ...(transports.includes('webhook') ? { AIBOT_TOKEN: webhookSecrets.token, AIBOT_ENCODING_AES_KEY: webhookSecrets.encodingAesKey } : {}),
      ...options.env,
    },
    runtime: {
      ...options.runtime,
      aibot: { leaseMs: 400, heartbeatMs: 200, reconnectMs: 20, ...(options.safeMs !== undefined ? { safeMs: options.safeMs } : {}) },
    },
  });
  if (transports.includes('ws') && options.connect !== false) await ws.waitForConnection(5000);
  const webhook = transports.includes('webhook')
    ? new AibotWebhookDriver({ url: `${chat.bot.url}/wecom/aibot`, ...webhookSecrets, botId: TEST_BOT.botId, name: TEST_BOT.name, refreshMs: 50 })
    : undefined;
  return {
    ...chat,
    get bot() {
      return chat.bot;
    },
    ws,
    wsUrl,
    ...(webhook ? { webhook } : {}),
    async ask(user, text, group) {
      const sent = await ws.sendText({ from: user, text, ...(group ? { chat: { id: group } } : {}) });
      if (!sent) throw new Error('the message did not reach the bot');
      return ws.waitForStream((s) => s.msgid === sent.msgid && s.finished, 10_000);
    },
    async close() {
      webhook?.close();
      await chat.close();
      await ws.stop();
    },
  };
}
