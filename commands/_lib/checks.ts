import { UserError } from '../../src/bot/command.js';

/** Refuses text longer than `max` characters (WeCom counts characters for names and remarks). */
export function maxChars(option: string, value: string | undefined, max: number): void {
  if (value !== undefined && [...value].length > max) {
    throw new UserError('common.tooLong', { field: option, max, length: [...value].length });
  }
}

/** Refuses text longer than `max` UTF-8 bytes (WeCom counts bytes for message texts). */
export function maxBytes(option: string, value: string | undefined, max: number): void {
  if (value !== undefined && Buffer.byteLength(value, 'utf8') > max) {
    throw new UserError('common.tooManyBytes', { field: option, max, length: Buffer.byteLength(value, 'utf8') });
  }
}

/** An option that another one needs (`--title` with `--link`), or a localized error naming both. */
export function requiredWith<T>(given: string, needed: string, value: T | undefined): T {
  if (value === undefined || value === '') throw new UserError('common.neededWith', { given, needed });
  return value;
}

/** Only http(s) links are sent to customers. */
export function httpUrl(option: string, value: string | undefined): void {
  if (value !== undefined && !/^https?:\/\/\S+$/.test(value)) throw new UserError('common.badUrl', { field: option, value });
}

/** A phone number as people write one: digits, a leading + and dashes or spaces between groups, 3 to 20 characters. */
const PHONE = /^\+?[0-9][0-9 -]{1,18}[0-9]$/;

/**
 * Refuses a list of phone numbers with a word that is not one (`--mobiles 13800000000,abc`), naming it, before any
 * call: WeCom stores remark_mobiles as given. An empty item is allowed, as WeCom takes "" to clear the numbers.
 */
export function phoneNumbers(option: string, values: readonly string[] | undefined): void {
  const bad = values?.find((v) => v !== '' && !PHONE.test(v));
  if (bad !== undefined) throw new UserError('common.badPhone', { field: option, value: bad });
}

/** WeCom's external_userid: `wm…` for a WeChat customer, `wo…` for a WeCom one. */
const CUSTOMER_ID = /^w[mo][0-9A-Za-z_-]+$/;

/** True for a word shaped like an external_userid (`wm…`, `wo…`). */
export function looksLikeCustomerId(value: string): boolean {
  return CUSTOMER_ID.test(value);
}

/**
 * A customer id, or a localized error before any call saying what an id looks like and where to find it (a name such
 * as 孙丽 would otherwise come back from WeCom as a bare 40096).
 */
export function customerId(value: string): string {
  if (!CUSTOMER_ID.test(value)) throw new UserError('common.notCustomerId', { value });
  return value;
}
