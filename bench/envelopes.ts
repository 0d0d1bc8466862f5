/** The bench's corp secrets and its pre-sealed callbacks, shared by the load generator and the paced sender. */
import { sealEnvelope } from '../src/callback/crypto.js';
import { buildWeComXml } from '../src/callback/xml.js';

/** The environment the measured bot runs with (no real corp: the API base is a closed port). */
export const SECRETS = {
  WECOM_CORP_ID: 'wwbench000000000001',
  WECOM_AGENT_ID: '1000002',
  WECOM_AGENT_SECRET: 'bench-agent-secret',
  WECOM_TOKEN: 'benchtoken',
  WECOM_ENCODING_AES_KEY: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  WECOM_API_BASE: 'http://127.0.0.1:9',
};
const secrets = { token: SECRETS.WECOM_TOKEN, encodingAesKey: SECRETS.WECOM_ENCODING_AES_KEY, receiveId: SECRETS.WECOM_CORP_ID };

/** One callback as the load generator posts it. */
export interface Envelope {
  path: string;
  body: string;
}

let lastBase = 0n;

/** Pre-sealed text callbacks with MsgIds never used before in this run (sealing is not what is measured). */
export function envelopes(count: number): Envelope[] {
  let base = BigInt(Date.now()) * 1_000_000n;
  if (base <= lastBase) base = lastBase + 1n;
  lastBase = base + BigInt(count);
  return Array.from({ length: count }, (_, i) => {
    const inner = buildWeComXml({
      ToUserName: secrets.receiveId,
      FromUserName: `user${i % 50}`,
      CreateTime: Math.floor(Date.now() / 1000),
      MsgType: 'text',
      Content: '/帮助',
      MsgId: (base + BigInt(i)).toString(),
      AgentID: 1000002,
    });
    const sealed = sealEnvelope(secrets, inner);
    const query = new URLSearchParams({ msg_signature: sealed.signature, timestamp: sealed.timestamp, nonce: sealed.nonce });
    return {
      path: `/wecom/callback?${query.toString()}`,
      body: buildWeComXml({ ToUserName: secrets.receiveId, Encrypt: sealed.encrypt, AgentID: 1000002 }),
    };
  });
}
