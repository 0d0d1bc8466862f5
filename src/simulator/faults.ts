import { createRandom, hashSeed } from './random.js';

/** Fault injection: what the simulator does to requests before handling them. */
export interface FaultOptions {
  /** Share of requests answered with each errcode instead of being handled, e.g. `{ '-1': 0.1, 45009: 0.05 }`. */
  errcodeRates?: Partial<Record<number, number>>;
  /** Share of requests answered with HTTP 500. */
  http500Rate?: number;
  /** Share of requests whose connection is dropped without an answer. */
  dropRate?: number;
  /** Delay added to every request, in ms. */
  latencyMs?: number;
  /** Only paths (under /cgi-bin/) matching this are affected; default every path but gettoken. */
  paths?: RegExp;
}

/** What to do with one request. */
export type FaultDecision = { kind: 'none' } | { kind: 'errcode'; errcode: number } | { kind: 'http500' } | { kind: 'drop' };

/** Decides faults with a seeded PRNG, so a failing run can be replayed. */
export class FaultInjector {
  options: FaultOptions = {};
  private readonly random: () => number;

  constructor(seed: number) {
    this.random = createRandom(hashSeed('faults', seed));
  }

  applies(path: string): boolean {
    return this.options.paths ? this.options.paths.test(path) : path !== 'gettoken';
  }

  decide(path: string): FaultDecision {
    if (!this.applies(path)) return { kind: 'none' };
    const { dropRate = 0, http500Rate = 0, errcodeRates = {} } = this.options;
    if (dropRate > 0 && this.random() < dropRate) return { kind: 'drop' };
    if (http500Rate > 0 && this.random() < http500Rate) return { kind: 'http500' };
    for (const [code, rate] of Object.entries(errcodeRates)) {
      if (rate && this.random() < rate) return { kind: 'errcode', errcode: Number(code) };
    }
    return { kind: 'none' };
  }

  latency(path: string): number {
    return this.applies(path) ? (this.options.latencyMs ?? 0) : 0;
  }
}
