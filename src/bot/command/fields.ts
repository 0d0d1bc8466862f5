/** How a command declares its arguments and options, and how errors and questions name them. */
import type { Locale } from '../../config.js';

/** A word in each locale (command names, sub-command words). */
export type LocalizedWord = Record<Locale, string>;

/** How an argument or option value is read. Values always stay strings (UserIDs like `0012`) unless declared. */
export type ValueType = 'string' | 'list' | 'int' | 'date' | 'flag';

/**
 * What WeCom accepts of a text value, declared beside it and enforced by the parser before any call, so the error
 * names the field by its label. For a list, each item.
 */
export interface TextLimits {
  /** The most characters (WeCom counts characters for names and remarks). */
  readonly maxChars?: number;
  /** The most UTF-8 bytes (WeCom counts bytes for message texts). */
  readonly maxBytes?: number;
  /** What the text must look like: an http(s) link (only those are sent to customers), a phone number. */
  readonly format?: 'url' | 'phone';
}

/**
 * A positional argument. Its label in usage lines and errors is `commands.<id>.labels.<name>` in the locale; its
 * description in help is `commands.<id>.options.<name>` (when there is one).
 */
export interface ArgSpec extends TextLimits {
  readonly name: string;
  readonly type: Exclude<ValueType, 'flag'>;
  readonly required?: boolean;
  /** Takes every remaining word (joined with spaces, or all of them for a list). */
  readonly rest?: boolean;
  /** Allowed values; the handler's type narrows to them. */
  readonly choices?: readonly string[];
}

/** A `--name value` option; labelled and described like an {@link ArgSpec}. */
export interface OptionSpec extends TextLimits {
  readonly name: string;
  readonly type: ValueType;
  /** Refused by the parser when absent, naming its label and the usage line of the action. */
  readonly required?: boolean;
  /** Shown as `[redacted]` in the audit log (free texts, messages to customers). */
  readonly redact?: boolean;
  /** For `int`: the accepted range. */
  readonly min?: number;
  readonly max?: number;
  /** Allowed values (e.g. 1|2); the handler's type narrows to them. */
  readonly choices?: readonly string[];
  /** Options that must be given with this one (`--link` needs `--title`). */
  readonly needs?: readonly string[];
}

/** The value a declared argument or option has in a handler. */
export type ValueOf<S extends { type: ValueType; choices?: readonly string[] }> = S['type'] extends 'list'
  ? string[]
  : S['type'] extends 'int'
    ? number
    : S['type'] extends 'flag'
      ? boolean
      : S extends { choices: readonly (infer C)[] }
        ? C
        : string;

type Present<S> = S extends { required: true } ? true : S extends { type: 'flag' } ? true : false;

/** The handler's `ctx.args`, inferred from an action's declared arguments and options. */
export type ArgsOf<A extends readonly ArgSpec[], O extends readonly OptionSpec[]> = {
  [S in A[number] | O[number] as Present<S> extends true ? S['name'] : never]: ValueOf<S>;
} & {
  [S in A[number] | O[number] as Present<S> extends true ? never : S['name']]?: ValueOf<S>;
};

/** Parsed values by name, as the dispatcher and the audit log see them. */
export type ArgValues = Record<string, string | string[] | number | boolean | undefined>;

/** A declared argument or option, as an error or a reason names it. */
export interface FieldRef {
  kind: 'option' | 'argument';
  name: string;
}

/** A likely answer to a question the bot asks: the value, and the button's text. */
export interface AskChoice {
  value: string;
  label: string;
}

/** One line of a command's help: how an argument or option is written, and what it is for. */
export interface FieldHelp {
  syntax: string;
  description: string;
}
