import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadCommands } from '../../src/bot/registry.js';

describe('commands/ and their tests', () => {
  it('has a test file for every command (test/commands/<id>.test.ts)', async () => {
    const here = fileURLToPath(new URL('./', import.meta.url));
    const missing = (await loadCommands()).map((c) => c.id).filter((id) => !existsSync(`${here}${id}.test.ts`));
    expect(missing).to.deep.equal([]);
  });
});
