import type { WeComResponse } from './types/common.js';
import type { WeComCaller } from './http.js';
import { paginateCursor } from './paginate.js';
import type {
  AddMomentTaskRequest,
  AddMomentTaskResponse,
  MomentCommentsResponse,
  MomentCustomerListResponse,
  MomentListRequest,
  MomentListResponse,
  MomentSendResultResponse,
  MomentTaskResponse,
  MomentTaskResultResponse,
} from './types/externalContactMoment.js';

const BASE = 'cgi-bin/externalcontact';

/** Customer moments (`$app->external_contact_moment`). */
export class ExternalContactMomentApi {
  constructor(private readonly http: WeComCaller) {}

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
