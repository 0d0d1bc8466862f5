import { defineNamespace, type Namespace, type Store } from '../store/index.js';

/** Who started the transfer of a customer, for the transfer_fail notice. */
export interface TransferOrigin {
  by: string;
  from: string;
  to: string;
  at: number;
}

/** A customer the bot handed over, until WeCom takes them over (24 h) and a little longer. */
export interface PendingTransfer {
  from: string;
  to: string;
  by: string;
  at: number;
  /** When WeCom's takeover came (add_external_contact for `to`): no longer in transfer, still known as transferred. */
  takenOver?: number;
}

/** A transfer_fail can come days later (WeCom takes over after 24 h): origins are kept a week. */
const ORIGIN_TTL_MS = 7 * 24 * 3600_000;
/** How long a started transfer is remembered: WeCom's 24 h, and an hour to spare. */
const PENDING_TTL_MS = 25 * 3600_000;

/** Who started the latest transfer involving a member, by `member:<userid>`. */
const ORIGINS = defineNamespace<TransferOrigin>('transfers');
/**
 * Customers whose transfer the bot started and WeCom has not finished: WeCom answers 40129 for them, and its docs do
 * not say they leave get_unassigned_list before the takeover, so the bot keeps them itself.
 */
const PENDING = defineNamespace<PendingTransfer>('pending-transfers');

/**
 * The ledger of the transfers the bot started, in the store (shared by every instance): which customers wait for
 * WeCom's takeover, and who started the latest transfer involving each member.
 */
export class TransferLedger {
  private readonly origins: Namespace<TransferOrigin>;
  private readonly pending: Namespace<PendingTransfer>;

  constructor(store: Store) {
    this.origins = store.namespace(ORIGINS);
    this.pending = store.namespace(PENDING);
  }

  /** Records that `by` moved `customers` from one member to another (WeCom accepted each of them). */
  async started(customers: readonly string[], from: string, to: string, by: string): Promise<void> {
    const at = Date.now();
    const origin = { by, from, to, at };
    await this.origins.set(`member:${to.toLowerCase()}`, origin, ORIGIN_TTL_MS);
    await this.origins.set(`member:${from.toLowerCase()}`, origin, ORIGIN_TTL_MS);
    for (const id of customers) await this.pending.set(id, { from, to, by, at }, PENDING_TTL_MS);
  }

  /** Who started the latest transfer involving this member, if the bot did. */
  originOf(userid: string): Promise<TransferOrigin | undefined> {
    return this.origins.get(`member:${userid.toLowerCase()}`);
  }

  /** The customers among `ids` whose transfer is waiting for WeCom's takeover. */
  async inTransfer(ids: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (const id of ids) {
      const record = await this.pending.get(id);
      if (record !== undefined && record.takenOver === undefined) found.add(id);
    }
    return found;
  }

  /** Who started the transfer of a customer that still waits, or was taken over lately. */
  pendingOf(customer: string): Promise<PendingTransfer | undefined> {
    return this.pending.get(customer);
  }

  /** A customer's transfer failed (refused, no room): they are no longer in transfer. */
  async failed(customer: string): Promise<void> {
    await this.pending.delete(customer);
  }

  /**
   * WeCom's takeover came (add_external_contact for the takeover member): the customer is no longer in transfer, and
   * is remembered as transferred (their add_external_contact is not a new customer's) until the record expires.
   */
  async takenOver(customer: string, takeover: string): Promise<boolean> {
    const record = await this.pending.get(customer);
    if (!record || record.to.toLowerCase() !== takeover.toLowerCase()) return false;
    if (record.takenOver === undefined) await this.pending.set(customer, { ...record, takenOver: Date.now() }, PENDING_TTL_MS);
    return true;
  }
}
