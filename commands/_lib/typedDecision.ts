import { action, type Action } from '../../src/bot/command.js';

/** The action of /确认 and /取消: the typed fallback of a card's buttons (the proposer check is in the bot's decide). */
export function typedDecision(choice: 'confirm' | 'cancel'): Action {
  return action({
    role: 'staff',
    args: [{ name: 'code', type: 'string', required: true }],
    run: async (ctx) => {
      await ctx.services.decide(ctx.user, ctx.args.code, choice, ctx.locale);
      return undefined;
    },
  });
}
