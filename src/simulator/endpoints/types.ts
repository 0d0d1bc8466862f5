import type { Corp } from '../corp.js';
import type { Captures } from '../captures.js';

/** A request as an endpoint sees it: query without access_token, JSON body, and which secret the token came from. */
export interface SimRequest {
  query: Record<string, string>;
  body: Record<string, unknown>;
  tokenKind: 'agent' | 'contact';
}

/** What endpoints share: the corp, the app, what was captured, and tunables. */
export interface SimContext {
  corp: Corp;
  agentId: number;
  captures: Captures;
  /** groupchat/list and groupchat/statistic without owner_filter answer 81017 above this many members. */
  ownerFilterThreshold: number;
  /** Whom get_user_behavior_data's partyid counts (see SimulatorOptions.partyReading). */
  partyReading: 'direct' | 'recursive';
  /** app messages per member per minute before WeCom drops them silently. */
  messagesPerMemberPerMinute: number;
  /** …and per hour (WeCom: 1,000). */
  messagesPerMemberPerHour?: number;
}

/** One simulated API endpoint. */
export interface Endpoint {
  method: 'GET' | 'POST';
  /** Path under /cgi-bin/, e.g. `externalcontact/list`. */
  path: string;
  /** Which token the endpoint takes: the app's, or either (customer contact accepts both). */
  token: 'agent' | 'any';
  handle(req: SimRequest, ctx: SimContext): Record<string, unknown>;
}
