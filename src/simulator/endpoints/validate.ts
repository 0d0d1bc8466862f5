import type { Corp, SimFollow } from '../corp.js';
import { simError } from '../errors.js';

/** A required non-empty string field. @throws `missingCode` when absent, 40058 when not a string. */
export function requireString(body: Record<string, unknown>, key: string, missingCode = 40058): string {
  const value = body[key];
  if (value === undefined || value === null || value === '') throw simError(missingCode, `missing ${key}`);
  if (typeof value !== 'string') throw simError(40058, `${key} must be a string`);
  return value;
}

/** An optional string field, at most `maxChars` characters. */
export function optionalString(body: Record<string, unknown>, key: string, maxChars = Infinity): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw simError(40058, `${key} must be a string`);
  if ([...value].length > maxChars) throw simError(40058, `${key} exceeds ${maxChars} characters`);
  return value;
}

/** A list of strings, at most `max` long. @throws `missingCode` when required and empty. */
export function stringList(body: Record<string, unknown>, key: string, opts: { max: number; required?: boolean; missingCode?: number }): string[] {
  const value = body[key];
  if (value === undefined || value === null) {
    if (opts.required) throw simError(opts.missingCode ?? 40058, `missing ${key}`);
    return [];
  }
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw simError(40058, `${key} must be a list of strings`);
  if (opts.required && value.length === 0) throw simError(opts.missingCode ?? 40058, `missing ${key}`);
  if (value.length > opts.max) throw simError(40058, `${key} has more than ${opts.max} items`);
  return value as string[];
}

/** An optional integer within [min, max], or `fallback`. */
export function intField(body: Record<string, unknown>, key: string, fallback: number, min: number, max: number): number {
  const value = body[key];
  if (value === undefined || value === null || value === '') return fallback;
  const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) throw simError(40058, `${key} must be an integer in [${min}, ${max}]`);
  return n;
}

/** A required integer (unix time and the like). */
export function requireInt(body: Record<string, unknown>, key: string): number {
  if (body[key] === undefined || body[key] === null || body[key] === '') throw simError(40058, `missing ${key}`);
  return intField(body, key, 0, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
}

/** A nested object field, or an empty one. */
export function objectField(body: Record<string, unknown>, key: string): Record<string, unknown> {
  const value = body[key];
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw simError(40058, `${key} must be an object`);
  return value as Record<string, unknown>;
}

/** UTF-8 length check of a text's content. */
export function checkTextBytes(text: unknown, maxBytes: number): { content: string } | undefined {
  if (text === undefined || text === null) return undefined;
  if (typeof text !== 'object' || typeof (text as { content?: unknown }).content !== 'string') {
    throw simError(40058, 'text.content must be a string');
  }
  const content = (text as { content: string }).content;
  if (Buffer.byteLength(content, 'utf8') > maxBytes) throw simError(40058, `text.content exceeds ${maxBytes} bytes`);
  return { content };
}

/** The member/customer link named by `userid` and `external_userid` (60111, 40096 or 84061 when it is not there). */
export function followFromBody(body: Record<string, unknown>, corp: Corp): SimFollow {
  const userid = requireString(body, 'userid', 41009);
  const externalUserId = requireString(body, 'external_userid', 41035);
  corp.member(userid);
  corp.customer(externalUserId);
  return corp.follow(userid, externalUserId);
}
