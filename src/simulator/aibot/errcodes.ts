/**
 * The errcodes the AI-bot simulator answers with. WeCom documents none for the long connection; the first three were
 * seen in the wild (third-party reports), the WeCom-wide ones keep their usual meaning, and those marked "own" are the
 * simulator's choice for rules WeCom enforces with a code nobody has published.
 *
 * | errcode | meaning                                                                                 | source       |
 * |---------|-----------------------------------------------------------------------------------------|--------------|
 * | 853000  | unknown bot_id or wrong secret on `aibot_subscribe` (the socket is then closed)         | seen (3P)    |
 * | 846605  | req_id is not a callback of this bot of the kind the command answers                    | seen (3P)    |
 * | 846608  | the req_id's reply window is over: stream finished, 6 min past, welcome/update after 5 s | seen (3P)    |
 * | 40008   | msgtype not allowed here (a text push, a card push to a group, an unknown msgtype)      | WeCom-wide   |
 * | 40058   | invalid parameter (stream id missing or changed, bad card, task_id mismatch, …)         | WeCom-wide   |
 * | 45002   | content over 20,480 UTF-8 bytes                                                         | WeCom-wide   |
 * | 45009   | over 30 messages a minute (or 1,000 an hour) in one conversation                        | WeCom-wide   |
 * | 60140   | response_url used already, expired (1 h) or unknown                                     | seen (3P)    |
 * | 846610  | task_id already used by this bot (unique forever, doc 101031)                           | own          |
 * | 846611  | push to a chat that never messaged the bot (doc 101463)                                 | own          |
 * | 846612  | command not supported by the simulator (uploads, unknown cmd)                           | own          |
 */
export const AIBOT_ERR = {
  badCredentials: 853000,
  wrongReqId: 846605,
  expired: 846608,
  msgtype: 40008,
  invalid: 40058,
  tooLong: 45002,
  rate: 45009,
  responseUrlSpent: 60140,
  taskIdReused: 846610,
  chatUnknown: 846611,
  unsupported: 846612,
} as const;

/** A frame or POST the simulator refused: its errcode and why, in words a test failure can show. */
export class AibotRefusal extends Error {
  constructor(
    readonly errcode: number,
    readonly reason: string,
  ) {
    super(`${errcode} ${reason}`);
    this.name = 'AibotRefusal';
  }
}

/** A refusal as the observation API lists it. */
export interface AibotError {
  at: number;
  botId?: string;
  cmd?: string;
  reqId?: string;
  errcode: number;
  reason: string;
}
