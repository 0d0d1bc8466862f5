import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locale } from '../../src/config.js';
import { has, t } from '../../src/i18n/index.js';
import { SIM_ERRCODES } from '../../src/simulator/errors.js';

const SIMULATOR = fileURLToPath(new URL('../../src/simulator/', import.meta.url));
const LOCALES: Locale[] = ['zh-Hans', 'zh-Hant', 'en'];

/** Every .ts file under a folder. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('errcodes in words', () => {
  it('lists every errcode the simulator answers with (its source names no other)', () => {
    const named = new Set<number>();
    for (const file of sources(SIMULATOR)) {
      // Code only: comments name doc pages (96331) that are no errcodes.
      const text = readFileSync(file, 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\/\/.*$/gm, '');
      for (const m of text.matchAll(/simError\((-?\d+)|errcode: (\d{5,6})\b|missingCode: (\d+)|fail\((\d{5})\)|, (\d{5})\)/g)) {
        named.add(Number(m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5]));
      }
    }
    const unlisted = [...named].filter((code) => !SIM_ERRCODES.includes(code));
    expect(unlisted, 'errcodes in src/simulator missing from SIM_ERRCODES').to.deep.equal([]);
    expect(SIM_ERRCODES.length).to.be.greaterThan(40);
  });

  it('explains every one of them in all three locales, in words that say what to do, not just the number', () => {
    const missing: string[] = [];
    for (const code of SIM_ERRCODES) {
      for (const locale of LOCALES) {
        const key = `errors.wecom.${code}`;
        if (!has(locale, key)) {
          missing.push(`${locale} ${code}`);
          continue;
        }
        const text = t(locale, key);
        // What happened, then what to do: two parts.
        expect(text, `${locale} ${code}`).to.match(locale === 'en' ? /[:;.] \S/ : /[：，；。]./);
        expect(text, `${locale} ${code}`).not.to.contain(String(code));
      }
    }
    expect(missing).to.deep.equal([]);
  });
});
