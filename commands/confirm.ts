import { defineCommand } from '../src/bot/command.js';
import { typedDecision } from './_lib/typedDecision.js';

/** /确认 <code>: the typed fallback of a confirmation card's confirm button (only its proposer may use it). */
export default defineCommand({
  id: 'confirm',
  names: { 'zh-Hans': '确认', 'zh-Hant': '確認', en: 'confirm' },
  actions: [typedDecision('confirm')],
});
