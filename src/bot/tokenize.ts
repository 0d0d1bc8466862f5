import { ParseError } from './command.js';

/** The pairs of quotes that group words: ASCII, typographic and CJK corner brackets. */
const QUOTES: Record<string, string> = { '"': '"', "'": "'", '“': '”', '‘': '’', '「': '」', '『': '』' };

/** True when the text is a command: it starts with `/` or the full-width `／`. */
export function isCommand(text: string): boolean {
  return /^\s*[/／]/.test(text);
}

/**
 * Splits a command line into words: white space (including the ideographic space U+3000) separates, quotes group,
 * and a quoted part may touch other text (`--msg="a b"` is one word `--msg=a b`; `--msg「a b」` is two). The leading
 * `/` is removed.
 * @throws ParseError for an unclosed quote.
 */
export function tokenize(line: string): string[] {
  const text = line.trim().replace(/^[/／]/, '');
  const words: string[] = [];
  let current = '';
  let inWord = false;
  for (let i = 0; i < text.length; ) {
    const ch = text[i] as string;
    if (/\s/.test(ch)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
      i++;
      continue;
    }
    const close = QUOTES[ch];
    if (close !== undefined) {
      const end = text.indexOf(close, i + 1);
      if (end < 0) throw new ParseError('errors.parse.unclosedQuote', { quote: ch });
      // `--msg「您好」` (no space, as IMEs type it) is the option and its value.
      if (/^--[^=]+$/.test(current)) {
        words.push(current);
        current = '';
      }
      current += text.slice(i + 1, end);
      inWord = true;
      i = end + 1;
      continue;
    }
    current += ch;
    inWord = true;
    i++;
  }
  if (inWord) words.push(current);
  return words.map(asciiOption);
}

/**
 * `——tag`, `—tag`, `－－tag` (what Chinese input methods type for `--`) read as `--tag`: only before an option name,
 * so a dash in a value stays.
 */
const IME_DASHES = /^(?:——|—|－－|－|––|–)([A-Za-z][\w-]*(?:=.*)?)$/s;

function asciiOption(word: string): string {
  const m = IME_DASHES.exec(word);
  return m ? `--${m[1]}` : word;
}
