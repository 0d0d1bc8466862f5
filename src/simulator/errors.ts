/** An API error the simulator answers with, as WeCom would: HTTP 200 and `{errcode, errmsg}`. */
export class SimError extends Error {
  constructor(
    readonly errcode: number,
    readonly errmsg: string,
  ) {
    super(errmsg);
  }
}

/** errmsg texts in WeCom's style for the codes the simulator uses: every errcode it can answer is listed here. */
const MESSAGES: Record<number, string> = {
  [-1]: 'system busy',
  40001: 'invalid credential',
  40003: 'invalid userid',
  40008: 'invalid message type',
  40013: 'invalid corpid',
  40014: 'invalid access_token',
  40056: 'invalid agentid',
  40058: 'invalid parameter',
  40068: 'invalid tagid',
  40071: 'tag name already exists',
  40096: 'invalid external userid',
  40097: 'member has not resigned',
  40098: 'member has not passed real-name verification',
  40099: 'external contact count reached the limit',
  40100: "this member's external contact is already in a transfer",
  40128: 'customer transferred too often (twice in 90 days)',
  40129: 'customer is already being transferred',
  40126: 'the corp has reached the tag limit',
  40130: 'handover and takeover are the same member',
  40131: 'handover_userid is not a follower of this external contact',
  41001: 'access_token missing',
  41004: 'corpsecret missing',
  41009: 'missing userid',
  41035: 'missing external userid',
  41037: 'missing contact way type',
  41038: 'missing contact way scene',
  41039: 'invalid contact way type',
  41040: 'invalid contact way scene',
  41041: 'contact way user count exceeds limit',
  41043: 'missing config_id',
  41044: 'invalid config_id',
  41045: 'the API has added the most contact ways it may',
  41046: 'missing msgid',
  41047: 'invalid msgid',
  41048: 'no customer to send to',
  41049: 'missing welcome_code',
  41050: 'invalid or expired welcome_code',
  41051: 'customer already in chat, welcome message not allowed',
  41053: 'the customer has not agreed to chat archiving',
  41059: 'missing moment_id',
  41060: 'invalid moment_id',
  41061: 'this member is not a sender of this moment',
  41062: 'this member has not published this moment yet',
  41063: 'the mass message is being dispatched, try again later',
  // Doc 97610 says a mass message takes at most three reminders in 24 hours and names no errcode for a fourth: the
  // simulator refuses it (the stricter reading) with a code of its own choosing.
  41099: 'this mass message was reminded three times in the last 24 hours',
  // Doc 97611 does not say what a reminder of a stopped mass message gets: refused, with a code of the simulator's own.
  41098: 'this mass message was stopped',
  42001: 'access_token expired',
  42014: 'taskid has existed or empty or exceed max len',
  44004: 'empty content',
  45002: 'content size out of limit',
  45009: 'api freq out of limit',
  45033: 'api concurrent out of limit',
  48002: 'api forbidden',
  60011: 'no privilege to access/modify contact/party/agent',
  60020: 'not allow to access from your ip',
  60111: 'userid not found',
  60123: 'invalid party id',
  81013: 'user & party & tag all invalid',
  81017: 'too many items, set owner_filter',
  84061: 'not external contact',
  84074: 'no external contact permission',
  86003: 'chatid not found',
  90500: 'the group owner has not resigned',
  90501: 'chat is not external group chat',
  90502: 'the group owner has resigned',
  90504: 'the group owner is unchanged',
  90508: "the resigned owner's chat has been handed over already",
  301002: 'agentid does not match the access_token',
};

/** A SimError with WeCom's errmsg shape: reason, hint, the caller's IP (`fromIp`), and the doc link. */
export function simError(errcode: number, detail?: string, fromIp = '127.0.0.1'): SimError {
  const reason = detail ?? MESSAGES[errcode] ?? 'error';
  return new SimError(
    errcode,
    `${reason}, hint: [sim-${errcode}], from ip: ${fromIp}, more info at https://open.work.weixin.qq.com/devtool/query?e=${errcode}`,
  );
}

/** Every errcode the simulator can answer with (a test checks that each has a text in every locale). */
export const SIM_ERRCODES: readonly number[] = Object.keys(MESSAGES).map(Number);
