import { bold, color, renderLine, type FontColor, type Line } from './markdown.js';

/** A block of lines under an optional heading. */
export interface Section {
  heading?: Line;
  lines: Line[];
  /**
   * The same rows as a table, for a channel whose markdown has tables (the 智能机器人's); `lines` stay what a channel
   * without tables shows (the self-built app's).
   */
  table?: Table;
  /** The lines are items of a list (customers, members): a channel with lists shows them as one. */
  list?: boolean;
}

/** A table: its column heads and its rows, each a cell per column. */
export interface Table {
  head: string[];
  rows: Line[][];
}

/**
 * What a command answers: a title line that carries the meaning on its own (WeChat-side viewers see only a
 * summary), sections of lines, and a footer (paging hints and the like).
 */
export interface Reply {
  title: Line;
  /** Colours the title: `warning` for refusals and errors, `info` for success. */
  tone?: FontColor;
  sections?: Section[];
  footer?: Line;
  /**
   * The reply names customers (names, remarks, phone numbers, a customer's tags): in a group chat it is sent to the
   * asker privately, and the group is told so.
   */
  private?: boolean;
}

/** A key/value row: the key in grey, the value as given. */
export function row(key: string, value: Line): Line {
  // A Chinese key takes the full-width colon; an English one ": " (no full-width punctuation in English replies).
  const separator = /[\u3400-\u9fff]/.test(key) ? '：' : ': ';
  return [color('comment', `${key}${separator}`), ...(Array.isArray(value) ? value : [value])];
}

/** A reply of one line (hints, short confirmations, errors). */
export function simpleReply(title: Line, tone?: FontColor, lines: Line[] = []): Reply {
  return { title, ...(tone ? { tone } : {}), sections: lines.length > 0 ? [{ lines }] : [] };
}

/** The rendered title line. */
export function renderTitle(reply: Reply): string {
  const title = Array.isArray(reply.title) ? reply.title : [reply.title];
  if (reply.tone && title.every((i) => typeof i === 'string')) {
    return renderLine(color(reply.tone, title.join('')));
  }
  return renderLine(title.map((i) => (typeof i === 'string' ? bold(i) : i)));
}

/** Renders a reply into markdown lines (the first is the title). */
export function renderReplyLines(reply: Reply): string[] {
  const lines = [renderTitle(reply)];
  for (const section of reply.sections ?? []) {
    // A plain string heading is made bold here; a styled one (an inline or a list of them) is kept as it is.
    if (section.heading !== undefined) lines.push(renderLine(typeof section.heading === 'string' ? bold(section.heading) : section.heading));
    for (const line of section.lines) lines.push(renderLine(line));
  }
  if (reply.footer !== undefined) lines.push(renderLine(typeof reply.footer === 'string' ? color('comment', reply.footer) : reply.footer));
  return lines;
}
