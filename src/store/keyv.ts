import type Keyv from 'keyv';
import type { Namespace } from './types.js';

/** A {@link Namespace} over one Keyv instance (memory and Redis backends). */
export function wrapKeyv<V>(kv: Keyv<V>): Namespace<V> {
  return {
    get: (key) => kv.get(key) as Promise<V | undefined>,
    set: async (key, value, ttlMs) => {
      await kv.set(key, value, ttlMs);
    },
    delete: (key) => kv.delete(key),
    entries: () => iterate(kv),
  };
}

async function* iterate<V>(kv: Keyv<V>): AsyncGenerator<[string, V]> {
  if (!kv.iterator) return;
  for await (const [key, value] of kv.iterator(undefined) as AsyncIterable<[string, V]>) {
    if (value !== undefined) yield [key, value];
  }
}
