import yargsParser from 'yargs-parser';
import { ParseError, type Action, type ArgSpec, type ArgValues, type OptionSpec, type TextLimits } from './command.js';

/** Separators of a list value: ASCII and full-width commas and the enumeration comma. */
const LIST_SEPARATORS = /[,，、]/;

function splitList(values: string[]): string[] {
  return values
    .flatMap((v) => v.split(LIST_SEPARATORS))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

type Field = NonNullable<ParseError['field']>;

/** Reads the raw words given for one argument or option as its declared type; errors name the field. */
function convert(field: Field, raw: string[], spec: ArgSpec | OptionSpec): string | string[] | number | boolean {
  switch (spec.type) {
    case 'flag':
      return true;
    case 'list':
      return splitList(raw);
    case 'int': {
      const value = raw[raw.length - 1] ?? '';
      if (!/^-?\d+$/.test(value)) throw new ParseError('errors.parse.notInteger', { value }, field);
      const n = Number(value);
      const { min, max } = 'min' in spec || 'max' in spec ? spec : { min: undefined, max: undefined };
      if ((min !== undefined && n < min) || (max !== undefined && n > max)) {
        throw new ParseError('errors.parse.outOfRange', { value, min: String(min ?? ''), max: String(max ?? '') }, field);
      }
      return n;
    }
    case 'date': {
      const value = raw[raw.length - 1] ?? '';
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
      const valid = m && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);
      if (!valid) throw new ParseError('errors.parse.notDate', { value }, field);
      return value;
    }
    default: {
      const value = raw[raw.length - 1] ?? '';
      if (spec.choices && !spec.choices.includes(value)) {
        throw new ParseError('errors.parse.notAChoice', { value, choices: spec.choices.join(' | ') }, field);
      }
      return value;
    }
  }
}

/** A phone number as people write one: digits, a leading + and dashes or spaces between groups, 3 to 20 characters. */
const PHONE = /^\+?[0-9][0-9 -]{1,18}[0-9]$/;

/** Only http(s) links are sent to customers. */
const HTTP_URL = /^https?:\/\/\S+$/;

/** Holds a text value (each item of a list) to what WeCom accepts of it, as declared; errors name the field. */
function checkLimits(field: Field, value: string | string[], spec: TextLimits & { type: ArgSpec['type'] | OptionSpec['type'] }): void {
  const items = Array.isArray(value) ? value : [value];
  for (const item of items) {
    const chars = [...item].length;
    if (spec.maxChars !== undefined && chars > spec.maxChars) {
      // An item of a list is named with its value: which of the tags is too long.
      const key = Array.isArray(value) ? 'common.itemTooLong' : 'common.tooLong';
      throw new ParseError(key, { max: spec.maxChars, length: chars, value: item }, field);
    }
    const bytes = Buffer.byteLength(item, 'utf8');
    if (spec.maxBytes !== undefined && bytes > spec.maxBytes) throw new ParseError('common.tooManyBytes', { max: spec.maxBytes, length: bytes }, field);
    if (spec.format === 'url' && !HTTP_URL.test(item)) throw new ParseError('common.badUrl', { value: item }, field);
    if (spec.format === 'phone' && !PHONE.test(item)) throw new ParseError('common.badPhone', { value: item }, field);
  }
}

/**
 * Reads the words after the command (and sub-command) against an action's declaration: positional arguments,
 * `--key value`, `--key=value`, `--flag`; every value stays a string unless declared otherwise, a flag is always a
 * boolean, a required option or argument must be there, and choices are enforced.
 * @throws ParseError naming the problem (unknown option, missing value, option or argument, bad number, date or
 *   choice).
 */
export function parseArgs(action: Action, words: string[]): ArgValues {
  const options = action.options ?? [];
  const argv = yargsParser(words, {
    string: options.filter((o) => o.type !== 'flag').map((o) => o.name),
    boolean: options.filter((o) => o.type === 'flag').map((o) => o.name),
    configuration: {
      'parse-numbers': false,
      'parse-positional-numbers': false,
      'camel-case-expansion': false,
      'dot-notation': false,
      'short-option-groups': false,
      'duplicate-arguments-array': true,
      'flatten-duplicate-arrays': true,
      'greedy-arrays': false,
      'boolean-negation': false,
      'halt-at-non-option': false,
    },
  });
  const values: ArgValues = {};
  for (const [key, raw] of Object.entries(argv)) {
    if (key === '_' || key === '--') continue;
    const spec = options.find((o) => o.name === key);
    if (!spec) throw new ParseError('errors.parse.unknownOption', { name: `--${key}` });
    const list = (Array.isArray(raw) ? raw : [raw]).map(String);
    if (spec.type === 'flag') {
      if (raw === true || (Array.isArray(raw) && raw.every((r) => r === true))) values[key] = true;
      continue;
    }
    const field: Field = { kind: 'option', name: key };
    if (list.every((v) => v === '')) throw new ParseError('errors.parse.missingValue', {}, field);
    values[key] = convert(
      field,
      list.filter((v) => v !== ''),
      spec,
    );
    if (Array.isArray(values[key]) && (values[key] as string[]).length === 0) throw new ParseError('errors.parse.missingValue', {}, field);
    if (typeof values[key] === 'string' || Array.isArray(values[key])) checkLimits(field, values[key] as string | string[], spec);
  }
  for (const spec of options) {
    if (spec.type === 'flag') values[spec.name] ??= false;
    else if (spec.required && values[spec.name] === undefined) {
      throw new ParseError('errors.parse.missingOption', {}, { kind: 'option', name: spec.name });
    }
  }
  for (const spec of options) {
    if (values[spec.name] === undefined || values[spec.name] === false) continue;
    const missing = spec.needs?.find((name) => values[name] === undefined);
    if (missing) {
      const given = { kind: 'option' as const, name: spec.name };
      throw new ParseError('common.neededWith', {}, given, { given, needed: { kind: 'option', name: missing } });
    }
  }
  checkGroups(action, values);
  const positional = (argv._ ?? []).map(String);
  const specs = action.args ?? [];
  specs.forEach((spec, index) => {
    const raw = spec.rest ? positional.slice(index) : positional.slice(index, index + 1);
    const field: Field = { kind: 'argument', name: spec.name };
    if (raw.length === 0) {
      if (spec.required) throw new ParseError('errors.parse.missingArgument', {}, field);
      return;
    }
    const value = convert(field, spec.rest && spec.type !== 'list' ? [raw.join(' ')] : raw, spec);
    // `,` alone is no list: a required one is missing, an optional one absent.
    if (Array.isArray(value) && value.length === 0) {
      if (spec.required) throw new ParseError('errors.parse.missingArgument', {}, field);
      return;
    }
    if (typeof value === 'string' || Array.isArray(value)) checkLimits(field, value, spec);
    values[spec.name] = value;
  });
  const extra = positional.slice(specs.some((s) => s.rest) ? Infinity : specs.length);
  if (extra.length > 0) {
    const quoted = spacedValue(words, extra[0] as string, options);
    if (quoted) throw new ParseError('errors.parse.extraAfterValue', { value: extra.join(' '), quoted });
    throw new ParseError('errors.parse.extraArgument', { value: extra.join(' ') });
  }
  return values;
}

/** The declared groups of options: exactly one of each `oneOf`, at least one of each `anyOf`. */
function checkGroups(action: Action, values: ArgValues): void {
  const given = (names: readonly string[]) => names.filter((name) => values[name] !== undefined && values[name] !== false);
  const refs = (names: readonly string[]) => names.map((name): Field => ({ kind: 'option', name }));
  for (const group of action.oneOf ?? []) {
    const present = given(group);
    if (present.length === 0) throw new ParseError('errors.parse.missingOneOf', {}, undefined, {}, refs(group));
    if (present.length > 1) throw new ParseError('errors.parse.onlyOneOf', {}, undefined, {}, refs(present));
  }
  for (const group of action.anyOf ?? []) {
    if (given(group).length === 0) throw new ParseError('errors.parse.missingAnyOf', {}, undefined, {}, refs(group));
  }
}

/**
 * When an unexpected word follows an option's value (`--user Lily Li`), the member most likely meant one value with
 * a space: that option with the value quoted (`--user "Lily Li"`).
 */
function spacedValue(words: readonly string[], extra: string, options: readonly OptionSpec[]): string | undefined {
  const at = words.indexOf(extra);
  const option = /^--([^=\s]+)$/.exec(words[at - 2] ?? '')?.[1];
  const spec = options.find((o) => o.name === option);
  if (!spec || spec.type === 'flag' || (words[at - 1] ?? '').startsWith('--')) return undefined;
  const next = words.findIndex((w, i) => i >= at && w.startsWith('--'));
  const value = words.slice(at - 1, next === -1 ? undefined : next).join(' ');
  return `--${option} "${value}"`;
}
