import type { ButtonInteractionCard } from '../wecom/types/index.js';

/** WeCom's suggested lengths for card fields (longer text is cut with an ellipsis). */
const LIMITS = { title: 26, desc: 30, subTitle: 112, keyname: 5, value: 26 };

function cut(text: string, max: number): string {
  const chars = [...text.replace(/\s+/g, ' ').trim()];
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('')}…`;
}

/** What a confirmation card says. All texts are plain (cards do not render markdown). */
export interface ConfirmationCardText {
  taskId: string;
  title: string;
  desc: string;
  /** What will happen, one line each; joined and cut to WeCom's length. */
  lines: string[];
  /** Key/value rows (at most 6). */
  fields: [string, string][];
  confirmText: string;
  cancelText: string;
}

/** The button keys of a confirmation card; they come back as EventKey. */
export const CONFIRM_KEY = 'confirm';
export const CANCEL_KEY = 'cancel';

/** A button_interaction card with confirm and cancel buttons. */
export function confirmationCard(text: ConfirmationCardText): ButtonInteractionCard {
  return {
    card_type: 'button_interaction',
    task_id: text.taskId,
    main_title: { title: cut(text.title, LIMITS.title), desc: cut(text.desc, LIMITS.desc) },
    sub_title_text: cut(text.lines.join('；'), LIMITS.subTitle),
    horizontal_content_list: text.fields.slice(0, 6).map(([k, v]) => ({ keyname: cut(k, LIMITS.keyname), value: cut(v, LIMITS.value) })),
    button_list: [
      { text: text.confirmText, style: 1, key: CONFIRM_KEY },
      { text: text.cancelText, style: 2, key: CANCEL_KEY },
    ],
  };
}

/** One choice of a question card. */
export interface Choice {
  /** What the member picks (sent back in the button's key). */
  value: string;
  /** What the button says. */
  label: string;
}

/** The prefix of a choice button's key: `ask:<value>`. */
export const CHOICE_KEY_PREFIX = 'ask:';

/** WeCom shows at most 6 buttons on a card. */
export const MAX_CHOICES = 6;

/** A button_interaction card that asks a question with up to 6 answers as buttons (one may also type one). */
export function choiceCard(text: { taskId: string; title: string; desc: string; choices: readonly Choice[] }): ButtonInteractionCard {
  return {
    card_type: 'button_interaction',
    task_id: text.taskId,
    main_title: { title: cut(text.title, LIMITS.title), desc: cut(text.desc, LIMITS.desc) },
    button_list: text.choices.slice(0, MAX_CHOICES).map((c) => ({ text: cut(c.label, 10), style: 1, key: `${CHOICE_KEY_PREFIX}${c.value}` })),
  };
}
