import { typedDecisionAction } from '../src/bot/proposals.js';
import type { CommandDefinition } from '../src/bot/types.js';

/** /确认 <code>: the typed fallback of a confirmation card's confirm button. */
const confirm: CommandDefinition = {
  id: 'confirm',
  names: { 'zh-Hans': '确认', 'zh-Hant': '確認', en: 'confirm' },
  actions: [typedDecisionAction('confirm')],
};

export default confirm;
