import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The command line `npm start` runs (node, its flags, the compiled entry), read from package.json so the tests start
 * exactly what a deployment starts. `npm test` builds dist/ before mocha runs.
 */
export function startCommand(): { node: string; args: string[] } {
  return scriptCommand('start');
}

/** The command line of an npm script that runs node on dist/ (`check`, `store`), as {@link startCommand} reads `start`. */
export function scriptCommand(name: string): { node: string; args: string[] } {
  const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { scripts: Record<string, string> };
  const script = pkg.scripts[name] ?? '';
  const [node, ...args] = script.split(' ');
  if (node !== 'node') throw new Error(`unexpected ${name} script: ${script}`);
  return { node: process.execPath, args: args.map((a) => (a.startsWith('dist/') ? `${ROOT}${a}` : a)) };
}

/** A running process and everything it printed so far. */
export interface Spawned {
  child: ChildProcessWithoutNullStreams;
  output(): string;
  /** Resolves with the first line that matches, or rejects after `timeoutMs`. */
  line(match: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  /** Resolves with the exit code once the process has ended by itself. */
  exit(): Promise<number | null>;
  /** Sends `signal` and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Spawns `command args` with `env`, collecting stdout and stderr together. */
export function spawnCollecting(command: string, args: string[], opts: { cwd?: string; env: NodeJS.ProcessEnv }): Spawned {
  const child = spawn(command, args, { cwd: opts.cwd ?? ROOT, env: opts.env });
  let out = '';
  const listeners = new Set<() => void>();
  const collect = (d: Buffer) => {
    out += d.toString();
    for (const l of listeners) l();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    output: () => out,
    line(match, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = out.split(/\r?\n/).find(match);
          if (found === undefined) return;
          clearTimeout(timer);
          listeners.delete(check);
          resolve(found);
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`no such line within ${timeoutMs} ms in:\n${out}`));
        }, timeoutMs);
        listeners.add(check);
        check();
      });
    },
    exit: () => exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** A TCP port nobody listens on right now (for a server the test starts itself). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
