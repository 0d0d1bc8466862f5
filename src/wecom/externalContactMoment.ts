import type { Attachment, TextContent } from './attachments.js';
import type { WeComResponse } from './errors.js';
import type { WeComHttp } from './http.js';
import { paginateCursor } from './paginate.js';

const BASE = 'cgi-bin/externalcontact';

/** The body of add_moment_task. */
export interface AddMomentTaskRequest {
  /** ≤ 2000 characters. */
  text?: TextContent;
  /** ≤ 9 images, or 1 video, or 1 link. */
  attachments?: Attachment[];
  visible_range?: {
    sender_list?: { user_list?: string[]; department_list?: number[] };
    external_contact_list?: { tag_list?: string[] };
  };
}

export interface AddMomentTaskResponse extends WeComResponse {
  /** Valid 24 h. */
  jobid: string;
}

export interface MomentTaskResultResponse extends WeComResponse {
  /** 1 started, 2 running, 3 done. */
  status: 1 | 2 | 3;
  type: string;
  result?: {
    errcode: number;
    errmsg: string;
    moment_id?: string;
    invalid_sender_list?: { user_list?: string[]; department_list?: number[] };
    invalid_external_contact_list?: { tag_list?: string[] };
  };
}

/** The body of get_moment_list (span ≤ 30 days; unix seconds). */
export interface MomentListRequest {
  start_time: number;
  end_time: number;
  creator?: string;
  /** 0 corp, 1 member, 2 all. */
  filter_type?: 0 | 1 | 2;
  cursor?: string;
  limit?: number;
}

export interface Moment {
  moment_id: string;
  creator: string;
  create_time: number;
  create_type: 0 | 1;
  /** 0 some customers, 1 all customers. */
  visible_type: 0 | 1;
  text?: TextContent;
  image?: { media_id: string }[];
  video?: { media_id: string; thumb_media_id: string };
  link?: { title: string; url: string };
  location?: { latitude: string; longitude: string; name: string };
}

export interface MomentListResponse extends WeComResponse {
  moment_list: Moment[];
  next_cursor?: string;
}

export interface MomentTaskResponse extends WeComResponse {
  /** publish_status: 0 not published, 1 published. */
  task_list: { userid: string; publish_status: 0 | 1 }[];
  next_cursor?: string;
}

export interface MomentCustomerListResponse extends WeComResponse {
  customer_list: { userid: string; external_userid: string }[];
  next_cursor?: string;
}

export interface MomentSendResultResponse extends WeComResponse {
  customer_list: { external_userid: string }[];
  next_cursor?: string;
}

export interface MomentCommentsResponse extends WeComResponse {
  comment_list: { external_userid?: string; userid?: string; create_time: number }[];
  like_list: { external_userid?: string; userid?: string; create_time: number }[];
}

/** Customer moments (`$app->external_contact_moment`). */
export class ExternalContactMomentApi {
  constructor(private readonly http: WeComHttp) {}

  private call<T extends WeComResponse>(path: string, body: unknown, kind: 'read' | 'write') {
    return this.http.call<T>({ method: 'POST', path: `${BASE}/${path}`, body, secret: 'contact', kind });
  }

  /** Publishes to customers' moments as an async job (add_moment_task). */
  createTask(param: AddMomentTaskRequest): Promise<AddMomentTaskResponse> {
    return this.call('add_moment_task', param, 'write');
  }

  /** The job's state and, when done, the moment_id (get_moment_task_result, a GET). */
  getTask(jobId: string): Promise<MomentTaskResultResponse> {
    return this.http.call({ method: 'GET', path: `${BASE}/get_moment_task_result`, query: { jobid: jobId }, secret: 'contact', kind: 'read' });
  }

  /** Moments published in a window of ≤ 30 days, one page (get_moment_list). */
  list(params: MomentListRequest): Promise<MomentListResponse> {
    return this.call('get_moment_list', params, 'read');
  }

  /** Every page of get_moment_list. */
  iterate(params: Omit<MomentListRequest, 'cursor'>): AsyncGenerator<MomentListResponse> {
    return paginateCursor((cursor) => this.list({ ...params, cursor }));
  }

  /** Which members have published a corp moment (get_moment_task). */
  getTasks(momentId: string, cursor = '', limit = 500): Promise<MomentTaskResponse> {
    return this.call('get_moment_task', { moment_id: momentId, cursor, limit }, 'read');
  }

  /** Customers a member's moment was meant for (get_moment_customer_list). */
  getCustomers(momentId: string, userId: string, cursor = '', limit = 500): Promise<MomentCustomerListResponse> {
    return this.call('get_moment_customer_list', { moment_id: momentId, userid: userId, cursor, limit }, 'read');
  }

  /** Customers a member's moment reached (get_moment_send_result). */
  getSendResult(momentId: string, userId: string, cursor = '', limit = 3000): Promise<MomentSendResultResponse> {
    return this.call('get_moment_send_result', { moment_id: momentId, userid: userId, cursor, limit }, 'read');
  }

  /** Comments and likes on a member's moment (get_moment_comments). */
  getComments(momentId: string, userId: string): Promise<MomentCommentsResponse> {
    return this.call('get_moment_comments', { moment_id: momentId, userid: userId }, 'read');
  }

  /** Every page of get_moment_task. */
  iterateTasks(momentId: string, limit = 1000): AsyncGenerator<MomentTaskResponse> {
    return paginateCursor((cursor) => this.getTasks(momentId, cursor, limit));
  }

  /** Every page of get_moment_send_result. */
  iterateSendResult(momentId: string, userId: string, limit = 5000): AsyncGenerator<MomentSendResultResponse> {
    return paginateCursor((cursor) => this.getSendResult(momentId, userId, cursor, limit));
  }

  /** Every page of get_moment_customer_list. */
  iterateCustomers(momentId: string, userId: string, limit = 1000): AsyncGenerator<MomentCustomerListResponse> {
    return paginateCursor((cursor) => this.getCustomers(momentId, userId, cursor, limit));
  }
}
