import type { ExternalContactProfile } from '../wecom/types/index.js';
import type { SimFollow } from './follow.js';
import { describeCustomer, describeFollow } from './names.js';
import { createRandom, hashSeed, ID_ALPHABET as ALPHABET, randomId } from './random.js';

/** Characters of an id that carry its index (62^6 > 2^32). */
const INDEX_CHARS = 6;
/** An id is `wm`/`wo` and 28 letters or digits, as WeCom's are. */
const ID_BODY = 28;

/** One round of a 4-round Feistel network on 32 bits: a permutation, so every index has one id and back. */
function round(half: number, key: number): number {
  return Math.imul(half ^ key, 0x9e37) & 0xffff;
}

/** The index as a number that looks random: a bijection of 32-bit integers keyed by the seed. */
function scramble(index: number, seed: number): number {
  let left = index >>> 16;
  let right = index & 0xffff;
  for (let r = 0; r < 4; r++) [left, right] = [right, left ^ round(right, (seed + r * 0x6d2b) & 0xffff)];
  return ((left << 16) | right) >>> 0;
}

function unscramble(value: number, seed: number): number {
  let left = value >>> 16;
  let right = value & 0xffff;
  for (let r = 3; r >= 0; r--) [left, right] = [right ^ round(left, (seed + r * 0x6d2b) & 0xffff), left];
  return ((left << 16) | right) >>> 0;
}

function base62(value: number, width: number): string {
  let out = '';
  for (let v = value, i = 0; i < width; i++, v = Math.floor(v / 62)) out = ALPHABET[v % 62] + out;
  return out;
}

function fromBase62(text: string): number | undefined {
  let v = 0;
  for (const ch of text) {
    const d = ALPHABET.indexOf(ch);
    if (d < 0) return undefined;
    v = v * 62 + d;
  }
  return v;
}

/** Who follows how many customers: members in order, each with a block of consecutive customer indexes. */
export interface PopulationLayout {
  members: readonly string[];
  counts: readonly number[];
}

/**
 * A corp's customers derived from their index instead of kept (a big corp has a million): the same seed and layout
 * give the same customer for an index on every run and every machine, and an id gives its index back. Each member
 * follows one block of consecutive indexes. Nothing is stored: the simulator keeps only what changed (a transfer, a
 * remark) on top.
 */
export class CustomerPopulation {
  readonly size: number;
  /** Where each member's block starts; one more entry: the end. */
  private readonly starts: Float64Array;
  private readonly memberIndex = new Map<string, number>();

  constructor(
    private readonly seed: number,
    private readonly layout: PopulationLayout,
    /** Unix seconds the corp is generated as of (when customers were added is counted back from it). */
    private readonly asOf: number,
    /** The corp's tag ids: a customer carries each with a small chance. */
    private readonly tagIds: readonly string[] = [],
  ) {
    this.starts = new Float64Array(layout.counts.length + 1);
    for (let i = 0; i < layout.counts.length; i++) this.starts[i + 1] = this.starts[i]! + layout.counts[i]!;
    this.size = this.starts[layout.counts.length]!;
    if (this.size > 0xffffffff) throw new Error('a population holds at most 2^32 customers');
    for (const [i, m] of layout.members.entries()) this.memberIndex.set(m, i);
  }

  /** The block of customer indexes `userid` follows (empty for a member with none). */
  rangeOf(userid: string): [number, number] {
    const k = this.memberIndex.get(userid);
    return k === undefined ? [0, 0] : [this.starts[k]!, this.starts[k + 1]!];
  }

  /** The member who follows customer `index`. */
  ownerOf(index: number): string {
    let lo = 0;
    let hi = this.layout.counts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    return this.layout.members[lo]!;
  }

  private random(kind: string, index: number): () => number {
    return createRandom(hashSeed(kind, this.seed, index));
  }

  /** The external_userid of customer `index`. */
  idOf(index: number): string {
    const r = this.random('id', index);
    const prefix = r() < 0.85 ? 'wm' : 'wo';
    return `${prefix}${base62(scramble(index, this.seed), INDEX_CHARS)}${randomId(r, '', ID_BODY - INDEX_CHARS)}`;
  }

  /** The index of customer `id`, or undefined when no customer of this population has it. */
  indexOf(id: string): number | undefined {
    if (id.length !== 2 + ID_BODY || !(id.startsWith('wm') || id.startsWith('wo'))) return undefined;
    const scrambled = fromBase62(id.slice(2, 2 + INDEX_CHARS));
    if (scrambled === undefined || scrambled > 0xffffffff) return undefined;
    const index = unscramble(scrambled, this.seed);
    return index < this.size && this.idOf(index) === id ? index : undefined;
  }

  /** Customer `index` as externalcontact/get describes them. */
  profile(index: number): ExternalContactProfile {
    const id = this.idOf(index);
    return describeCustomer(this.random('profile', index), id, id.startsWith('wm') ? 1 : 2);
  }

  /** What the member who follows customer `index` keeps about them. */
  follow(index: number): SimFollow {
    return describeFollow(this.random('follow', index), this.ownerOf(index), this.profile(index), this.tagIds, this.asOf);
  }
}
