import { t } from '../../../i18n/index.js';
import { MAX_CHOICES } from '../../../render/card.js';
import { simpleReply } from '../../../render/reply.js';
import { redactArgs } from '../../audit-log.js';
import { audited } from '../../audited.js';
import { UserError } from '../../command.js';
import { explainError } from '../../explain.js';
import type { Stage } from '../turn.js';
import { askField } from './parse.js';

/**
 * Runs the action, audited: a confirm action proposes its card (and records that itself), a plain one runs and is
 * recorded as executed. Work still running after a few seconds first gets one "处理中…" line. A name several members
 * share is asked about; any other failure is explained in words.
 */
export const runAction: Stage = {
  name: 'run',
  async run(turn, services) {
    const { command, found, args, user, locale } = turn;
    if (!command || !found || !args) return 'done';
    const { action, actionId } = found;
    const ctx = services.context(user, locale, args, command.id);
    const timer = setTimeout(() => {
      void services.progress(user, simpleReply(t(locale, 'common.processing'), 'comment')).catch(() => undefined);
    }, services.progressAfterMs);
    const subject = { userid: user, command: actionId, args: redactArgs(action, args) };
    const { plan, run } = action;
    const deps = { audit: services.audit, log: services.log };
    const outcome = plan
      ? await audited(deps, subject, async () => services.proposals.propose(ctx, command, action, await plan(ctx).finally(() => clearTimeout(timer))), {
          recordSuccess: false,
        })
      : await audited(deps, subject, async () => {
          if (!run) throw new Error(`action ${actionId} has neither run nor plan`);
          const reply = await run(ctx).finally(() => clearTimeout(timer));
          if (reply) await services.reply(user, reply);
        });
    clearTimeout(timer);
    if (outcome.ok) return 'done';
    const error = outcome.error;
    // Ambiguous input (a name several members share): ask which one, with the message as the question.
    if (UserError.is(error) && error.choice && error.choice.choices.length <= MAX_CHOICES) {
      await services.reply(user, explainError(error, locale, services.registry.catalog));
      await services.conversations.askPick(
        ctx,
        command,
        actionId,
        found.rest,
        error.choice.word,
        error.choice.choices,
        t(locale, 'conversation.which', { word: error.choice.word }),
      );
      return 'done';
    }
    await services.reply(user, explainError(error, locale, services.registry.catalog));
    // A wrong answer to a question does not end the conversation: the same question is asked again.
    const asked = turn.answered;
    if (UserError.is(error) && asked?.field) await askField(services, { user, locale, command, action, actionId, words: asked.words, field: asked.field });
    return 'done';
  },
};
