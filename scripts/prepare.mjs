// npm's `prepare` (run by `npm install` and `npm ci`): builds dist/ where the compiler is installed (a clone, with its
// dev dependencies). A production install of a built tree (`npm ci --omit=dev`, as the Dockerfile does) has no
// compiler and needs none: dist/ is already there, and nothing is compiled on the server.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
let compiler = true;
try {
  createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  compiler = false;
}
if (compiler) {
  await import('./build.mjs');
} else if (!existsSync(join(root, 'dist/src/main.js'))) {
  process.stderr.write('wecom-contact-ops: no dist/ and no compiler: install with dev dependencies (npm ci), or run npm run build before npm ci --omit=dev\n');
  process.exit(1);
}
