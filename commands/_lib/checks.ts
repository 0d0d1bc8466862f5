import { UserError } from '../../src/bot/command.js';

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
