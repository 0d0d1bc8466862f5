import { randomBytes } from 'node:crypto';
import type { Locale } from '../config.js';
import { defineNamespace, type Namespace, type Store } from '../store/index.js';
import type { ArgValues } from './command.js';

/** Proposals waiting for their proposer's decision, by code. */
const PENDING = defineNamespace<Proposal>('pending');
/** The codes of the proposals on each subject, oldest first. */
const SUBJECTS = defineNamespace<string[]>('proposal-subjects');

/** How long a proposal can be confirmed. */
export const PROPOSAL_TTL_MS = 10 * 60 * 1000;

/** A proposed action waiting for its proposer's confirmation. */
export interface Proposal {
  /** Short code for the typed fallback (`/确认 K7Q2XM`). */
  code: string;
  /** The card's task_id. */
  taskId: string;
  userid: string;
  commandId: string;
  actionId: string;
  args: ArgValues;
  payload: unknown;
  locale: Locale;
  createdAt: number;
  expiresAt: number;
  /** From message/send: lets a typed confirmation update the card once. */
  sendResponseCode?: string;
  /** What it is about (see Plan.subject). */
  subject?: string;
  /** The code of the newer proposal on the same subject that retired this one. */
  retiredBy?: string;
  /** The CorpID it was proposed in: a proposal of another corp is unknown here (absent before schema 1). */
  corp?: string;
}

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A code that is easy to read and type (no 0/O, 1/I). */
function newCode(): string {
  return [...randomBytes(6)].map((b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('');
}

/**
 * Proposals in the store (a restart keeps them), found by code or by the card's task_id, executed at most once
 * across clicks, redeliveries and instances.
 */
export class ProposalStore {
  private readonly pending: Namespace<Proposal>;

  constructor(
    private readonly store: Store,
    private readonly ttlMs: number = PROPOSAL_TTL_MS,
    private readonly now: () => number = Date.now,
    private readonly corpId?: string,
  ) {
    this.pending = store.namespace(PENDING);
    this.subjects = store.namespace(SUBJECTS);
  }

  private readonly subjects: Namespace<string[]>;

  /**
   * Retires the proposals on `newer`'s subject that still wait for a decision: each is marked as replaced by `newer`
   * and decided, so neither its card nor its code can run it any more.
   * @returns the proposals it retired (their cards are to be updated).
   */
  async supersede(newer: Proposal): Promise<Proposal[]> {
    if (!newer.subject) return [];
    const codes = (await this.subjects.get(newer.subject)) ?? [];
    const retired: Proposal[] = [];
    for (const code of codes) {
      const older = await this.pending.get(code);
      if (!older || older.code === newer.code || older.retiredBy || this.isExpired(older)) continue;
      const holder = `superseded:${newer.code}`;
      if ((await this.store.claimFor(`decided:${older.code}`, holder, this.ttlMs + 3600_000)) !== holder) continue; // decided already
      const marked = { ...older, retiredBy: newer.code };
      await this.update(marked);
      retired.push(marked);
    }
    await this.subjects.set(newer.subject, [newer.code], this.ttlMs + 3600_000);
    return retired;
  }

  /** Stores a new proposal; kept an hour past expiry so a late click is told "expired", not "unknown". */
  async create(fields: Omit<Proposal, 'code' | 'taskId' | 'createdAt' | 'expiresAt'>): Promise<Proposal> {
    const code = newCode();
    const createdAt = this.now();
    const proposal: Proposal = {
      ...fields,
      ...(this.corpId ? { corp: this.corpId } : {}),
      code,
      taskId: `cf_${code}_${randomBytes(4).toString('hex')}`,
      createdAt,
      expiresAt: createdAt + this.ttlMs,
    };
    await this.pending.set(code, proposal, this.ttlMs + 3600_000);
    return proposal;
  }

  async update(proposal: Proposal): Promise<void> {
    await this.pending.set(proposal.code, proposal, Math.max(1000, proposal.expiresAt + 3600_000 - this.now()));
  }

  /** The proposal of a typed code (case-insensitive). */
  byCode(code: string): Promise<Proposal | undefined> {
    return this.ours(this.pending.get(code.trim().toUpperCase()));
  }

  /** The proposal of a card's task_id. */
  byTaskId(taskId: string): Promise<Proposal | undefined> {
    const code = /^cf_([A-Z2-9]+)_/.exec(taskId)?.[1];
    return code ? this.ours(this.pending.get(code)) : Promise.resolve(undefined);
  }

  /** A proposal of another corp is not one here. */
  private async ours(found: Promise<Proposal | undefined>): Promise<Proposal | undefined> {
    const proposal = await found;
    return proposal && (!proposal.corp || !this.corpId || proposal.corp === this.corpId) ? proposal : undefined;
  }

  isExpired(proposal: Proposal): boolean {
    return this.now() > proposal.expiresAt;
  }

  /**
   * True for the first decision (confirm or cancel) only: the proposal is single-use. The decision is held by the
   * delivery that made it (`deliveryKey`: the click or the typed code), so when that delivery runs again after a crash it is
   * still its decision, and the action it confirmed resumes instead of being called "already handled".
   */
  async decide(proposal: Proposal, deliveryKey?: string): Promise<boolean> {
    const decider = deliveryKey ?? `once:${randomBytes(8).toString('hex')}`;
    return (await this.store.claimFor(`decided:${proposal.code}`, decider, this.ttlMs + 3600_000)) === decider;
  }
}
