import { t } from '../../../i18n/index.js';
import { simpleReply } from '../../../render/reply.js';
import type { Stage } from '../turn.js';

/**
 * Who sees the turn: asked in a group chat, an action whose replies name customers (its questions, its card, its
 * reply) answers the asker privately, and the group is told so; anything else answers where it was asked.
 */
export const chooseAudience: Stage = {
  name: 'audience',
  async run(turn, services) {
    if (!turn.found?.action.identifiesCustomers || !services.privately) return 'next';
    await services.reply(turn.user, simpleReply(t(turn.locale, 'common.sendingPrivately'), 'comment'));
    return { next: services.privately() };
  },
};
