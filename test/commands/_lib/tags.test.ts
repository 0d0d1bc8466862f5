import { expect } from 'chai';
import { resolveTag, type TagIndex } from '../../../commands/_lib/tags.js';
import { UserError } from '../../../src/bot/command.js';
import type { Locale } from '../../../src/config.js';
import { t } from '../../../src/i18n/index.js';

const index: TagIndex = {
  groups: [],
  byId: new Map([
    ['et1', { name: '重要', group: '客户等级', groupId: 'g1' }],
    ['et2', { name: '潜在', group: '客户等级', groupId: 'g1' }],
    ['et3', { name: '潜在', group: '来源', groupId: 'g2' }],
  ]),
  byName: new Map([
    ['重要', ['et1']],
    ['潜在', ['et2', 'et3']],
  ]),
};

/** The words of each locale, as a command's context gives them. */
const inLocale = (locale: Locale) => ({
  t: (key: string, params?: Record<string, string | number>) => t(locale, key, params),
  listSeparator: t(locale, 'common.listSeparator'),
});

describe('commands/_lib/tags', () => {
  it('resolves a tag by id or by its one exact name', () => {
    expect(resolveTag(index, 'et3', inLocale('zh-Hans'))).to.equal('et3');
    expect(resolveTag(index, '重要', inLocale('zh-Hans'))).to.equal('et1');
  });

  it('finds a name typed in the other script, and offers the nearest names for a typo', () => {
    const traditional: TagIndex = {
      ...index,
      byId: new Map([['et9', { name: '转介绍', group: '来源', groupId: 'g2' }]]),
      byName: new Map([['转介绍', ['et9']]]),
    };
    expect(resolveTag(traditional, '轉介紹', inLocale('zh-Hant'))).to.equal('et9');
    try {
      resolveTag(traditional, '转介', inLocale('zh-Hans'));
      expect.fail('a typo is no tag');
    } catch (err) {
      expect(UserError.is(err) && err.key).to.equal('common.tagUnknownNear');
      expect(UserError.is(err) && err.choice?.choices.map((c) => c.value)).to.deep.equal(['转介绍']);
    }
  });

  it('refuses an unknown name, and lists the candidates of an ambiguous one instead of guessing', () => {
    const refusal = (word: string, locale: Locale = 'zh-Hans') => {
      try {
        resolveTag(index, word, inLocale(locale));
      } catch (err) {
        if (UserError.is(err)) return { key: err.key, params: err.params };
      }
      return undefined;
    };
    expect(refusal('不存在的东西')).to.deep.equal({ key: 'common.tagUnknown', params: { name: '不存在的东西' } });
    const ambiguous = refusal('潜在');
    expect(ambiguous?.key).to.equal('common.tagAmbiguous');
    expect(String(ambiguous?.params.candidates), 'groups, never ids').to.equal('客户等级/潜在、来源/潜在');
    expect(String(refusal('潜在', 'en')?.params.candidates), 'English separates with ASCII').to.equal('客户等级/潜在, 来源/潜在');
  });
});
