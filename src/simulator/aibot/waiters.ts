interface Waiter {
  check: () => boolean;
}

/**
 * Promises that a test awaits until something the simulator observes matches: each `notify()` (a frame arrived, a
 * card changed) re-evaluates every pending look-up.
 */
export class Waiters {
  private readonly pending = new Set<Waiter>();

  /** Resolves with the first non-undefined `find()`, checked now and on every `notify()`; rejects after `timeoutMs`. */
  waitFor<T>(find: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    const now = find();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = {
        check: () => {
          const found = find();
          if (found === undefined) return false;
          clearTimeout(timer);
          resolve(found);
          return true;
        },
      };
      const timer = setTimeout(() => {
        this.pending.delete(waiter);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      this.pending.add(waiter);
    });
  }

  /** Re-evaluates every pending look-up. */
  notify(): void {
    for (const waiter of [...this.pending]) if (waiter.check()) this.pending.delete(waiter);
  }
}
