import { typedDecisionAction } from '../src/bot/proposals.js';
import type { CommandDefinition } from '../src/bot/types.js';

/** /取消 <code>: the typed fallback of a confirmation card's cancel button. */
const cancel: CommandDefinition = {
  id: 'cancel',
  names: { 'zh-Hans': '取消', 'zh-Hant': '取消', en: 'cancel' },
  actions: [typedDecisionAction('cancel')],
};

export default cancel;
