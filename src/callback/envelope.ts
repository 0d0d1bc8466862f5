import { CallbackRejection } from './crypto.js';

/** The largest envelope accepted: WeCom's are a few KiB (a 2048-byte message encrypted, base64, in a few tags). */
export const MAX_ENVELOPE_BYTES = 64 * 1024;

const OPEN = '<Encrypt>';
const CLOSE = '</Encrypt>';
const CDATA_OPEN = '<![CDATA[';
const CDATA_CLOSE = ']]>';

/** One character class, no alternation or nesting: the engine checks it in one pass and cannot backtrack. */
const BASE64 = /^[A-Za-z0-9+/=]+$/;

/**
 * Reads the `Encrypt` field of an envelope, and nothing else, before its signature is checked: a few `indexOf`
 * calls and one pass over the ciphertext, so an unsigned body costs time in proportion to its size and never more
 * (no pattern that can backtrack, no general XML parser).
 * @throws CallbackRejection 400 when there is no single well-formed `Encrypt` field of base64 text.
 */
export function readEncryptField(body: string): string {
  const start = body.indexOf(OPEN);
  if (start < 0 || body.indexOf(OPEN, start + OPEN.length) >= 0) {
    throw new CallbackRejection(400, 'envelope has no single Encrypt field');
  }
  let from = start + OPEN.length;
  let to = body.indexOf(CLOSE, from);
  if (to < 0) throw new CallbackRejection(400, 'envelope Encrypt field is not closed');
  if (body.startsWith(CDATA_OPEN, from)) {
    from += CDATA_OPEN.length;
    if (!body.startsWith(CDATA_CLOSE, to - CDATA_CLOSE.length) || to - CDATA_CLOSE.length < from) {
      throw new CallbackRejection(400, 'envelope Encrypt CDATA is not closed');
    }
    to -= CDATA_CLOSE.length;
  }
  // Whitespace around the value is allowed, as an XML parser would trim it; inside it, only base64.
  while (from < to && body.charCodeAt(from) <= 32) from++;
  while (to > from && body.charCodeAt(to - 1) <= 32) to--;
  if (from === to) throw new CallbackRejection(400, 'envelope Encrypt field is empty');
  const value = body.slice(from, to);
  if (!BASE64.test(value)) throw new CallbackRejection(400, 'envelope Encrypt field is not base64');
  return value;
}
