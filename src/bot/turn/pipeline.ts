import { chooseAudience } from './stages/audience.js';
import { authorize } from './stages/authorize.js';
import { continueConversation } from './stages/conversation.js';
import { readLocale } from './stages/locale.js';
import { parseOrAsk } from './stages/parse.js';
import { resolveCommand } from './stages/resolve.js';
import { understandPlain } from './stages/understand.js';
import { runAction } from './stages/run.js';
import type { Stage } from './turn.js';

/**
 * The way of a member's message, stage by stage: its language; the answer to an open question; a plain sentence read
 * as the command it asks for (or a hint); the command it names; the member's right to run it; who sees the answer (in a
 * group, customer data goes privately); its arguments (or a question for what is missing); the run, audited, whose reply goes back through the channel.
 */
export const TEXT_STAGES: readonly Stage[] = [
  readLocale,
  continueConversation,
  understandPlain,
  resolveCommand,
  authorize,
  chooseAudience,
  parseOrAsk,
  runAction,
];

/** The stages of an action whose command is known (an answer given by a button): from authorisation on. */
export const ACTION_STAGES: readonly Stage[] = [authorize, chooseAudience, parseOrAsk, runAction];
