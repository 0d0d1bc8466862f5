import { expect } from 'chai';
import * as OpenCC from 'opencc-js';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCALES_DIR, projectCatalog, t, type Messages } from '../../src/i18n/index.js';

const catalogs = projectCatalog.messages;
import { row } from '../../src/render/reply.js';
import { renderLine } from '../../src/render/markdown.js';
import { loadCommands } from '../../src/bot/registry.js';

/** Every leaf of a catalog as dotted key → text (list items get their index). */
function leaves(messages: Messages, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(messages)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else if (Array.isArray(value)) for (const [i, v] of value.entries()) out.set(`${path}[${i}]`, v);
    else for (const [k, v] of leaves(value, path)) out.set(k, v);
  }
  return out;
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('locales', () => {
  const hans = leaves(catalogs['zh-Hans']);
  const hant = leaves(catalogs['zh-Hant']);
  const en = leaves(catalogs.en);

  it('have identical key sets in zh-Hans, zh-Hant and en', () => {
    const keys = (m: Map<string, string>) => [...m.keys()].map((k) => k.replace(/\[\d+\]$/, '[]')).sort();
    const missing = (a: Map<string, string>, b: Map<string, string>) => [...new Set(keys(a))].filter((k) => !new Set(keys(b)).has(k));
    expect(missing(hans, hant), 'in zh-Hans, not zh-Hant').to.deep.equal([]);
    expect(missing(hant, hans), 'in zh-Hant, not zh-Hans').to.deep.equal([]);
    expect(missing(hans, en), 'in zh-Hans, not en').to.deep.equal([]);
    expect(missing(en, hans), 'in en, not zh-Hans').to.deep.equal([]);
  });

  it('keep a command’s own first-level keys apart from the shared ones, so ctx.t reads a short key as the command’s', () => {
    const shared = new Set(Object.keys(catalogs['zh-Hans']).filter((key) => key !== 'commands'));
    for (const [id, strings] of Object.entries(catalogs['zh-Hans'].commands as Messages)) {
      for (const key of Object.keys(strings as Messages)) expect(shared.has(key), `commands.${id}.${key}`).to.equal(false);
    }
  });

  it('take the strings of commands kept elsewhere from their own folder, and never shared strings from it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wco-locales-'));
    try {
      for (const locale of ['zh-Hans', 'zh-Hant', 'en']) {
        mkdirSync(join(dir, locale));
        writeFileSync(join(dir, locale, 'extra.json'), JSON.stringify({ description: `extra ${locale}` }));
      }
      const catalog = projectCatalog.with([dir]);
      expect(catalog.t('zh-Hant', 'commands.extra.description')).to.equal('extra zh-Hant');
      expect(projectCatalog.has('zh-Hant', 'commands.extra.description'), 'the project’s own catalog is unchanged').to.equal(false);
      writeFileSync(join(dir, 'zh-Hans.json'), JSON.stringify({ common: { hint: 'x' } }));
      expect(() => projectCatalog.with([dir])).to.throw('not shared ones');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('use the same placeholders in every locale', () => {
    for (const [key, text] of hans) {
      if (key.includes('[')) continue;
      expect(placeholders(hant.get(key) ?? ''), `zh-Hant ${key}`).to.deep.equal(placeholders(text));
      expect(placeholders(en.get(key) ?? ''), `en ${key}`).to.deep.equal(placeholders(text));
    }
  });

  it('write zh-Hant in Traditional characters only (checked with OpenCC)', () => {
    const toTraditional = OpenCC.Converter({ from: 'cn', to: 'tw' });
    expect(toTraditional('客户联系'), 'the check itself sees Simplified text').not.to.equal('客户联系');
    const offenders: string[] = [];
    for (const [key, text] of hant) {
      const converted = toTraditional(text);
      if (converted !== text) {
        const chars = [...text].filter((c, i) => [...converted][i] !== c);
        offenders.push(`${key}: ${chars.join('')}`);
      }
    }
    expect(offenders).to.deep.equal([]);
  });

  it('explain the common WeCom errcodes in all three locales', () => {
    const common = [
      -1, 40001, 40014, 40058, 40068, 40096, 40097, 41035, 41051, 42001, 45009, 45033, 48002, 60011, 60020, 60111, 81013, 81017, 84061, 86003, 90500, 90501,
    ];
    for (const code of common) {
      for (const [name, m] of [
        ['zh-Hans', hans],
        ['zh-Hant', hant],
        ['en', en],
      ] as const) {
        expect(m.get(`errors.wecom.${code}`), `${name} errors.wecom.${code}`)
          .to.be.a('string')
          .and.not.equal('');
      }
    }
    expect(hans.get('errors.wecom.84061')).to.match(/^该成员与此客户不是好友/);
  });

  it('describe every command of commands/ (description, examples, a label and a description for each argument and option) in every locale', async () => {
    const commands = await loadCommands();
    for (const command of commands) {
      const names = new Set(command.actions.flatMap((a) => [...(a.args ?? []), ...(a.options ?? [])].map((s) => s.name)));
      for (const [locale, m] of [
        ['zh-Hans', hans],
        ['zh-Hant', hant],
        ['en', en],
      ] as const) {
        expect(m.get(`commands.${command.id}.description`), `${locale} ${command.id}.description`).to.be.a('string');
        expect(m.get(`commands.${command.id}.examples[0]`), `${locale} ${command.id}.examples`).to.be.a('string');
        expect(m.get(`commands.${command.id}.usage`), `${locale} ${command.id}.usage is generated, not written`).to.equal(undefined);
        for (const name of names) {
          expect(m.get(`commands.${command.id}.labels.${name}`), `${locale} ${command.id}.labels.${name}`)
            .to.be.a('string')
            .and.not.equal('');
          // Help explains each one; its label alone ("`<客户 ID>` 客户 ID") says nothing.
          expect(m.get(`commands.${command.id}.options.${name}`), `${locale} ${command.id}.options.${name}`)
            .to.be.a('string')
            .and.not.equal(m.get(`commands.${command.id}.labels.${name}`));
        }
      }
    }
    // The contract's files (locales/zh-Hans.json, zh-Hant.json, en.json) hold the shared strings, with the same keys.
    const sharedKeys = (locale: string) => Object.keys(JSON.parse(readFileSync(join(LOCALES_DIR, `${locale}.json`), 'utf8'))).sort();
    for (const locale of ['zh-Hant', 'en']) expect(sharedKeys(locale), locale).to.deep.equal(sharedKeys('zh-Hans'));
    expect(sharedKeys('zh-Hans')).to.include.members(['common', 'errors']);
    // One file per command in each locale folder, and none for a command that does not exist.
    const ids = new Set(commands.map((c) => c.id));
    for (const locale of ['zh-Hans', 'zh-Hant', 'en']) {
      const files = readdirSync(join(LOCALES_DIR, locale)).map((f) => f.replace(/\.json$/, ''));
      expect(files.sort(), locale).to.deep.equal([...ids].sort());
    }
  });

  it('speaks English plurals ("1 customer", "2 customers") and English punctuation in rows', () => {
    const one = t('en', 'commands.transfer.messages.planTitle', { count: 1, from: 'a', to: 'b' });
    const two = t('en', 'commands.transfer.messages.planTitle', { count: 2, from: 'a', to: 'b' });
    expect(one).to.equal('Transfer 1 customer');
    expect(two).to.equal('Transfer 2 customers');
    expect(t('en', 'commands.tags.messages.deleteTitle', { count: 1 })).to.match(/\b1 tag\b/);
    // Every plural form is whole: {name|one|other}.
    for (const [key, text] of en) expect(text.replace(/\{\w+\|[^|{}]*\|[^|{}]*\}/g, ''), key).not.to.match(/\{\w+\|/);
    expect(renderLine(row('Chats', '3')))
      .to.contain('Chats: ')
      .and.not.contain('：');
    expect(renderLine(row('聊天数', '3'))).to.contain('聊天数：');
  });
});
