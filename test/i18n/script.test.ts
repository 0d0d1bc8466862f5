import { expect } from 'chai';
import { foldScript, scriptOf } from '../../src/i18n/script.js';

describe('i18n/script: the script a member wrote in', () => {
  it('tells Simplified from Traditional by the characters only one of them writes', () => {
    expect(scriptOf('/客户 wangwu')).to.equal('zh-Hans');
    expect(scriptOf('/客戶 wangwu')).to.equal('zh-Hant');
    expect(scriptOf('/群 詳情 wr123')).to.equal('zh-Hant');
    expect(scriptOf('/确认 AB12CD')).to.equal('zh-Hans');
  });

  it('says nothing for characters both scripts share, Taiwan variants included (群 is OpenCC’s 羣)', () => {
    expect(scriptOf('/群')).to.equal(undefined);
    expect(scriptOf('/我')).to.equal(undefined);
    expect(scriptOf('你好')).to.equal(undefined);
    expect(scriptOf('/群 --owner wangwu'), 'Latin words beside shared characters do not make it English').to.equal(undefined);
  });

  it('reads Latin words without Chinese as English, and digits alone as nothing', () => {
    expect(scriptOf('/customer')).to.equal('en');
    expect(scriptOf('hello')).to.equal('en');
    expect(scriptOf('12345')).to.equal(undefined);
  });

  it('folds a name typed in either Chinese script, and Latin letters in any case, to one form for matching', () => {
    expect(foldScript('張三')).to.equal(foldScript('张三'));
    expect(foldScript('趙六')).to.equal('赵六');
    expect(foldScript(' Lily Li ')).to.equal('lily li');
    expect(foldScript('群')).to.equal(foldScript('羣'));
    expect(foldScript('李四')).to.not.equal(foldScript('李思'));
  });
});
