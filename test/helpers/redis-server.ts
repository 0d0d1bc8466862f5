import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A Redis of a test's own, on `port` (the shared one is never stopped). */
export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** Kills it at once (SIGKILL), as a crash or a lost host would. */
  kill(): Promise<void>;
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

/**
 * Starts `redis-server` on `port` and resolves once it accepts connections. With `dir`, it keeps an append-only file
 * there, written through on every command (`appendfsync always`), as a deployment that promises "acked = handled"
 * must: a Redis killed and started again on the same dir still holds every acked entry. Without, it keeps nothing.
 */
export async function startRedisServer(port: number, dir?: string): Promise<RedisServer> {
  const persistence = dir ? ['--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir] : ['--appendonly', 'no'];
  const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...persistence], {
    stdio: 'ignore',
  });
  for (let i = 0; i < 100; i++) {
    if (await answers(port)) {
      return {
        port,
        url: `redis://127.0.0.1:${port}`,
        async kill() {
          if (child.exitCode !== null || child.signalCode !== null) return;
          const exited = new Promise((resolve) => child.once('exit', resolve));
          child.kill('SIGKILL');
          await exited;
        },
      };
    }
    await sleep(50);
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server did not start on port ${port}`);
}
