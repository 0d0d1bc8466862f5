import { escapeCode, escapeText, type Inline, type Line } from './markdown.js';
import type { Reply, Section, Table } from './reply.js';

/**
 * The 智能机器人's markdown (docs 101031, 101138): headings, bold, links, inline code, lists and tables, up to 20,480
 * bytes. Font colours are not in its documented set, so a colour is written as plain text; the title is bold and a
 * warning begins with ⚠️. Text from users or WeCom data is escaped as in the app's markdown, and `|` in a table cell too.
 */

function renderInline(inline: Inline, cell: boolean): string {
  const inert = (text: string) => (cell ? escapeText(text).replace(/\|/g, '｜') : escapeText(text));
  if (typeof inline === 'string') return inert(inline);
  if ('link' in inline) return /^https?:\/\/[^\s()<>|]+$/.test(inline.link) ? `[${inert(inline.text)}](${inline.link})` : inert(inline.text);
  if (inline.text === '') return '';
  if (inline.style === 'code') return `\`${cell ? escapeCode(inline.text).replace(/\|/g, '｜') : escapeCode(inline.text)}\``;
  if (inline.style === 'bold') return `**${inert(inline.text)}**`;
  return inert(inline.text);
}

/** One line in the bot's markdown (in a table cell when `cell`). */
export function renderBotLine(line: Line, cell = false): string {
  return (Array.isArray(line) ? line : [line]).map((i) => renderInline(i, cell)).join('');
}

function renderTable(table: Table): string[] {
  const head = `| ${table.head.map((h) => renderBotLine(h, true)).join(' | ')} |`;
  const rule = `|${table.head.map(() => ' --- ').join('|')}|`;
  return [head, rule, ...table.rows.map((row) => `| ${table.head.map((_, i) => renderBotLine(row[i] ?? '', true)).join(' | ')} |`)];
}

/**
 * A line of a list: a numbered line (`1. 林娜`) is an item of an ordered list, a line that begins with an ideographic
 * space continues the item above it, and any other line is an item of its own.
 */
function listItem(line: Line): string {
  const text = renderBotLine(line);
  if (/^\d+\. /.test(text)) return `${text}  `;
  if (text.startsWith('　')) return `   ${text.slice(1)}`;
  return `- ${text}`;
}

function renderSection(section: Section): string {
  const out: string[] = [];
  if (section.heading !== undefined) out.push(typeof section.heading === 'string' ? `**${escapeText(section.heading)}**` : renderBotLine(section.heading));
  if (section.table) out.push(...renderTable(section.table));
  else if (section.list) out.push(...section.lines.map(listItem));
  // A line break inside a paragraph is two spaces before it.
  else if (section.lines.length > 0) out.push(section.lines.map((line) => renderBotLine(line)).join('  \n'));
  return out.join('\n');
}

/** A reply in the 智能机器人's markdown: the title, each section a block (a table, a list or lines), the footer. */
export function renderBotReply(reply: Reply): string {
  const title = Array.isArray(reply.title) ? reply.title : [reply.title];
  const plain = title.every((i) => typeof i === 'string');
  const head = plain ? `**${escapeText(title.join(''))}**` : renderBotLine(title);
  const blocks = [reply.tone === 'warning' ? `⚠️ ${head}` : head];
  for (const section of reply.sections ?? []) {
    const block = renderSection(section);
    if (block !== '') blocks.push(block);
  }
  if (reply.footer !== undefined) blocks.push(`> ${renderBotLine(reply.footer)}`);
  return blocks.join('\n\n');
}

/** `text` cut at a line boundary to at most `max` UTF-8 bytes, with an ellipsis line where it was cut. */
export function fitBytes(text: string, max: number): string {
  if (Buffer.byteLength(text, 'utf8') <= max) return text;
  const lines = text.split('\n');
  const kept: string[] = [];
  let size = Buffer.byteLength('\n…', 'utf8');
  for (const line of lines) {
    const more = Buffer.byteLength(line, 'utf8') + 1;
    if (size + more > max) break;
    kept.push(line);
    size += more;
  }
  return `${kept.join('\n')}\n…`;
}
