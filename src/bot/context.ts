import type { Locale } from '../config.js';
import type { Catalog } from '../i18n/index.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/index.js';
import type { WeComClient } from '../wecom/index.js';
import { hasRole, PermissionDenied, type ArgValues, type BotServices, type CommandContext, type Role } from './command.js';
import type { Roles } from './roles.js';
import type { Channel } from '../channel/channel.js';

/** What a handler's context is made from: the client and channel of the delivery being handled, or the bot's own. */
export interface ContextDeps {
  client: WeComClient;
  channel: Channel;
  /** The strings of the bot's commands. */
  texts: Catalog;
  store: Store;
  log: Logger;
  roles: Roles;
  /** The corp's time zone (BOT_TIMEZONE). */
  timeZone: string;
}

/**
 * A handler's context for `user`, speaking `locale`, with the parsed `args`: their role, the bot's services, texts.
 * With `commandId`, its `t` reads the command's own keys as they are written in its strings file (`messages.title`
 * for `commands.<id>.messages.title`); any other key (`common.…`, another command's `commands.<id>.…`) as it is.
 */
export function commandContext(deps: ContextDeps, services: BotServices, user: string, locale: Locale, args: ArgValues, commandId?: string): CommandContext {
  const { client, store, log, roles, channel, timeZone, texts } = deps;
  const role = roles.of(user);
  // The command's own strings have no first word in common with the shared ones (a test keeps it so).
  const own = (key: string) =>
    commandId && texts.lookup('zh-Hans', `commands.${commandId}.${key.split('.')[0]}`) !== undefined ? `commands.${commandId}.${key}` : key;
  return {
    user,
    role,
    locale,
    timeZone,
    args,
    client,
    state: (key) => store.namespace(key),
    claims: store,
    log,
    services,
    t: (key, params) => texts.t(locale, own(key), params),
    translate: (other, key, params) => texts.t(other, own(key), params),
    list: (key) => texts.tList(locale, own(key)),
    listSeparator: texts.t(locale, 'common.listSeparator'),
    send: (reply) => channel.sendReply(user, reply),
    requireSelfOr(userid: string, needed: Role) {
      if (userid.toLowerCase() !== user.toLowerCase() && !hasRole(role, needed)) throw new PermissionDenied(needed);
    },
  };
}
