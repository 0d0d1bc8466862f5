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
  return showControls(text)
    .replace(/\r\n|[\r\n\u2028\u2029]/g, ' ')
    .replace(/[*`[\]<>#\\]/g, (c) => LOOKALIKES[c] ?? c);
}

/**
 * Control characters and bidirectional overrides (U+202E, U+2066…, U+0085, VT, FF…) from WeCom data are shown as
 * `⟨U+202E⟩` instead of acting: a customer name must not reverse the text after it or hide a line break.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is this pattern's whole job
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** `text` with every control or direction character made visible (see {@link CONTROLS}). */
export function showControls(text: string): string {
  return text.replace(CONTROLS, (c) => `⟨U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}⟩`);
}

/** Escaping inside inline code: only what could end the span or open a tag. */
export function escapeCode(text: string): string {
  return showControls(text)
    .replace(/\r\n|[\r\n\u2028\u2029]/g, ' ')
    .replace(/[`<>]/g, (c) => LOOKALIKES[c] ?? c);
}

/** A piece of a line: plain text, or text with one style. Text is always escaped when rendered. */
export type Inline = string | { text: string; style: 'bold' | 'code' | FontColor } | { text: string; link: string };

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
  return showControls((Array.isArray(line) ? line : [line]).map((i) => (typeof i === 'string' ? i : i.text)).join(''));
}
