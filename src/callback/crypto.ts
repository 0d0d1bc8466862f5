import { randomBytes, timingSafeEqual } from 'node:crypto';
import { decrypt, encrypt, getSignature } from '@wecom/crypto';

/** What both ends of a callback share: the Token, the EncodingAESKey and the receiveid (the CorpID). */
export interface CallbackSecrets {
  token: string;
  encodingAesKey: string;
  receiveId: string;
}

/** A callback refused before any handler ran; `status` is the HTTP answer. */
export class CallbackRejection extends Error {
  constructor(
    readonly status: 400 | 403 | 413 | 503,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'CallbackRejection';
  }
}

/** Compares `msg_signature` with the expected SHA1 in constant time. */
export function signatureMatches(secrets: CallbackSecrets, timestamp: string, nonce: string, cipherText: string, signature: string): boolean {
  const expected = Buffer.from(getSignature(secrets.token, timestamp, nonce, cipherText), 'utf8');
  const given = Buffer.from(signature.toLowerCase(), 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Verifies the signature, decrypts, and checks that the receiveid is ours.
 * @returns the plaintext (the echostr answer, or the inner XML of a message).
 * @throws CallbackRejection 403 on a bad signature or a foreign receiveid, 400 when the ciphertext is unreadable.
 */
export function openEnvelope(secrets: CallbackSecrets, params: { signature: string; timestamp: string; nonce: string }, cipherText: string): string {
  if (!signatureMatches(secrets, params.timestamp, params.nonce, cipherText, params.signature)) {
    throw new CallbackRejection(403, 'signature mismatch');
  }
  let opened: { message: string; id: string };
  try {
    opened = decrypt(secrets.encodingAesKey, cipherText);
  } catch {
    throw new CallbackRejection(400, 'ciphertext cannot be decrypted');
  }
  if (opened.id !== secrets.receiveId) {
    throw new CallbackRejection(403, 'receiveid mismatch');
  }
  return opened.message;
}

/** An encrypted, signed envelope as WeCom sends it (or as a passive reply carries it). */
export interface SealedEnvelope {
  encrypt: string;
  signature: string;
  timestamp: string;
  nonce: string;
}

/** Encrypts and signs `plaintext` the way WeCom does; the simulator uses it to send callbacks. */
export function sealEnvelope(
  secrets: CallbackSecrets,
  plaintext: string,
  timestamp: string = String(Math.floor(Date.now() / 1000)),
  nonce: string = randomBytes(6).readUIntBE(0, 6).toString(),
): SealedEnvelope {
  const cipherText = encrypt(secrets.encodingAesKey, plaintext, secrets.receiveId);
  return { encrypt: cipherText, signature: getSignature(secrets.token, timestamp, nonce, cipherText), timestamp, nonce };
}
