import fetch, { type Response } from 'node-fetch';
import { buildWeComXml } from '../../src/callback/xml.js';
import { sealEnvelope, type CallbackSecrets, type SealedEnvelope } from '../../src/callback/crypto.js';

/** Builds the callback URL with properly encoded query parameters ('+' in base64 must arrive as %2B). */
export function callbackUrl(base: string, params: Record<string, string>): string {
  return `${base}/wecom/callback?${new URLSearchParams(params).toString()}`;
}

/** POSTs an already sealed envelope as WeCom does. */
export function postEnvelope(base: string, envelope: SealedEnvelope, corpId: string, agentId = '1000002'): Promise<Response> {
  const body = buildWeComXml({ ToUserName: corpId, Encrypt: envelope.encrypt, AgentID: agentId });
  return fetch(callbackUrl(base, { msg_signature: envelope.signature, timestamp: envelope.timestamp, nonce: envelope.nonce }), {
    method: 'POST',
    headers: { 'content-type': 'text/xml' },
    body,
  });
}

/** Encrypts `innerXml` with `secrets` and POSTs it to the bot. */
export function postCallback(base: string, secrets: CallbackSecrets, innerXml: string): Promise<Response> {
  return postEnvelope(base, sealEnvelope(secrets, innerXml), secrets.receiveId);
}

/** The inner XML of a text message from a member. */
export function textMessageXml(corpId: string, from: string, content: string, msgId: string, createTime = Math.floor(Date.now() / 1000)): string {
  return buildWeComXml({
    ToUserName: corpId,
    FromUserName: from,
    CreateTime: createTime,
    MsgType: 'text',
    Content: content,
    MsgId: msgId,
    AgentID: 1000002,
  });
}

/** A fresh, unique 19-digit MsgId. */
export function newMsgId(): string {
  return `${Date.now()}${Math.floor(Math.random() * 1e6)
    .toString()
    .padStart(6, '0')}`;
}
