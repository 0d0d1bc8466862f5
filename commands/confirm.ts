import { defineCommand } from '../src/bot/command.js';
import { decisionAction } from './_lib/decide.js';

/** /确认 <code>: the typed fallback of a confirmation card's confirm button (only its proposer may use it). */
export default defineCommand({
  id: 'confirm',
  names: { 'zh-Hans': '确认', 'zh-Hant': '確認', en: 'confirm' },
  actions: [decisionAction('confirm')],
});
