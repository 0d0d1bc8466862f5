import { expect } from 'chai';
import { readFileSync } from 'node:fs';

describe('README', () => {
  it('shows the real commands/whoami.ts as its "adding a command" example (without its doc comment)', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const source = readFileSync(new URL('../commands/whoami.ts', import.meta.url), 'utf8')
      .split('\n')
      .filter((line) => !line.startsWith('/** '))
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim();
    expect(readme).to.contain(`\`\`\`ts\n${source}\n\`\`\``);
  });
});
