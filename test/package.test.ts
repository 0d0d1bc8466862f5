import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect } from 'chai';
import { ROOT } from './helpers/process.js';

interface PackageJson {
  engines: { node: string };
  main: string;
  types: string;
  exports: { '.': { types: string; default: string } };
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
}

const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as PackageJson;

describe('the package', () => {
  it('asks for a maintained Node (22.13 or later) and runs on one', () => {
    expect(pkg.engines.node).to.equal('>=22.13');
    const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
    expect(major > 22 || (major === 22 && minor >= 13), process.version).to.equal(true);
  });

  it('builds on install where the compiler is (a clone), and its entry points are the built files', () => {
    expect(pkg.scripts.prepare).to.equal('node scripts/prepare.mjs');
    for (const file of [pkg.main, pkg.types, pkg.exports['.'].default, pkg.exports['.'].types]) {
      expect(file).to.match(/^\.\/dist\//);
      expect(existsSync(`${ROOT}${file}`), file).to.equal(true);
    }
  });

  it('can be imported by its name, as another project would, and the typed client works', async function () {
    this.timeout(15_000);
    // A package may import itself by name through its `exports`: this resolves to dist/, not to the sources.
    const lib = await import('wecom-contact-ops');
    expect(createRequire(import.meta.url).resolve('wecom-contact-ops')).to.match(/\/dist\/src\/index\.js$/);
    const sim = await lib.createSimulator({ members: 3, customers: 5, seed: 7 });
    try {
      const wecom = sim.wecomConfig();
      const client = lib.createWeComClient({ ...wecom, agentId: Number(wecom.agentId), store: lib.createMemoryStore() });
      const member = [...sim.corp.members.values()][0]!.userid;
      const { external_userid } = await client.externalContact.list(member);
      expect(external_userid).to.deep.equal(sim.corp.customersOf(member).map((c) => c.external_userid));
    } finally {
      await sim.close();
    }
  });

  it('needs no TypeScript tooling and no native build at run time', () => {
    const tree = JSON.parse(execFileSync('npm', ['ls', '--omit=dev', '--all', '--json'], { cwd: ROOT, encoding: 'utf8' })) as {
      dependencies?: Record<string, unknown>;
    };
    const names = new Set<string>();
    const walk = (deps: Record<string, unknown> | undefined) => {
      for (const [name, node] of Object.entries(deps ?? {})) {
        names.add(name);
        walk((node as { dependencies?: Record<string, unknown> }).dependencies);
      }
    };
    walk(tree.dependencies);
    expect(names.size).to.be.greaterThan(10);
    for (const devOnly of ['typescript', 'tsx', 'esbuild', 'sqlite3', '@keyv/sqlite', 'node-gyp']) {
      expect(names.has(devOnly), devOnly).to.equal(false);
    }
  });
});
