/** WeCom's limit for one text or markdown message, in UTF-8 bytes. */
export const MAX_MESSAGE_BYTES = 2048;

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/** A line that is all bold: a section's heading, which belongs with the lines after it. */
const isHeading = (line: string) => /^\*\*[^*]+\*\*$/.test(line);

/** Cuts a line longer than `max` bytes at code-point boundaries (never inside a character). */
function cutLine(line: string, max: number): string[] {
  const pieces: string[] = [];
  let current = '';
  for (const ch of line) {
    if (bytes(current) + bytes(ch) > max) {
      pieces.push(current);
      current = '';
    }
    current += ch;
  }
  if (current !== '') pieces.push(current);
  return pieces;
}

/**
 * Packs markdown lines into messages of at most `max` bytes, breaking only between lines, never right after a
 * section's heading. With more than one part, each part starts with the title line and `(i/n)`, so every part says
 * what it is.
 */
export function splitIntoParts(lines: string[], max = MAX_MESSAGE_BYTES): string[] {
  const [fullTitle = '', ...body] = lines;
  // A title is repeated on every part: one that would crowd the body out is cut (a last resort; callers keep titles
  // short and cut echoed input).
  const title = bytes(fullTitle) > max / 4 ? `${cutLine(fullTitle, Math.floor(max / 4) - 3)[0] ?? ''}…` : fullTitle;
  if (title !== fullTitle) return splitIntoParts([title, ...body], max);
  const whole = lines.join('\n');
  if (bytes(whole) <= max) return [whole];

  for (let guess = 2; ; guess++) {
    const header = (i: number) => `${title} (${i}/${guess})`;
    const room = max - bytes(header(guess)) - 1; // the header and its line break
    const fitted = body.flatMap((line) => (bytes(line) > room ? cutLine(line, room) : [line]));
    const parts: string[][] = [];
    let current: string[] = [];
    let size = 0;
    for (const line of fitted) {
      const added = bytes(line) + 1;
      if (current.length > 0 && size + added > room) {
        // A heading that would end a part goes to the next, with its section, when the two fit there.
        const last = current.at(-1)!;
        const heading = current.length > 1 && isHeading(last) && bytes(last) + 1 + added <= room ? current.pop()! : undefined;
        parts.push(current);
        current = heading === undefined ? [] : [heading];
        size = heading === undefined ? 0 : bytes(heading) + 1;
      }
      current.push(line);
      size += added;
    }
    if (current.length > 0) parts.push(current);
    if (parts.length <= guess) {
      const n = parts.length;
      return parts.map((part, i) => [`${title} (${i + 1}/${n})`, ...part].join('\n'));
    }
  }
}
