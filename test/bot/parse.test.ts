import { expect } from 'chai';
import { parseArgs } from '../../src/bot/parse.js';
import { Registry } from '../../src/bot/registry.js';
import { closest, editDistance } from '../../src/i18n/words.js';
import { isCommand, tokenize } from '../../src/bot/tokenize.js';
import { ParseError } from '../../src/bot/command.js';
import type { Action, CommandDefinition } from '../../src/bot/command.js';

const transfer: Action = {
  role: 'admin',
  args: [{ name: 'ids', type: 'list', required: true }],
  options: [
    { name: 'from', type: 'string' },
    { name: 'to', type: 'string' },
    { name: 'msg', type: 'string', redact: true },
    { name: 'page', type: 'int', min: 1, max: 99 },
    { name: 'since', type: 'date' },
    { name: 'skip-verify', type: 'flag' },
    { name: 'type', type: 'string', choices: ['1', '2'] },
  ],
};

function parseError(fn: () => unknown): ParseError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ParseError) return err;
    throw err;
  }
  throw new Error('no ParseError');
}

describe('command line parsing', () => {
  it('suggests quotes when a word follows an option value, and names a plain extra word', () => {
    const spaced = parseError(() => parseArgs(transfer, tokenize('wm1 --from zhangsan --msg 您好 再见 --to lisi')));
    expect(spaced.key).to.equal('errors.parse.extraAfterValue');
    expect(spaced.params).to.deep.equal({ value: '再见', quoted: '--msg "您好 再见"' });
    const audit: Action = { role: 'admin', options: [{ name: 'user', type: 'string' }] };
    expect(parseError(() => parseArgs(audit, tokenize('--user Lily Li'))).params.quoted).to.equal('--user "Lily Li"');
    const extra = parseError(() => parseArgs(audit, tokenize('stray')));
    expect(extra.key).to.equal('errors.parse.extraArgument');
  });

  it('recognises / and ／ as the command prefix', () => {
    expect(isCommand('/客户')).to.equal(true);
    expect(isCommand('／客户')).to.equal(true);
    expect(isCommand('客户')).to.equal(false);
  });

  it('groups words with every kind of quote and separates on the ideographic space', () => {
    expect(tokenize('／转接\u3000wm1,wm2 --from 张三 --msg「您好 世界」')).to.deep.equal(['转接', 'wm1,wm2', '--from', '张三', '--msg', '您好 世界']);
    expect(tokenize(`/x "a b" 'c d' “e f” ‘g h’ 「i j」 『k l』`)).to.deep.equal(['x', 'a b', 'c d', 'e f', 'g h', 'i j', 'k l']);
    expect(tokenize('/x --msg="a b"')).to.deep.equal(['x', '--msg=a b']);
    expect(tokenize('/x 「他说 "好"」')).to.deep.equal(['x', '他说 "好"']);
  });

  it('reads the dashes Chinese input methods type (——, —, －－) as -- before an option name, and leaves dashes in values', () => {
    expect(tokenize('/客户 lisi ——tag 重要')).to.deep.equal(['客户', 'lisi', '--tag', '重要']);
    expect(tokenize('/客户 lisi —tag 重要')).to.deep.equal(['客户', 'lisi', '--tag', '重要']);
    expect(tokenize('/客户 lisi －－tag=重要')).to.deep.equal(['客户', 'lisi', '--tag=重要']);
    expect(tokenize('/转接 全部 --msg —— --from a')).to.deep.equal(['转接', '全部', '--msg', '——', '--from', 'a']);
    expect(tokenize('/统计 10.1—10.15')).to.deep.equal(['统计', '10.1—10.15']);
  });

  it('names an unclosed quote', () => {
    expect(parseError(() => tokenize('/x 「abc')).params).to.deep.equal({ quote: '「' });
  });

  it('keeps ids as strings (0012, 1e3, 0x1F), splits lists, reads --k=v, --k v and --flag', () => {
    const args = parseArgs(transfer, ['0012,1e3，0x1F、wm4', '--from', '0012', '--to=1e3', '--msg', '您好 世界', '--skip-verify']);
    expect(args).to.deep.equal({ ids: ['0012', '1e3', '0x1F', 'wm4'], from: '0012', to: '1e3', msg: '您好 世界', 'skip-verify': true });
  });

  it('reads repeated list options and checks ints, dates and choices', () => {
    const tags: Action = { role: 'staff', options: [{ name: 'tag', type: 'list' }] };
    expect(parseArgs(tags, ['--tag', 'a,b', '--tag', 'c'])).to.deep.equal({ tag: ['a', 'b', 'c'] });
    expect(parseArgs(transfer, ['x', '--page', '3', '--since', '2026-02-28', '--type', '2'])).to.include({ page: 3, since: '2026-02-28', type: '2' });
    expect(parseError(() => parseArgs(transfer, ['x', '--page', 'three'])).key).to.equal('errors.parse.notInteger');
    expect(parseError(() => parseArgs(transfer, ['x', '--page', '100'])).key).to.equal('errors.parse.outOfRange');
    expect(parseError(() => parseArgs(transfer, ['x', '--since', '2026-02-30'])).key).to.equal('errors.parse.notDate');
    expect(parseError(() => parseArgs(transfer, ['x', '--type', '3'])).key).to.equal('errors.parse.notAChoice');
  });

  it('refuses unknown options, missing values and arguments, and extra words', () => {
    expect(parseError(() => parseArgs(transfer, ['x', '--color', 'red'])).params).to.deep.equal({ name: '--color' });
    expect(parseError(() => parseArgs(transfer, ['x', '--from'])).key).to.equal('errors.parse.missingValue');
    expect(parseError(() => parseArgs(transfer, [])).key).to.equal('errors.parse.missingArgument');
    expect(parseError(() => parseArgs(transfer, ['x', 'y'])).params).to.deep.equal({ value: 'y' });
  });
});

describe('command registry and suggestions', () => {
  const command = (id: string, names: [string, string, string], actions: Action[] = [{ role: 'staff', run: async () => undefined }]): CommandDefinition => ({
    id,
    names: { 'zh-Hans': names[0], 'zh-Hant': names[1], en: names[2] },
    actions,
  });

  it('finds a command by any locale’s name, case-insensitively, with the locales of the word', () => {
    const registry = new Registry([command('customers', ['客户', '客戶', 'customers']), command('groups', ['群', '群', 'groups'])]);
    expect(registry.resolve('客戶')?.locales).to.deep.equal(['zh-Hant']);
    expect(registry.resolve('Customers')?.command.id).to.equal('customers');
    expect(registry.resolve('群')?.locales).to.deep.equal(['zh-Hans', 'zh-Hant']);
    expect(registry.resolve('nope')).to.equal(undefined);
  });

  it('says an audited action id as a member types it, in each locale; an id of no action is unknown', () => {
    const all: Action = { role: 'admin', sub: { 'zh-Hans': '全部', 'zh-Hant': '全部', en: 'all' }, run: async () => undefined };
    const registry = new Registry([command('transfer', ['转接', '轉接', 'transfer'], [{ role: 'admin', run: async () => undefined }, all])]);
    expect(registry.spoken('transfer.all', 'zh-Hans')).to.equal('/转接 全部');
    expect(registry.spoken('transfer.all', 'zh-Hant')).to.equal('/轉接 全部');
    expect(registry.spoken('transfer', 'en')).to.equal('/transfer');
    expect(registry.spoken('transfer.event', 'en')).to.equal(undefined);
  });

  it('fails at start when two commands share a name', () => {
    expect(() => new Registry([command('a', ['客户', '客戶', 'a']), command('b', ['客户', '客戶b', 'b'])])).to.throw(/客户.*a and b/);
  });

  it('resolves sub-command words in every locale, else the main action', () => {
    const main: Action = { role: 'staff', run: async () => undefined };
    const detail: Action = { sub: { 'zh-Hans': '详情', 'zh-Hant': '詳情', en: 'detail' }, role: 'staff', run: async () => undefined };
    const registry = new Registry([command('customers', ['客户', '客戶', 'customers'], [main, detail])]);
    const c = registry.resolve('客户')!.command;
    expect(registry.resolveAction(c, ['詳情', 'wm1'])).to.deep.include({ actionId: 'customers.detail', subLocales: ['zh-Hant'], rest: ['wm1'] });
    expect(registry.resolveAction(c, ['zhangsan'])).to.deep.include({ actionId: 'customers', subLocales: [], rest: ['zhangsan'] });
  });

  it('suggests close names by edit distance', () => {
    expect(editDistance('帮主', '帮助')).to.equal(1);
    expect(closest('stafff', ['staff', 'help', 'tags'])).to.deep.equal(['staff']);
    expect(closest('xyz', ['staff', 'help'])).to.deep.equal([]);
  });
});

describe('parseArgs: the limits a field declares', () => {
  const message: Action = {
    role: 'staff',
    args: [{ name: 'tags', type: 'list', maxChars: 30 }],
    options: [
      { name: 'remark', type: 'string', maxChars: 20 },
      { name: 'text', type: 'string', maxBytes: 4000 },
      { name: 'link', type: 'string', format: 'url', needs: ['title'] },
      { name: 'title', type: 'string' },
      { name: 'mobiles', type: 'list', format: 'phone' },
    ],
  };
  const refused = (words: string[]) => {
    const err = parseError(() => parseArgs(message, words));
    return { key: err.key, params: err.params, field: err.field, fields: err.fields };
  };

  it('counts characters for maxChars (an emoji is one) and UTF-8 bytes for maxBytes, naming the field', () => {
    expect(parseArgs(message, ['--remark', '😀'.repeat(20)]).remark).to.equal('😀'.repeat(20));
    expect(refused(['--remark', '好'.repeat(21)])).to.deep.include({
      key: 'common.tooLong',
      params: { max: 20, length: 21, value: '好'.repeat(21) },
      field: { kind: 'option', name: 'remark' },
    });
    expect(parseArgs(message, ['--text', '好'.repeat(1333)]).text).to.have.length(1333); // 3999 bytes
    expect(refused(['--text', '好'.repeat(1334)])).to.deep.include({ key: 'common.tooManyBytes', params: { max: 4000, length: 4002 } });
  });

  it('holds each item of a list to the limit, naming the item', () => {
    expect(refused([`短,${'长'.repeat(31)}`])).to.deep.include({
      key: 'common.itemTooLong',
      params: { max: 30, length: 31, value: '长'.repeat(31) },
      field: { kind: 'argument', name: 'tags' },
    });
  });

  it('takes http(s) links only, and phone numbers as people write them, naming the first word that is not one', () => {
    expect(parseArgs(message, ['--link', 'https://example.com/a?b=c', '--title', 'T']).link).to.equal('https://example.com/a?b=c');
    for (const bad of ['javascript:alert(1)', 'ftp://x']) expect(refused(['--link', bad, '--title', 'T']).key).to.equal('common.badUrl');
    expect(parseArgs(message, ['--mobiles', '13800000000,+86 138-0000-0000,010-12345678']).mobiles).to.have.length(3);
    expect(refused(['--mobiles', '13800000000,abc,x1'])).to.deep.include({ key: 'common.badPhone', params: { value: 'abc' } });
    for (const bad of ['1', '12', '138000000001380000000', '138+0000', '-138', '138-']) {
      expect(refused(['--mobiles', bad]).key, bad).to.equal('common.badPhone');
    }
  });

  it('refuses an option without the one it needs, naming both', () => {
    expect(refused(['--link', 'https://example.com'])).to.deep.include({
      key: 'common.neededWith',
      field: { kind: 'option', name: 'link' },
      fields: { given: { kind: 'option', name: 'link' }, needed: { kind: 'option', name: 'title' } },
    });
    expect(parseArgs(message, ['--title', 'T'])).to.deep.include({ title: 'T' });
  });
});
