/**
 * The names of a Redis store's keys. Every key starts with `{prefix}` (STORE_PREFIX in braces): a Redis Cluster puts
 * keys with the same text in braces (a hash tag) in one slot, so a script or a transaction over several of them runs
 * on one node, and proxies that route a script by its first declared key accept it. Namespaces are `{prefix}.<name>`,
 * everything else `{prefix}:<what>`.
 *
 * Stores written before the hash tag (`prefix.<name>`, `prefix:<what>`) are read under their old names until the
 * migration that moves them ({@link RedisKeys.leaveLegacy}) has run.
 */
export class RedisKeys {
  constructor(
    readonly prefix: string,
    private legacy = false,
  ) {}

  /** The start of every key: `{prefix}`, or `prefix` for a store not yet moved. */
  get base(): string {
    return this.legacy ? this.prefix : `{${this.prefix}}`;
  }

  get isLegacy(): boolean {
    return this.legacy;
  }

  /** From now on, the keys have their hash-tagged names. */
  leaveLegacy(): void {
    this.legacy = false;
  }

  /** The start of the names of a store written before the hash tag. */
  get legacyBase(): string {
    return this.prefix;
  }

  /** The start of the names of a store with the hash tag. */
  get taggedBase(): string {
    return `{${this.prefix}}`;
  }

  get schema(): string {
    return `${this.base}:schema`;
  }

  get meta(): string {
    return `${this.base}:meta`;
  }

  /** The start of the inbox's keys. */
  get inbox(): string {
    return `${this.base}:inbox:`;
  }

  claim(key: string): string {
    return `${this.base}:claim:${key}`;
  }

  /** The start of the keys of the timeline `name`. */
  timeline(name: string): string {
    return `${this.base}:tl:${name}`;
  }

  /** The Keyv namespace of the store namespace `name`. */
  namespace(name: string): string {
    return `${this.base}.${name}`;
  }
}

/** Escapes Redis glob characters in a literal key part. */
export function globLiteral(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}
