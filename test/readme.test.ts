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

  it('shows the real commands/transfer/customers.ts as its example of a command that names members and asks for confirmation', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const source = readFileSync(new URL('../commands/transfer/customers.ts', import.meta.url), 'utf8').trim();
    expect(readme).to.contain(`\`\`\`ts\n${source}\n\`\`\``);
  });

  it('lists every stage of the turn pipeline in its architecture section, in both languages', async () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const { TEXT_STAGES } = await import('../src/bot/turn/pipeline.js');
    const [zh, en] = [
      readme.slice(readme.indexOf('## 架构'), readme.indexOf('## 配置')),
      readme.slice(readme.indexOf('## Architecture'), readme.indexOf('## Configuration')),
    ];
    for (const section of [zh, en]) {
      const listed = [...section.matchAll(/^ {2}\d\. `(\w+)`/gm)].map((m) => m[1]);
      expect(listed).to.deep.equal(TEXT_STAGES.map((stage) => stage.name));
    }
  });
});
