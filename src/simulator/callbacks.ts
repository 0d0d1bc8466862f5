import fetch from 'node-fetch';
import { sealEnvelope, type CallbackSecrets } from '../callback/crypto.js';
import { buildWeComXml } from '../callback/xml.js';

/** Fields of an inner callback XML (values become text or CDATA). */
export type CallbackFields = Record<string, string | number | undefined>;

/**
 * Sends encrypted callbacks to the bot exactly as WeCom does: sealed with the corp's Token and EncodingAESKey,
 * signed, POSTed to `<bot>/wecom/callback` with URL-encoded query parameters.
 */
export class CallbackSender {
  botUrl: string | undefined;
  private msgSeq = BigInt(Date.now()) * 1000n;

  constructor(
    private readonly secrets: CallbackSecrets,
    private readonly agentId: number,
  ) {}

  /** A fresh 64-bit-looking MsgId. */
  nextMsgId(): string {
    this.msgSeq += 1n;
    return this.msgSeq.toString();
  }

  /** Seals `fields` (ToUserName, CreateTime and AgentID filled in) into the query string and body WeCom would POST. */
  envelope(fields: CallbackFields): { query: string; body: string } {
    const xml = buildWeComXml({
      ToUserName: this.secrets.receiveId,
      CreateTime: Math.floor(Date.now() / 1000),
      AgentID: this.agentId,
      ...fields,
    });
    const sealed = sealEnvelope(this.secrets, xml);
    const query = new URLSearchParams({ msg_signature: sealed.signature, timestamp: sealed.timestamp, nonce: sealed.nonce });
    const body = buildWeComXml({ ToUserName: this.secrets.receiveId, Encrypt: sealed.encrypt, AgentID: this.agentId });
    return { query: query.toString(), body };
  }

  /**
   * Seals `fields` and POSTs it `times` times (WeCom's retries).
   * @returns the HTTP status of each delivery.
   */
  async deliver(fields: CallbackFields, times = 1): Promise<number[]> {
    if (!this.botUrl) throw new Error('the simulator has no bot URL to call back (set sim.botUrl)');
    const { query, body } = this.envelope(fields);
    const statuses: number[] = [];
    for (let i = 0; i < times; i++) {
      const res = await fetch(`${this.botUrl}/wecom/callback?${query}`, {
        method: 'POST',
        headers: { 'content-type': 'text/xml' },
        body,
      });
      await res.arrayBuffer();
      statuses.push(res.status);
    }
    return statuses;
  }
}
