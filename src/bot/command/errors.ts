/** The errors a handler may throw: each is answered in the member's words and audited. */
import type { AskChoice, FieldRef } from './fields.js';
import type { Role } from './roles.js';

/**
 * The bot's own errors carry a brand (a registered symbol) and are recognised by it rather than by `instanceof`, so
 * an error thrown by a command file loaded as another module instance (a test runner mixing loaders) still counts.
 */
const BRAND = Symbol.for('wecom-contact-ops.error');

type Brand = 'denied' | 'user' | 'parse';

function branded(err: unknown, brand: Brand): boolean {
  return typeof err === 'object' && err !== null && (err as { [BRAND]?: Brand })[BRAND] === brand;
}

/** Raised by a handler (or `requireSelfOr`) to refuse; answered in the user's locale and audited as denied. */
export class PermissionDenied extends Error {
  readonly [BRAND]: Brand = 'denied';

  constructor(readonly needed: Role) {
    super(`needs role ${needed}`);
    this.name = 'PermissionDenied';
  }

  /** True for a PermissionDenied from any module instance. */
  static is(err: unknown): err is PermissionDenied {
    return branded(err, 'denied');
  }
}

/**
 * Bad input a handler found (unknown tag, remark too long …): answered with the localized message, nothing called.
 * With `choice`, the input was ambiguous (a name several members share): the member is asked to pick one of
 * `choices` in place of `word`, and the command runs again with it.
 */
export class UserError extends Error {
  readonly [BRAND]: Brand = 'user';

  constructor(
    readonly key: string,
    readonly params: Record<string, string | number> = {},
    readonly choice?: { word: string; choices: AskChoice[] },
    /** Parameters that label a member (`{ user: 'zhangsan' }` for "张三（zhangsan）"): the audit relabels them. */
    readonly members: Readonly<Record<string, string>> = {},
  ) {
    super(key);
    this.name = 'UserError';
  }

  /** True for a UserError from any module instance. */
  static is(err: unknown): err is UserError {
    return branded(err, 'user');
  }
}

/**
 * A command line that cannot be read (quotes, options, values); `key` names the localized explanation, and `field`
 * the declared argument or option it is about (the bot names it by its label, `{field}` in the message).
 */
export class ParseError extends Error {
  readonly [BRAND]: Brand = 'parse';

  constructor(
    readonly key: string,
    readonly params: Record<string, string | number> = {},
    readonly field?: FieldRef,
    /** Other parameters that name a declared field (`{needed}` in "--link needs --title"), named by label too. */
    readonly fields: Readonly<Record<string, FieldRef>> = {},
    /** The options one of which is wanted (`{options}`: "--to 或 --tag"), when the error is that none was given. */
    readonly alternatives: readonly FieldRef[] = [],
  ) {
    super(key);
    this.name = 'ParseError';
  }

  /** True for a ParseError from any module instance. */
  static is(err: unknown): err is ParseError {
    return branded(err, 'parse');
  }
}
