import * as OpenCC from 'opencc-js';
import type { Locale } from '../../src/config.js';
import { projectCatalog } from '../../src/i18n/index.js';
import type { CapturedMessage } from '../../src/simulator/index.js';
import type { Endpoint } from '../../src/simulator/endpoints/types.js';
import { textOf } from '../helpers/chat.js';

/** What a reply is checked against: the script it should be in, and the words that are data rather than the bot's own. */
export interface LintContext {
  locale: Locale;
  /** Names, remarks, tag names, texts typed by the member…: they may be in any script and hold any punctuation. */
  data: readonly string[];
  /** Every API path the simulator serves (`externalcontact/resigned/transfer_customer`). */
  apiPaths: readonly string[];
}

/** WeCom shows at most 2048 bytes of one markdown message (doc 90372). */
export const MAX_BYTES = 2048;

const toTraditional = OpenCC.Converter({ from: 'cn', to: 'tw' });
const toSimplified = OpenCC.Converter({ from: 'tw', to: 'cn' });

/** Characters that `convert` changes, by position (both converters keep the length for single characters). */
function changedChars(text: string, convert: (s: string) => string): string[] {
  const chars = [...text];
  const converted = [...convert(text)];
  if (converted.length !== chars.length) return chars.filter((c) => convert(c) !== c);
  return chars.filter((c, i) => converted[i] !== c);
}

/** Every key of every catalog, as a dotted path (`commands.customers.messages.title`). */
function messageKeys(): Set<string> {
  const keys = new Set<string>();
  const walk = (node: unknown, path: string) => {
    if (node && typeof node === 'object' && !Array.isArray(node)) {
      for (const [k, v] of Object.entries(node)) walk(v, path ? `${path}.${k}` : k);
    } else if (path.includes('.')) keys.add(path);
  };
  for (const messages of Object.values(projectCatalog.messages)) walk(messages, '');
  return keys;
}

/** The API path forms a reply must never show: the whole path, the part after `externalcontact/`, and snake_case method names. */
export function apiPathsOf(endpoints: readonly Endpoint[]): string[] {
  const forms = new Set<string>();
  for (const { path } of endpoints) {
    forms.add(path);
    const tail = path.replace(/^externalcontact\//, '');
    if (tail.includes('/')) forms.add(tail);
    const last = path.split('/').at(-1) ?? '';
    if (last.includes('_')) forms.add(last);
  }
  return [...forms].sort((a, b) => b.length - a.length);
}

/** Markdown as a person reads it: no `**`, no font tags, link texts without their URLs, no code ticks. */
export function readable(markdown: string): string {
  return markdown
    .replace(/<\/?font[^>]*>/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\*\*|`/g, '')
    .replace(/^#+ /gm, '')
    .replace(/^> ?/gm, '');
}

/**
 * The bot's prose for the spacing rule: markdown as people read it, with inline code (commands, examples) and quoted
 * literal terms (「近30天」, what a member types) left out, and the data replaced by its edges.
 */
function prose(raw: string, data: readonly string[]): string {
  return withoutData(readable(raw.replace(/`[^`]*`/g, ' ').replace(/「[^」]*」|“[^”]*”/g, ' ')), data, true);
}

/**
 * `text` with the data replaced, longest first, so only the bot's own words remain. `edges` keeps what each datum
 * starts and ends with (a Latin letter `a`, a Chinese character `中`, else a space), for the spacing rule: the bot
 * must space "zhangsan" from the Chinese around it even though the name itself is data.
 */
function withoutData(text: string, data: readonly string[], edges = false): string {
  const kind = (c: string | undefined) => (c === undefined ? ' ' : /[A-Za-z0-9]/.test(c) ? 'a' : HAN.test(c) ? '中' : ' ');
  let out = text.replace(/https?:\/\/\S+/g, ' ');
  for (const word of [...data].filter((d) => d.length > 0).sort((a, b) => b.length - a.length)) {
    const chars = [...word];
    out = out.split(word).join(edges ? `${kind(chars[0])} ${kind(chars.at(-1))}` : ' ');
  }
  return out;
}

const KEY_PATTERN = /\b(?:commands|common|errors|confirm|conversation)\.[a-zA-Z]+(?:\.[a-zA-Z]+)*/g;
const FULL_WIDTH_PUNCTUATION = /[，。；：！？（）＜＞【】「」『』“”‘’、～－＋＝]/g;
const DOUBLED = /([。；，、：！？])[。；，、：！？]|[.;,:!?][。；，、：！？]|[。；，、：！？][.;,:!?]|[.;,:];|;[.,:]|[,:][,:]|(?<!\.)\.\.(?!\.)/g;
const HAN = /\p{Script=Han}/u;

let keys: Set<string> | undefined;

/**
 * Everything wrong with one message, in words (an empty list when it reads right). The rules are the reply rules of
 * the contract and issues 16 and 25: no placeholders or raw keys, no API paths or field names, errcodes only beside their meaning, no
 * doubled punctuation, the script asked for, ASCII punctuation in English, at most 2048 bytes.
 */
export function lintMessage(message: CapturedMessage, context: LintContext): string[] {
  keys ??= messageKeys();
  const problems: string[] = [];
  const raw = textOf(message);
  const text = readable(raw);
  const own = withoutData(text, context.data);
  const bytes = Buffer.byteLength(message.content ?? '', 'utf8');
  if (bytes > MAX_BYTES) problems.push(`${bytes} bytes (more than ${MAX_BYTES})`);
  for (const bad of ['[object Object]', 'undefined', 'NaN', 'null']) {
    if (new RegExp(`(^|[^A-Za-z])${bad.replace(/[[\]]/g, '\\$&')}([^A-Za-z]|$)`).test(own)) problems.push(`shows "${bad}"`);
  }
  const placeholder = own.match(/\{[a-zA-Z_]+(\|[^}]*)?\}/);
  if (placeholder) problems.push(`unfilled placeholder ${placeholder[0]}`);
  for (const key of own.match(KEY_PATTERN) ?? []) if (keys.has(key) || key.split('.').length > 2) problems.push(`raw message key ${key}`);
  for (const path of context.apiPaths) if (own.includes(path)) problems.push(`API path ${path}`);
  // WeCom's field names are no words for people (issue 25): a customer ID, not external_userid.
  const apiWord = own.match(/\b(?:external_userid|config_id|moment_id|chat_id|media_id|msgid|userid_list)\b/);
  if (apiWord) problems.push(`API field name "${apiWord[0]}"`);
  for (const line of own.split('\n')) {
    const codes = line.match(/errcode\s*\d+/gi) ?? [];
    if (codes.length > 0 && line.replace(/errcode\s*\d+/gi, '').replace(/[\s\p{P}]/gu, '').length < 2) problems.push(`bare errcode: ${line.trim()}`);
    if (new Set(codes).size < codes.length) problems.push(`errcode repeated: ${line.trim()}`);
  }
  for (const m of own.matchAll(DOUBLED)) problems.push(`doubled punctuation "${m[0]}"`);
  if (context.locale === 'zh-Hant') {
    const simplified = changedChars(own, toTraditional);
    if (simplified.length > 0) problems.push(`Simplified characters in zh-Hant: ${[...new Set(simplified)].join('')}`);
  }
  if (context.locale === 'zh-Hans') {
    const traditional = changedChars(own, toSimplified);
    if (traditional.length > 0) problems.push(`Traditional characters in zh-Hans: ${[...new Set(traditional)].join('')}`);
  }
  if (context.locale === 'en') {
    const fullWidth = own.match(FULL_WIDTH_PUNCTUATION);
    if (fullWidth) problems.push(`full-width punctuation in English: ${[...new Set(fullWidth)].join('')}`);
    const one = own.match(/\b(?:All 1|1 (?!(?:is|was|has|does|this|its|plus|yes)\b)[a-z]+s(?<!ss))\b/);
    if (one) problems.push(`a count that does not agree: "${one[0]}"`);
    const han = [...own].filter((c) => HAN.test(c));
    if (han.length > 0) problems.push(`Chinese in an English reply: ${[...new Set(han)].join('')}`);
  } else if (/\p{Script=Han}[A-Za-z0-9]|[A-Za-z0-9]\p{Script=Han}/u.test(prose(raw, context.data))) {
    const tight = prose(raw, context.data).match(/.{0,6}(\p{Script=Han}[A-Za-z0-9]|[A-Za-z0-9]\p{Script=Han}).{0,6}/u)?.[0];
    problems.push(`no space between Chinese and Latin: ${tight}`);
  } else if (/[）」』] \p{Script=Han}/u.test(withoutData(raw, context.data, true))) {
    // Within one run of text (the markdown as sent: a space after bold or before a colour tag separates fields).
    problems.push(`a space after a full-width bracket: ${withoutData(raw, context.data, true).match(/.{0,6}[）」』] \p{Script=Han}.{0,3}/u)?.[0]}`);
  } else if (!HAN.test(own) && own.trim().length > 0 && /[A-Za-z]{4,} [A-Za-z]{3,}/.test(own)) {
    problems.push('English reply to a Chinese command');
  }
  if (message.card) problems.push(...lintCard(message));
  return problems;
}

/** A card's own texts must fit where WeCom shows them: a title or a field name cut with "…" hides what it says. */
function lintCard(message: CapturedMessage): string[] {
  const card = message.card as { main_title?: { title?: string }; horizontal_content_list?: { keyname: string }[] };
  const problems: string[] = [];
  if (card.main_title?.title?.endsWith('…')) problems.push(`card title cut: ${card.main_title.title}`);
  for (const field of card.horizontal_content_list ?? []) if (field.keyname.endsWith('…')) problems.push(`card field name cut: ${field.keyname}`);
  return problems;
}
