// npm run build (also run by `npm install` through `prepare`): compile src/ and commands/ to dist/ and copy the files
// found at run time beside them. dist/ is emptied first: the command registry loads every file in dist/commands/,
// so a command deleted from the sources must not live on in a stale build.
import { spawnSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

rmSync(join(root, 'dist'), { recursive: true, force: true });
const compiled = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (compiled.status !== 0) process.exit(compiled.status ?? 1);
cpSync(join(root, 'locales'), join(root, 'dist/locales'), { recursive: true });
cpSync(join(root, 'src/playground/page.html'), join(root, 'dist/src/playground/page.html'));
