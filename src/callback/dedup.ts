import { createHash } from 'node:crypto';
import { leaf, type XmlRecord } from './xml.js';

/** How long a delivery is remembered: WeCom retries within seconds, so 15 min is ample (the contract asks ≥ 10). */
export const DEDUP_TTL_MS = 15 * 60 * 1000;

/** Fields that together tell two events apart (customer-contact events all come from `sys`). */
const EVENT_FIELDS = [
  'FromUserName',
  'CreateTime',
  'Event',
  'ChangeType',
  'UserID',
  'ExternalUserID',
  'ChatId',
  'UpdateDetail',
  'Id',
  'TagType',
  'EventKey',
  'TaskId',
  'ResponseCode',
] as const;

/**
 * The key under which one delivery is remembered: `msg:<MsgId>` for messages, a hash over the identifying fields
 * for events. Redeliveries of the same message or event give the same key.
 */
export function dedupKey(record: XmlRecord): string {
  const msgId = leaf(record, 'MsgId');
  if (msgId) {
    return `msg:${msgId}`;
  }
  const parts = EVENT_FIELDS.map((name) => `${name}=${leaf(record, name) ?? ''}`).join('\n');
  return `evt:${createHash('sha1').update(parts).digest('hex')}`;
}
