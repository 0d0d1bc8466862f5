import type { Logger } from '../log.js';
import { defineNamespace, type Namespace, type Store } from '../store/index.js';
import type { WeComClient } from '../wecom/index.js';

/** One customer of a member as the index keeps it: id, name, and the member's remark of them. */
export interface CustomerName {
  id: string;
  name: string;
  remark: string;
}

/** A member's customers by name, as read at `builtAt` and kept current since by WeCom's events. */
interface MemberIndex {
  builtAt: number;
  /** `[external_userid, name, remark]`: compact, a top member has 20,000. */
  entries: [string, string, string][];
}

/** The index is read again from WeCom after a day (a transfer's takeover sends the new member no event). */
const REBUILD_MS = 24 * 3600_000;
/** A build this many pages long (100 customers a page) is told about once: the member waits for it. */
const SLOW_PAGES = 10;

const INDEX = defineNamespace<MemberIndex>('customer-names');

/** The customer-contact events the index follows (doc 92130). */
export interface CustomerChange {
  changeType: string;
  userId: string | undefined;
  externalUserId: string | undefined;
}

/**
 * Each member's customers by name and remark, kept in the store (shared by every instance): read from WeCom
 * (batch/get_by_user, 100 a page) the first time a name is looked for among them, then kept current from
 * change_external_contact events (a customer added or edited is read once; one deleted is dropped), and read again
 * after a day. A look-up by name then reads no WeCom data.
 */
export class CustomerNames {
  private readonly kept: Namespace<MemberIndex>;
  private readonly building = new Map<string, Promise<MemberIndex>>();

  constructor(private readonly deps: { client: WeComClient; store: Store; log: Logger; now?: () => number }) {
    this.kept = deps.store.namespace(INDEX);
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  /**
   * The customers of `member`, from the index (built now when it is missing or a day old).
   * @param onSlow told once when a build turns out long (over 1,000 customers), so the asker can be told to wait.
   */
  async of(member: string, onSlow?: () => void): Promise<CustomerName[]> {
    const key = member.toLowerCase();
    const kept = await this.kept.get(key);
    const index = kept && this.now() - kept.builtAt < REBUILD_MS ? kept : await this.build(member, onSlow);
    return index.entries.map(([id, name, remark]) => ({ id, name, remark }));
  }

  /** Reads `member`'s customers from WeCom (once at a time per member in this process) and keeps them. */
  private build(member: string, onSlow?: () => void): Promise<MemberIndex> {
    const key = member.toLowerCase();
    let building = this.building.get(key);
    if (!building) {
      building = (async () => {
        const builtAt = this.now();
        const entries: [string, string, string][] = [];
        let pages = 0;
        for await (const page of this.deps.client.externalContact.iterateBatchGetByUser([member])) {
          if (++pages === SLOW_PAGES) onSlow?.();
          for (const item of page.external_contact_list) {
            entries.push([item.external_contact.external_userid, item.external_contact.name, item.follow_info.remark]);
          }
        }
        const index = { builtAt, entries };
        await this.kept.set(key, index, 2 * REBUILD_MS);
        this.deps.log.info({ event: 'customer_names.built', member, customers: entries.length, pages });
        return index;
      })().finally(() => this.building.delete(key));
      this.building.set(key, building);
    }
    return building;
  }

  /**
   * Follows a change WeCom told of, in the index of a member whose index exists (one that was never built is read
   * whole when first needed): a customer added or edited is read once (externalcontact/get), one deleted is dropped.
   */
  async apply(change: CustomerChange): Promise<void> {
    const { userId, externalUserId, changeType } = change;
    if (!userId || !externalUserId) return;
    const key = userId.toLowerCase();
    const index = await this.kept.get(key);
    if (!index) return;
    const others = index.entries.filter(([id]) => id !== externalUserId);
    let entries = others;
    if (changeType === 'add_external_contact' || changeType === 'edit_external_contact' || changeType === 'add_half_external_contact') {
      const read = await this.deps.client.externalContact.get(externalUserId).catch(() => undefined);
      if (!read) return;
      const follow = read.follow_user.find((f) => f.userid.toLowerCase() === key);
      entries = [...others, [externalUserId, read.external_contact.name, follow?.remark ?? '']];
    } else if (changeType !== 'del_external_contact' && changeType !== 'del_follow_user') return;
    await this.kept.set(key, { builtAt: index.builtAt, entries }, 2 * REBUILD_MS);
  }
}
