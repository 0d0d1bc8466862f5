import type { WeComResponse } from './common.js';

/** Settings of a 「联系我」 way (add_contact_way / update_contact_way), besides type and scene. */
export interface ContactWayConfig {
  /** Mini-program widget style (scene 1). */
  style?: number;
  /** ≤ 30 characters. */
  remark?: string;
  /** Add without the member's confirmation; default true. */
  skip_verify?: boolean;
  /** Comes back in add_external_contact events; ≤ 30 characters. */
  state?: string;
  /** Members; one for type 1, up to 100 for type 2. */
  user?: string[];
  party?: number[];
  is_temp?: boolean;
  /** Seconds, temporary ways only; default 7 days, ≤ 14 days. */
  expires_in?: number;
  chat_expires_in?: number;
  unionid?: string;
  is_exclusive?: boolean;
  conclusions?: Record<string, unknown>;
}

/** A 「联系我」 way as get_contact_way returns it. */
export interface ContactWay extends ContactWayConfig {
  config_id: string;
  /** 1 single member, 2 several members. */
  type: 1 | 2;
  /** 1 mini-program, 2 QR code. */
  scene: 1 | 2;
  /** Present for scene 2. */
  qr_code?: string;
}

/** The answer of `add_contact_way`: the new way's config_id, and its QR code when scene is 2. */
export interface AddContactWayResponse extends WeComResponse {
  config_id: string;
  qr_code?: string;
}

/** The answer of `get_contact_way`: one way's settings. */
export interface GetContactWayResponse extends WeComResponse {
  contact_way: ContactWay;
}

/** One page of `list_contact_way`: config_ids, and the cursor of the next page. */
export interface ListContactWayResponse extends WeComResponse {
  contact_way: { config_id: string }[];
  next_cursor?: string;
}
