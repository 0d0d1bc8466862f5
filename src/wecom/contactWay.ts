import type { WeComResponse } from './types/common.js';
import type { WeComCaller } from './http.js';
import { paginateCursor } from './paginate.js';
import type { AddContactWayResponse, ContactWayConfig, GetContactWayResponse, ListContactWayResponse } from './types/contactWay.js';

const BASE = 'cgi-bin/externalcontact';

/** 「联系我」 ways (`$app->contact_way`). */
export class ContactWayApi {
  constructor(private readonly http: WeComCaller) {}

  private call<T extends WeComResponse>(path: string, body: unknown, kind: 'read' | 'write') {
    return this.http.call<T>({ method: 'POST', path: `${BASE}/${path}`, body, secret: 'contact', kind });
  }

  /** Creates a way; `scene` 2 answers with a QR code URL (add_contact_way). */
  create(type: 1 | 2, scene: 1 | 2, config: ContactWayConfig = {}): Promise<AddContactWayResponse> {
    return this.call('add_contact_way', { type, scene, ...config }, 'write');
  }

  /** A way's settings (get_contact_way). */
  get(configId: string): Promise<GetContactWayResponse> {
    return this.call('get_contact_way', { config_id: configId }, 'read');
  }

  /** Changes a way; `user` and `party` replace the old lists (update_contact_way). */
  update(configId: string, config: ContactWayConfig = {}): Promise<WeComResponse> {
    return this.call('update_contact_way', { config_id: configId, ...config }, 'write');
  }

  /** Deletes a way (del_contact_way). */
  delete(configId: string): Promise<WeComResponse> {
    return this.call('del_contact_way', { config_id: configId }, 'write');
  }

  /** Ways created through the API, one page (list_contact_way); times are unix seconds. */
  list(cursor = '', limit = 100, startTime?: number, endTime?: number): Promise<ListContactWayResponse> {
    const body: Record<string, unknown> = { cursor, limit };
    if (startTime) body.start_time = startTime;
    if (endTime) body.end_time = endTime;
    return this.call('list_contact_way', body, 'read');
  }

  /** Every page of list_contact_way. */
  iterate(limit = 100, startTime?: number, endTime?: number): AsyncGenerator<ListContactWayResponse> {
    return paginateCursor((cursor) => this.list(cursor, limit, startTime, endTime));
  }
}
