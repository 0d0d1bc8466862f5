import { expect } from 'chai';
import { CallbackRejection, openEnvelope, sealEnvelope, signatureMatches } from '../../src/callback/crypto.js';
import { OFFICIAL, OFFICIAL_SECRETS } from '../helpers/vectors.js';

describe('callback crypto', () => {
  it('decrypts the official URL-verification echostr', () => {
    const { msg_signature, timestamp, nonce, echostr, plaintext } = OFFICIAL.get;
    expect(openEnvelope(OFFICIAL_SECRETS, { signature: msg_signature, timestamp, nonce }, echostr)).to.equal(plaintext);
  });

  it('decrypts the official POST vector to the text message "hello" from mycreate', () => {
    const { msg_signature, timestamp, nonce, encrypt } = OFFICIAL.post;
    const xml = openEnvelope(OFFICIAL_SECRETS, { signature: msg_signature, timestamp, nonce }, encrypt);
    expect(xml).to.contain('<FromUserName><![CDATA[mycreate]]></FromUserName>');
    expect(xml).to.contain('<Content><![CDATA[hello]]></Content>');
  });

  it('rejects a forged signature with 403 before decrypting', () => {
    const { timestamp, nonce, encrypt } = OFFICIAL.post;
    const forged = '0'.repeat(40);
    expect(() => openEnvelope(OFFICIAL_SECRETS, { signature: forged, timestamp, nonce }, encrypt))
      .to.throw(CallbackRejection)
      .with.property('status', 403);
    expect(signatureMatches(OFFICIAL_SECRETS, timestamp, nonce, encrypt, 'short')).to.equal(false);
  });

  it('rejects a message sealed for another corp with 403', () => {
    const sealed = sealEnvelope({ ...OFFICIAL_SECRETS, receiveId: 'wwOTHERCORP' }, '<xml></xml>');
    expect(() => openEnvelope(OFFICIAL_SECRETS, { signature: sealed.signature, timestamp: sealed.timestamp, nonce: sealed.nonce }, sealed.encrypt))
      .to.throw(CallbackRejection)
      .with.property('status', 403);
  });

  it('round-trips Chinese text', () => {
    const sealed = sealEnvelope(OFFICIAL_SECRETS, '<xml><Content>客户 转接 「张三」</Content></xml>');
    const opened = openEnvelope(OFFICIAL_SECRETS, { signature: sealed.signature, timestamp: sealed.timestamp, nonce: sealed.nonce }, sealed.encrypt);
    expect(opened).to.equal('<xml><Content>客户 转接 「张三」</Content></xml>');
  });
});
