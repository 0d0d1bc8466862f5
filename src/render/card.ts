import type { ButtonInteractionCard } from '../wecom/types/index.js';

/**
 * WeCom's suggested lengths for card fields, in Chinese characters (doc 90372, 模板卡片消息: main_title.title 26,
 * desc 30, horizontal_content_list keyname 5, value 26; button text 10). Measured as display width — a Chinese
 * character is two columns, a Latin letter one — so an English field name gets the ten columns five characters take.
 */
const LIMITS = { title: 26, desc: 30, subTitle: 112, keyname: 5, value: 26, button: 10 };

/** Columns a character takes: two for East Asian wide and full-width characters, one for the rest. */
function columns(char: string): number {
  return /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{20000}-\u{3fffd}]/u.test(char) ? 2 : 1;
}

/** The display width of `text`, in columns. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += columns(char);
  return width;
}

/** `text` on one line within `chars` Chinese characters' width; longer text is cut with an ellipsis. */
function cut(text: string, chars: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const max = chars * 2;
  if (displayWidth(flat) <= max) return flat;
  let out = '';
  let width = 0;
  for (const char of flat) {
    if (width + columns(char) > max - 1) break;
    out += char;
    width += columns(char);
  }
  return `${out}…`;
}

/** Clauses joined into one line: each loses its own closing stop, so "。；" never shows. */
function clauses(lines: readonly string[], separator: string): string {
  return lines
    .map((l) => l.trim().replace(/[。．.；;，,]+$/u, ''))
    .filter((l) => l.length > 0)
    .join(separator);
}

/** What a confirmation card says. All texts are plain (cards do not render markdown). */
export interface ConfirmationCardText {
  taskId: string;
  title: string;
  desc: string;
  /** What will happen, one line each; joined with `separator` and cut to WeCom's length. */
  lines: string[];
  /** What joins the lines: "；" in Chinese, "; " in English. */
  separator: string;
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
    sub_title_text: cut(clauses(text.lines, text.separator), LIMITS.subTitle),
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
    button_list: text.choices.slice(0, MAX_CHOICES).map((c) => ({ text: cut(c.label, LIMITS.button), style: 1, key: `${CHOICE_KEY_PREFIX}${c.value}` })),
  };
}
