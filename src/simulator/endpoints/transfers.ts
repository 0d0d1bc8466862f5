import { pageOf } from '../cursor.js';
import type { Corp } from '../corp.js';
import { simError } from '../errors.js';
import type { Endpoint, SimRequest } from './types.js';
import { optionalString, requireString, stringList } from './validate.js';

/** In service, each customer may be transferred at most this often within {@link TRANSFER_WINDOW_MS} (doc 96325). */
const TRANSFERS_PER_WINDOW = 2;
const TRANSFER_WINDOW_MS = 90 * 24 * 3600_000;
/** A resigned member's customers may be handed over for a year after they left (doc 96331). */
export const RESIGNED_HANDOVER_MS = 365 * 24 * 3600_000;

/**
 * Both members of a transfer (docs 96325, 96331): the takeover must be in service, in the app's visible range (60011)
 * and have 客户联系 (84074); the two must differ (40130).
 */
function members(req: SimRequest, corp: Corp) {
  const handover = corp.member(requireString(req.body, 'handover_userid', 41009));
  const takeover = corp.member(requireString(req.body, 'takeover_userid', 41009));
  if (takeover.status !== 'active') throw simError(60111, `takeover member has resigned: ${takeover.userid}`);
  if (!corp.inRange(takeover)) throw simError(60011, `takeover member is outside the app's visible range: ${takeover.userid}`);
  if (takeover.customerContact === false) throw simError(84074, `takeover member has no customer contact: ${takeover.userid}`);
  if (handover.userid === takeover.userid) throw simError(40130, 'handover and takeover are the same member');
  return { handover, takeover };
}

/** True when a resigned member left more than a year ago: their customers can no longer be handed over. */
export function leftTooLongAgo(corp: Corp, member: { status: string; dimissionTime?: number }): boolean {
  return member.status === 'resigned' && (member.dimissionTime ?? 0) * 1000 < corp.now() - RESIGNED_HANDOVER_MS;
}

/** Starts transfers, one per customer; answers per-customer errcodes as WeCom does. */
function startTransfers(req: SimRequest, corp: Corp, kind: 'onjob' | 'resigned') {
  corp.settleTransfers();
  const { handover, takeover } = members(req, corp);
  if (kind === 'resigned' && handover.status !== 'resigned') throw simError(40097);
  if (kind === 'onjob' && handover.status === 'resigned') throw simError(60111, `handover member has resigned: ${handover.userid}`);
  const ids = stringList(req.body, 'external_userid', { max: 100, required: true, missingCode: 41035 });
  if (kind === 'onjob') optionalString(req.body, 'transfer_success_msg', 200);
  const now = corp.now();
  // The takeover's room counts the customers already on their way to them.
  let room =
    corp.customerLimit(takeover.userid) -
    corp.customerCount(takeover.userid) -
    corp.transfers.filter((t) => t.takeover === takeover.userid && t.status === 2).length;
  const customer = ids.map((id) => {
    if (!corp.hasCustomer(id)) return { external_userid: id, errcode: 40096 };
    // Not this member's customer (or a member who left over a year ago: the relationship is gone; stricter reading).
    if (!corp.isFollowing(handover.userid, id) || leftTooLongAgo(corp, handover)) return { external_userid: id, errcode: 40131 };
    // A customer whose transfer waits for its takeover cannot be sent again until it is done: 40129 from the same
    // member; 40100 when another of the customer's members is transferring them.
    const waiting = corp.transfers.find((t) => t.external_userid === id && t.status === 2);
    if (waiting) return { external_userid: id, errcode: waiting.handover === handover.userid ? 40129 : 40100 };
    // In service, each customer may be transferred twice in 90 natural days (doc 96325).
    const recent = corp.transfers.filter((t) => t.kind === 'onjob' && t.external_userid === id && t.createdAt > now - TRANSFER_WINDOW_MS);
    if (kind === 'onjob' && recent.length >= TRANSFERS_PER_WINDOW) return { external_userid: id, errcode: 40128 };
    // The takeover must have activated WeCom and passed real-name verification (doc 96325: 40098), and have room (40099).
    if (takeover.activated === false || takeover.verified === false) return { external_userid: id, errcode: 40098 };
    if (room <= 0) return { external_userid: id, errcode: 40099 };
    room -= 1;
    corp.transfers.push({ kind, handover: handover.userid, takeover: takeover.userid, external_userid: id, status: 2, createdAt: now });
    return { external_userid: id, errcode: 0 };
  });
  return { customer };
}

function transferResult(req: SimRequest, corp: Corp, kind: 'onjob' | 'resigned') {
  corp.settleTransfers();
  const handover = requireString(req.body, 'handover_userid', 41009);
  const takeover = requireString(req.body, 'takeover_userid', 41009);
  corp.member(handover);
  corp.member(takeover);
  const records = corp.transfers.filter((t) => t.kind === kind && t.handover === handover && t.takeover === takeover);
  const { page, next_cursor } = pageOf(records, req.body.cursor, 1000, `${kind}:${handover}:${takeover}`);
  return {
    // A waiting customer's takeover_time is when the takeover will happen (doc 96333).
    customer: page.map((t) => ({
      external_userid: t.external_userid,
      status: t.status,
      takeover_time: t.takeover_time ?? (t.status === 2 ? Math.floor((t.createdAt + corp.timing.transferDelayMs) / 1000) : 0),
    })),
    next_cursor,
  };
}

/** In-service and resigned transfers, their results, and the legacy single-customer APIs. */
export const transferEndpoints: Endpoint[] = [
  { method: 'POST', path: 'externalcontact/transfer_customer', token: 'any', handle: (req, { corp }) => startTransfers(req, corp, 'onjob') },
  { method: 'POST', path: 'externalcontact/resigned/transfer_customer', token: 'any', handle: (req, { corp }) => startTransfers(req, corp, 'resigned') },
  { method: 'POST', path: 'externalcontact/transfer_result', token: 'any', handle: (req, { corp }) => transferResult(req, corp, 'onjob') },
  { method: 'POST', path: 'externalcontact/resigned/transfer_result', token: 'any', handle: (req, { corp }) => transferResult(req, corp, 'resigned') },
  {
    method: 'POST',
    path: 'externalcontact/transfer',
    token: 'any',
    handle: (req, { corp }) => {
      const { handover } = members(req, corp);
      const id = requireString(req.body, 'external_userid', 41035);
      corp.customer(id);
      if (!corp.isFollowing(handover.userid, id)) throw simError(84061);
      const result = startTransfers({ ...req, body: { ...req.body, external_userid: [id] } }, corp, handover.status === 'resigned' ? 'resigned' : 'onjob');
      const errcode = result.customer[0]?.errcode ?? 0;
      if (errcode !== 0) throw simError(errcode);
      return {};
    },
  },
  {
    method: 'POST',
    path: 'externalcontact/get_transfer_result',
    token: 'any',
    handle: ({ body }, { corp }) => {
      corp.settleTransfers();
      const id = requireString(body, 'external_userid', 41035);
      const handover = requireString(body, 'handover_userid', 41009);
      const takeover = requireString(body, 'takeover_userid', 41009);
      const record = [...corp.transfers].reverse().find((t) => t.external_userid === id && t.handover === handover && t.takeover === takeover);
      if (!record) return { status: 5 };
      return { status: record.status, ...(record.takeover_time ? { takeover_time: record.takeover_time } : {}) };
    },
  },
];
