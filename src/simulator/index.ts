import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEMO_CORP_ID, type WeComConfig } from '../config.js';
import { Captures } from './captures.js';
import { SimClock } from './clock.js';
import { CallbackSender, type CallbackFields } from './callbacks.js';
import type { Corp } from './corp.js';
import { appEndpoints } from './endpoints/app.js';
import { contactEndpoints } from './endpoints/contacts.js';
import { contactWayEndpoints } from './endpoints/contactWays.js';
import { customerEndpoints } from './endpoints/customers.js';
import { groupChatEndpoints } from './endpoints/groupchats.js';
import { messageEndpoints } from './endpoints/messages.js';
import { momentEndpoints } from './endpoints/moments.js';
import { statisticsEndpoints } from './endpoints/statistics.js';
import { tagEndpoints } from './endpoints/tags.js';
import { transferEndpoints } from './endpoints/transfers.js';
import type { Endpoint, SimContext } from './endpoints/types.js';
import { FaultInjector, type FaultOptions } from './faults.js';
import { generateCorp, type DemoCorpOptions } from './generate.js';
import { createApiPipeline, type RecordedRequest } from './pipeline.js';
import { DEFAULT_MINUTE_LIMITS, RateLimiter, type MinuteLimits } from './rates.js';
import { Scenarios } from './scenarios.js';
import { TokenIssuer } from './tokens.js';

export { Captures, type CapturedMessage, type CapturedCardUpdate } from './captures.js';
export { Corp, dayStart } from './corp.js';
export { SimClock } from './clock.js';
export type { FaultOptions } from './faults.js';
export type { RecordedRequest } from './pipeline.js';

/** Options of {@link createSimulator}. */
export interface SimulatorOptions extends DemoCorpOptions {
  corpId?: string;
  agentId?: number;
  agentSecret?: string;
  /** Defaults to a secret of its own (the 客户联系 secret). */
  contactSecret?: string;
  token?: string;
  encodingAesKey?: string;
  /** Listen address; default 127.0.0.1 on a free port. */
  host?: string;
  port?: number;
  /** Access-token lifetime (WeCom: 7200 s). */
  tokenTtlSeconds?: number;
  /** How long a customer transfer waits before the takeover; default WeCom's 24 h (move {@link Simulator.clock}). */
  transferDelayMs?: number;
  /** How long an add_moment_task job runs; default 200 ms. */
  momentJobDelayMs?: number;
  /** How long a welcome code lives (WeCom: 20 s). */
  welcomeCodeTtlMs?: number;
  /** groupchat/list without owner_filter answers 81017 when the corp has more members than this (WeCom: 1000). */
  ownerFilterThreshold?: number;
  /**
   * Whom get_user_behavior_data's `partyid` counts: each department's own members (`direct`, the default: the stricter
   * reading, WeCom's doc 92132 does not say) or those of its sub-departments too (`recursive`, for a test that a caller
   * is right under both).
   */
  partyReading?: 'direct' | 'recursive';
  /** App messages per member per minute before WeCom drops them (WeCom: 30). */
  messagesPerMemberPerMinute?: number;
  /** …and per hour (WeCom: 1,000). */
  messagesPerMemberPerHour?: number;
  /** Per-minute limits of single APIs beyond WeCom's documented ones (add_moment_task: 10), e.g. to test 45009. */
  minuteLimits?: MinuteLimits;
  /** The window (and the block after a limit is passed) of those limits; WeCom: 60 000 ms. */
  rateWindowMs?: number;
  /** The bot's base URL, for callbacks. */
  botUrl?: string;
  faults?: FaultOptions;
}

/** A running WeCom simulator. */
export interface Simulator {
  /** API origin, to use as WECOM_API_BASE. */
  url: string;
  corpId: string;
  agentId: number;
  agentSecret: string;
  contactSecret: string;
  token: string;
  encodingAesKey: string;
  corp: Corp;
  /** The corp's time: `sim.clock.advance(25 * 3600_000)` lets a day pass (transfers are taken over). */
  clock: SimClock;
  /** What the bot sent (message/send, update_template_card). */
  captures: Captures;
  /** Every API request, in order. */
  requests: RecordedRequest[];
  /** Fault injection knobs; change them at any time. */
  faults: FaultOptions;
  /** Where callbacks go. */
  botUrl: string | undefined;
  /** The config a bot needs to talk to this simulator. */
  wecomConfig(): WeComConfig;
  /** The same as environment variables of the contract (WECOM_CORP_ID …), for a bot started as a process. */
  botEnv(): Record<string, string>;
  /** Requests to one path (e.g. `externalcontact/transfer_customer`). */
  calls(path: string): RecordedRequest[];
  /** Makes every issued access token expire now (the next call with one answers 42001). */
  expireTokens(): void;
  /** An admin resets the app's (or the 客户联系) secret in the console: the old one is refused; returns the new one. */
  rotateSecret(kind: 'agent' | 'contact'): string;
  /** A member types `content` to the app. Resolves with the HTTP statuses of the `times` deliveries. */
  sendText(userid: string, content: string, times?: number): Promise<number[]>;
  /** A sealed callback (query string and body) as WeCom would POST it, for callers that deliver it themselves. */
  envelope(fields: CallbackFields): { query: string; body: string };
  /** Delivers any callback (event or message) `times` times. */
  deliver(fields: CallbackFields, times?: number): Promise<number[]>;
  /**
   * A customer adds a member: the link is created, a welcome code issued (valid 20 s), and add_external_contact sent.
   */
  addExternalContact(
    userid: string,
    opts?: { externalUserId?: string; state?: string; withWelcomeCode?: boolean; times?: number; half?: boolean },
  ): Promise<{ externalUserId: string; welcomeCode: string | undefined; statuses: number[] }>;
  /** A member clicks a button of a card the bot sent: template_card_event with a fresh response_code. */
  clickCard(userid: string, taskId: string, eventKey: string, times?: number): Promise<number[]>;
  /** With 会话存档: the customer agrees, and msg_audit_approved brings a welcome code that can be used. */
  approveArchive(userid: string, externalUserId: string): Promise<{ welcomeCode: string; statuses: number[] }>;
  /** A waiting transfer fails (customer refused or takeover full) and transfer_fail is sent. */
  failTransfer(externalUserId: string, reason: 'customer_refused' | 'customer_limit_exceed'): Promise<number[]>;
  /** A customer deletes a member (del_follow_user); the member keeps the customer one-way. */
  customerDeletesMember(userid: string, opts?: { externalUserId?: string; times?: number }): Promise<{ externalUserId: string; statuses: number[] }>;
  /** A member deletes a customer (del_external_contact, not a transfer). */
  memberDeletesCustomer(userid: string, externalUserId: string, times?: number): Promise<number[]>;
  /** The owner dismisses a customer group chat (change_external_chat dismiss); it is gone. */
  dismissChat(chatId: string, times?: number): Promise<number[]>;
  /** Resolves when the events of what has fallen due so far (transfers taken over, refused) have reached the bot. */
  eventsSent(): Promise<void>;
  close(): Promise<void>;
}

/** WeCom takes a transferred customer over 24 hours after the transfer (docs 96325, 96331). */
const TRANSFER_DELAY_MS = 24 * 3600_000;

/** Every API the simulator serves. */
export const ENDPOINTS: readonly Endpoint[] = [
  ...customerEndpoints,
  ...transferEndpoints,
  ...groupChatEndpoints,
  ...tagEndpoints,
  ...contactWayEndpoints,
  ...messageEndpoints,
  ...momentEndpoints,
  ...statisticsEndpoints,
  ...appEndpoints,
  ...contactEndpoints,
];

/** A random EncodingAESKey, as the admin console makes one. */
export function aesKey(): string {
  // 43 base64 characters without '+' or '/' decode to 32 bytes.
  return `${randomBytes(32).toString('base64').replace(/[+/=]/g, '').padEnd(43, 'A').slice(0, 42)}A`;
}

/**
 * Starts a stateful WeCom simulator on loopback: gettoken and every customer-contact and app-message endpoint the
 * client calls, with WeCom's validation, errcodes, pagination and state changes, a seeded demo corp, captured
 * messages, callbacks to the bot with WeCom's crypto, and fault injection.
 */
export async function createSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const corpId = options.corpId ?? DEMO_CORP_ID;
  const agentId = options.agentId ?? 1000002;
  const agentSecret = options.agentSecret ?? randomBytes(24).toString('base64url');
  const contactSecret = options.contactSecret ?? randomBytes(24).toString('base64url');
  const token = options.token ?? randomBytes(12).toString('hex');
  const encodingAesKey = options.encodingAesKey ?? aesKey();

  const clock = new SimClock();
  const corp = generateCorp(
    options,
    {
      transferDelayMs: options.transferDelayMs ?? TRANSFER_DELAY_MS,
      momentJobDelayMs: options.momentJobDelayMs ?? 200,
      welcomeCodeTtlMs: options.welcomeCodeTtlMs ?? 20_000,
    },
    () => clock.now(),
  );
  const captures = new Captures();
  const requests: RecordedRequest[] = [];
  const faults = new FaultInjector(options.seed ?? 1);
  faults.options = options.faults ?? {};
  const tokens = new TokenIssuer({ corpId, agentSecret, contactSecret, ttlSeconds: options.tokenTtlSeconds ?? 7200 }, corp);
  const context: SimContext = {
    corp,
    agentId,
    captures,
    ownerFilterThreshold: options.ownerFilterThreshold ?? 1000,
    partyReading: options.partyReading ?? 'direct',
    messagesPerMemberPerMinute: options.messagesPerMemberPerMinute ?? 30,
    messagesPerMemberPerHour: options.messagesPerMemberPerHour ?? 1000,
  };
  const sender = new CallbackSender({ token, encodingAesKey, receiveId: corpId }, agentId);
  sender.botUrl = options.botUrl;
  const scenarios = new Scenarios(corp, captures, sender);
  // What falls due as the corp's time passes happens then, with WeCom's events (a transfer's takeover after 24 h).
  const pendingEvents = new Set<Promise<void>>();
  corp.onSettled = (settled) => {
    const sending = scenarios.settled(settled).catch(() => undefined);
    pendingEvents.add(sending);
    void sending.finally(() => pendingEvents.delete(sending));
  };
  clock.onAdvance(() => corp.settleTransfers());
  const rates = new RateLimiter({ ...DEFAULT_MINUTE_LIMITS, ...options.minuteLimits }, options.rateWindowMs);
  const app = createApiPipeline({ endpoints: ENDPOINTS, tokens, faults, rates, context, requests });

  const server: Server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;

  const sim: Simulator = {
    url,
    corpId,
    agentId,
    agentSecret,
    contactSecret,
    token,
    encodingAesKey,
    corp,
    clock,
    captures,
    requests,
    get faults() {
      return faults.options;
    },
    set faults(value: FaultOptions) {
      faults.options = value;
    },
    get botUrl() {
      return sender.botUrl;
    },
    set botUrl(value: string | undefined) {
      sender.botUrl = value;
    },
    wecomConfig: () => ({ corpId, agentId, agentSecret, contactSecret, token, encodingAesKey, apiBase: url }),
    botEnv: () => ({
      WECOM_CORP_ID: corpId,
      WECOM_AGENT_ID: String(agentId),
      WECOM_AGENT_SECRET: agentSecret,
      WECOM_CONTACT_SECRET: contactSecret,
      WECOM_TOKEN: token,
      WECOM_ENCODING_AES_KEY: encodingAesKey,
      WECOM_API_BASE: url,
    }),
    calls: (path) => requests.filter((r) => r.path === path),
    expireTokens: () => tokens.expireAll(),
    rotateSecret: (kind) => tokens.rotate(kind),
    sendText: (userid, content, times) => scenarios.sendText(userid, content, times),
    envelope: (fields) => sender.envelope(fields),
    deliver: (fields, times = 1) => sender.deliver(fields, times),
    addExternalContact: (userid, opts) => scenarios.addExternalContact(userid, opts),
    clickCard: (userid, taskId, eventKey, times) => scenarios.clickCard(userid, taskId, eventKey, times),
    approveArchive: (userid, externalUserId) => scenarios.approveArchive(userid, externalUserId),
    failTransfer: (externalUserId, reason) => scenarios.failTransfer(externalUserId, reason),
    customerDeletesMember: (userid, opts) => scenarios.customerDeletesMember(userid, opts),
    memberDeletesCustomer: (userid, externalUserId, times) => scenarios.memberDeletesCustomer(userid, externalUserId, times),
    dismissChat: (chatId, times) => scenarios.dismissChat(chatId, times),
    eventsSent: async () => {
      while (pendingEvents.size > 0) await Promise.all([...pendingEvents]);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return sim;
}
