import type { WeComResponse } from './common.js';

/** The answer of `agent/get` (doc 90227): the app, and its visible range (可见范围). */
export interface AgentGetResponse extends WeComResponse {
  agentid: number;
  name: string;
  square_logo_url?: string;
  description?: string;
  /** Members in the visible range by name. */
  allow_userinfos?: { user?: { userid: string }[] };
  /** Departments in the visible range (1 is the whole corp). */
  allow_partys?: { partyid?: number[] };
  /** Tags in the visible range. */
  allow_tags?: { tagid?: number[] };
  /** 1 when the app is disabled. */
  close?: 0 | 1;
  redirect_domain?: string;
  home_url?: string;
}
