/**
 * WeCom's app-message markdown subset: headings, bold, links, inline code, quotes, and three font colours.
 * Every text from users or WeCom data goes through {@link escapeText}, so it can neither break nor forge a card.
 */

/** The three colours WeCom renders: green, grey, orange-red. */
export type FontColor = 'info' | 'comment' | 'warning';

/**
 * Characters that would start a markdown construct are replaced with their full-width look-alikes (WeCom's subset
 * has no backslash escapes), and line breaks become spaces so one value stays on one line.
 */
const LOOKALIKES: Record<string, string> = {
  '*': '＊',
  '`': 'ˋ',
  '[': '［',
  ']': '］',
  '<': '＜',
  '>': '＞',
  '#': '＃',
  '\\': '＼',
};

/** Makes untrusted text inert inside WeCom markdown. */
export function escapeText(text: string): string {
  return text.replace(/\r\n|[\r\n\u2028\u2029]/g, ' ').replace(/[*`[\]<>#\\]/g, (c) => LOOKALIKES[c] ?? c);
}

/** Escaping inside inline code: only what could end the span or open a tag. */
function escapeCode(text: string): string {
  return text.replace(/\r\n|[\r\n\u2028\u2029]/g, ' ').replace(/[`<>]/g, (c) => LOOKALIKES[c] ?? c);
}

/** A piece of a line: plain text, or text with one style. Text is always escaped when rendered. */
export type Inline =
  | string
  | { text: string; style: 'bold' | 'code' | FontColor }
  | { text: string; link: string };

/** A line: one inline or several side by side. */
export type Line = Inline | Inline[];

/** Bold text. */
export const bold = (text: string | number): Inline => ({ text: String(text), style: 'bold' });
/** Inline code (ids, commands). */
export const code = (text: string | number): Inline => ({ text: String(text), style: 'code' });
/** Coloured text. */
export const color = (style: FontColor, text: string | number): Inline => ({ text: String(text), style });
/** A link; only http(s) URLs are rendered as links, anything else as text. */
export const link = (text: string, url: string): Inline => ({ text, link: url });

function renderInline(inline: Inline): string {
  if (typeof inline === 'string') return escapeText(inline);
  if ('link' in inline) {
    return /^https?:\/\/[^\s()<>]+$/.test(inline.link) ? `[${escapeText(inline.text)}](${inline.link})` : escapeText(inline.text);
  }
  if (inline.text === '') return '';
  if (inline.style === 'code') return `\`${escapeCode(inline.text)}\``;
  const text = escapeText(inline.text);
  switch (inline.style) {
    case 'bold':
      return `**${text}**`;
    default:
      return `<font color="${inline.style}">${text}</font>`;
  }
}

/** Renders one line (no line break inside). */
export function renderLine(line: Line): string {
  return (Array.isArray(line) ? line : [line]).map(renderInline).join('');
}

/** Plain text of a line (for logs, the terminal, and the WeChat-side summary). */
export function plainLine(line: Line): string {
  return (Array.isArray(line) ? line : [line]).map((i) => (typeof i === 'string' ? i : i.text)).join('');
}
