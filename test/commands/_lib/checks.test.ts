import { expect } from 'chai';
import { httpUrl, maxBytes, maxChars, phoneNumbers, requiredWith } from '../../../commands/_lib/checks.js';
import { UserError } from '../../../src/bot/command.js';

/** The key and parameters of the UserError `run` throws. */
function refusal(run: () => unknown): { key: string; params: Record<string, string | number> } {
  try {
    run();
  } catch (err) {
    if (UserError.is(err)) return { key: err.key, params: err.params };
    throw err;
  }
  throw new Error('nothing was refused');
}

describe('commands/_lib/checks', () => {
  it('maxChars counts characters (an emoji is one), maxBytes counts UTF-8 bytes', () => {
    expect(() => maxChars('--remark', '😀'.repeat(20), 20)).not.to.throw();
    expect(refusal(() => maxChars('--remark', '好'.repeat(21), 20))).to.deep.equal({
      key: 'common.tooLong',
      params: { field: '--remark', max: 20, length: 21 },
    });
    expect(() => maxBytes('--text', '好'.repeat(1333), 4000)).not.to.throw(); // 3999 bytes
    expect(refusal(() => maxBytes('--text', '好'.repeat(1334), 4000)).params).to.deep.include({ length: 4002 });
    expect(() => maxChars('--remark', undefined, 1)).not.to.throw();
  });

  it('requiredWith names both options; httpUrl takes http(s) links only', () => {
    expect(requiredWith('--link', '--title', 'T')).to.equal('T');
    expect(refusal(() => requiredWith('--link', '--title', undefined))).to.deep.equal({
      key: 'common.neededWith',
      params: { given: '--link', needed: '--title' },
    });
    expect(refusal(() => requiredWith('--link', '--title', ''))).to.have.property('key', 'common.neededWith');
    expect(() => httpUrl('--link', 'https://example.com/a?b=c')).not.to.throw();
    for (const bad of ['javascript:alert(1)', 'ftp://x', 'https://a b']) expect(refusal(() => httpUrl('--link', bad)).key).to.equal('common.badUrl');
  });

  it('phoneNumbers takes numbers as people write them and "" (which clears), and names the first word that is not one', () => {
    expect(() => phoneNumbers('--mobiles', ['13800000000', '+86 138-0000-0000', '010-12345678', ''])).not.to.throw();
    expect(() => phoneNumbers('--mobiles', undefined)).not.to.throw();
    expect(refusal(() => phoneNumbers('--mobiles', ['13800000000', 'abc', 'x1']))).to.deep.equal({
      key: 'common.badPhone',
      params: { field: '--mobiles', value: 'abc' },
    });
    for (const bad of ['1', '12', '138000000001380000000', '138+0000', '-138', '138-']) {
      expect(() => phoneNumbers('--mobiles', [bad]), bad).to.throw();
    }
  });
});
