import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A small filesystem of its own (a tmpfs), that a test fills to the last byte and frees again. */
export interface SmallDisk {
  dir: string;
  /** Writes a filler file until the disk has no space left. */
  fill(): void;
  /** Deletes the filler. */
  free(): void;
  /** Unmounts it and removes the folder. */
  remove(): void;
}

/**
 * Mounts a tmpfs of `mb` MB for a test of a full disk. Mounting needs root: elsewhere it returns undefined (the test
 * skips, saying why), except in CI (`CI=true`, root on the CI machine), where a disk that cannot be made fails the run.
 */
export function smallDisk(mb: number): SmallDisk | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'wco-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${mb}m`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    if (process.env.CI) throw new Error(`a full-disk test needs a tmpfs (root): ${(err as Error).message}`);
    return undefined;
  }
  const filler = join(dir, 'filler');
  return {
    dir,
    fill() {
      const fd = openSync(filler, 'a');
      const block = Buffer.alloc(64 * 1024);
      try {
        for (;;) writeSync(fd, block);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
        // The last bytes: smaller writes until not even one fits.
        for (let size = 32 * 1024; size >= 1; size = Math.floor(size / 2)) {
          try {
            for (;;) writeSync(fd, block.subarray(0, size));
          } catch {
            // full at this size
          }
        }
      } finally {
        closeSync(fd);
      }
    },
    free() {
      rmSync(filler, { force: true });
    },
    remove() {
      execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
