import type { Logger } from '../log.js';
import type { CachedToken } from './token.js';
import { createMemoryStore, defineNamespace, type Store } from '../store/index.js';
import { EffectRecords, unitCaller, WriteJournal, type EffectRecord, type WorkUnit } from './journal.js';
import { WeComHttp, type CallReport, type WeComCaller, type WeComFault } from './http.js';
import { AppApi } from './app.js';
import { ContactsApi } from './contacts.js';
import { ContactWayApi } from './contactWay.js';
import { ExternalContactApi } from './externalContact.js';
import { ExternalContactMessageApi } from './externalContactMessage.js';
import { ExternalContactMomentApi } from './externalContactMoment.js';
import { ExternalContactStatisticsApi } from './externalContactStatistics.js';
import { MessageApi } from './message.js';

/** Access tokens per secret, shared by every instance. */
const TOKENS = defineNamespace<CachedToken>('tokens');
/** What each unit of work's WeCom writes answered, by unit and write (effects once). */
const EFFECTS = defineNamespace<EffectRecord>('effects');

export type * from './types/index.js';
export * from './app.js';
export * from './contacts.js';
export * from './contactWay.js';
export * from './errors.js';
export * from './externalContact.js';
export * from './externalContactMessage.js';
export * from './externalContactMoment.js';
export * from './externalContactStatistics.js';
export type { CallReport, CallSpec, PathTrouble, SecretKind, WeComCaller, WeComFault } from './http.js';
export { tokenCacheKey } from './token.js';
export * from './message.js';
export { mapLimit } from './concurrent.js';
export type { EffectRecord, WorkUnit } from './journal.js';

/** Options of {@link createWeComClient}. */
export interface WeComClientOptions {
  corpId: string;
  agentId: number;
  agentSecret: string;
  /** The 客户联系 secret for externalcontact APIs; defaults to `agentSecret`. */
  contactSecret?: string;
  /** API origin; defaults to `https://qyapi.weixin.qq.com`. */
  apiBase?: string;
  /** Where access tokens are cached (shared by every instance on one Redis); defaults to an in-memory store. */
  store?: Store;
  /** Per-request timeout in ms (default 10 000). */
  timeoutMs?: number;
  /** The egress proxy (default: HTTPS_PROXY / HTTP_PROXY unless NO_PROXY excludes the API host); `false` for none. */
  proxy?: string | false;
  /** Calls that may wait at once on an endpoint that has been hanging (default 2); the rest fail at once. */
  hungShare?: number;
  /** Retries of a transient failure (default 3). */
  retries?: number;
  /** First backoff delay in ms (default 200). */
  backoffBaseMs?: number;
  /** How long an API stays blocked after 45009 before it is tried again (default 60 000, WeCom's per-minute block). */
  frequencyWindowMs?: number;
  log?: Logger;
  /** Called after every HTTP request (path, errcode, duration): for counting API calls. */
  onCall?: (report: CallReport) => void;
  /** Called for each refusal no retry will cure (untrusted IP, API not allowed, secret rejected). */
  onFault?: (fault: WeComFault) => void;
}

/** A typed WeCom client for the customer-contact APIs and app messages. */
export interface WeComClient {
  externalContact: ExternalContactApi;
  contactWay: ContactWayApi;
  /** The corp's contacts (departments, members' names), read with the app's secret. */
  contacts: ContactsApi;
  /** The self-built app itself: its visible range. */
  app: AppApi;
  externalContactMessage: ExternalContactMessageApi;
  externalContactMoment: ExternalContactMomentApi;
  externalContactStatistics: ExternalContactStatisticsApi;
  message: MessageApi;
  /** The HTTP layer (tokens, retries), for calls the groups do not cover. */
  http: WeComHttp;
  /**
   * A view of this client for one unit of work that may be run again (an inbound delivery, after a crash or put off for
   * a blocked API): its writes are recorded in the client's store and a re-run does not repeat them (app messages and
   * card updates are sent at most twice), and a blocked API puts the unit off instead of making it wait.
   */
  forDelivery(unit: WorkUnit): WeComClient;
  /** Closes keep-alive sockets (and the store when the client created it). */
  close(): Promise<void>;
}

/**
 * Creates a WeCom client. Every method returns a Promise of the typed response body and throws a `WeComError`
 * when WeCom answers `errcode != 0`.
 */
export function createWeComClient(options: WeComClientOptions): WeComClient {
  const ownStore = options.store === undefined;
  const store = options.store ?? createMemoryStore();
  const http = new WeComHttp({
    corpId: options.corpId,
    agentSecret: options.agentSecret,
    contactSecret: options.contactSecret ?? options.agentSecret,
    apiBase: (options.apiBase ?? 'https://qyapi.weixin.qq.com').replace(/\/+$/, ''),
    tokenCache: store.namespace(TOKENS),
    timeoutMs: options.timeoutMs,
    ...(options.proxy !== undefined ? { proxy: options.proxy } : {}),
    ...(options.hungShare !== undefined ? { hungShare: options.hungShare } : {}),
    retries: options.retries,
    backoffBaseMs: options.backoffBaseMs,
    frequencyWindowMs: options.frequencyWindowMs,
    log: options.log,
    onCall: options.onCall,
    onFault: options.onFault,
  });
  // Recorded on every store, memory included: a delivery put off for later runs again in the same process.
  const effects = new EffectRecords(store.namespace(EFFECTS));
  // One journal per unit of work, whichever view writes (the handler's client, the channel's): their writes are
  // ranked together, so two identical writes of one delivery never share a record.
  const journals = new WeakMap<WorkUnit, WriteJournal>();
  const journalOf = (unit: WorkUnit, records: NonNullable<typeof effects>) => {
    const journal = journals.get(unit) ?? new WriteJournal(records, unit);
    journals.set(unit, journal);
    return journal;
  };
  const over = (caller: WeComCaller): WeComClient => ({
    externalContact: new ExternalContactApi(caller),
    contactWay: new ContactWayApi(caller),
    contacts: new ContactsApi(caller),
    app: new AppApi(caller, options.agentId),
    externalContactMessage: new ExternalContactMessageApi(caller),
    externalContactMoment: new ExternalContactMomentApi(caller),
    externalContactStatistics: new ExternalContactStatisticsApi(caller),
    message: new MessageApi(caller, options.agentId),
    http,
    forDelivery: (unit) => over(unitCaller(http, unit, journalOf(unit, effects))),
    async close() {
      await effects.close();
      http.close();
      if (ownStore) await store.close();
    },
  });
  const client = over(http);
  return client;
}
