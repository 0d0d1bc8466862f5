import { expect } from 'chai';
import { explainError } from '../../src/bot/explain.js';
import { renderReplyLines } from '../../src/render/reply.js';
import { WeComError, WeComTransportError } from '../../src/wecom/index.js';

const say = (err: unknown, locale: 'zh-Hans' | 'zh-Hant' | 'en') => renderReplyLines(explainError(err, locale)).join('\n');

describe('WeCom errors in words', () => {
  it('explains 84061, 40096, 40097 and 90500 in each locale with the errcode', () => {
    const cases: [number, string, string, string][] = [
      [84061, '该成员与此客户不是好友', '該成員與此客戶不是好友', 'are not contacts'],
      [40096, '客户 ID 无效', '客戶 ID 無效', 'Invalid customer id'],
      [40097, '该成员还没有离职', '該成員還沒有離職', 'has not resigned'],
      [90500, '群主还没有离职', '群主還沒有離職', 'has not resigned'],
    ];
    for (const [code, hans, hant, en] of cases) {
      const err = new WeComError(code, 'reason, hint: [x]', 'cgi-bin/externalcontact/x');
      expect(say(err, 'zh-Hans')).to.contain(hans).and.contain(`errcode ${code}`);
      expect(say(err, 'zh-Hant')).to.contain(hant).and.contain(`errcode ${code}`);
      expect(say(err, 'en')).to.contain(en).and.contain(`errcode ${code}`);
    }
  });

  it('says when a write may or may not have been applied, and falls back for unknown codes', () => {
    expect(say(new WeComTransportError('x', new Error('timeout'), true), 'zh-Hans')).to.contain('可能已经生效');
    expect(say(new WeComError(99999, 'strange thing, hint: [y]', 'x'), 'en'))
      .to.contain('strange thing')
      .and.contain('errcode 99999');
  });
});
