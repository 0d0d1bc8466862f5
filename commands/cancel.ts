import { defineCommand } from '../src/bot/command.js';
import { typedDecision } from './_lib/typedDecision.js';

/** /取消 <code>: the typed fallback of a confirmation card's cancel button (only its proposer may use it). */
export default defineCommand({
  id: 'cancel',
  names: { 'zh-Hans': '取消', 'zh-Hant': '取消', en: 'cancel' },
  actions: [typedDecision('cancel')],
});
