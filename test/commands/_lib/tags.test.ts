import { expect } from 'chai';
import { resolveTag, type TagIndex } from '../../../commands/_lib/tags.js';
import { UserError } from '../../../src/bot/command.js';

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

describe('commands/_lib/tags', () => {
  it('resolves a tag by id or by its one exact name', () => {
    expect(resolveTag(index, 'et3')).to.equal('et3');
    expect(resolveTag(index, '重要')).to.equal('et1');
  });

  it('refuses an unknown name, and lists the candidates of an ambiguous one instead of guessing', () => {
    const refusal = (word: string) => {
      try {
        resolveTag(index, word);
      } catch (err) {
        if (UserError.is(err)) return { key: err.key, params: err.params };
      }
      return undefined;
    };
    expect(refusal('不存在')).to.deep.equal({ key: 'common.tagUnknown', params: { name: '不存在' } });
    const ambiguous = refusal('潜在');
    expect(ambiguous?.key).to.equal('common.tagAmbiguous');
    expect(String(ambiguous?.params.candidates)).to.contain('客户等级/潜在 (et2)').and.contain('来源/潜在 (et3)');
  });
});
