import type { Inbound } from '../callback/inbound.js';
import type { Locale } from '../config.js';
import { t } from '../i18n/index.js';
import type { Logger } from '../log.js';
import type { WeComClient } from '../wecom/index.js';

/** What the bot needs from the rest of the process. */
export interface BotDeps {
  client: WeComClient;
  locale: Locale;
  log: Logger;
}

/** The bot: takes inbound messages and events off the queue and answers through message/send. */
export interface Bot {
  handle(inbound: Inbound): Promise<void>;
}

/**
 * Creates the bot. Until the command framework lands, every text message is answered with a short hint to /帮助.
 */
export function createBot(deps: BotDeps): Bot {
  const { client, locale, log } = deps;
  return {
    async handle(inbound) {
      if (inbound.kind !== 'text') {
        log.info({ event: 'inbound.ignored', kind: inbound.kind });
        return;
      }
      await client.message.send({ touser: inbound.fromUserName, msgtype: 'text', text: { content: t(locale, 'common.hint') } });
      log.info({ event: 'inbound.answered', user: inbound.fromUserName, msgId: inbound.msgId });
    },
  };
}
