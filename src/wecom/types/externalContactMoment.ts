import type { Attachment, TextContent } from './attachments.js';
import type { WeComResponse } from './common.js';

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

/** The answer of `add_moment_task`: the id of the asynchronous publication job. */
export interface AddMomentTaskResponse extends WeComResponse {
  /** Valid 24 h. */
  jobid: string;
}

/** The answer of `get_moment_task_result`: the job's status and, once done, the moment_id and what was invalid. */
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

/** A moment (客户朋友圈) as `get_moment_list` lists it; `creator` is absent for moments published through the API. */
export interface Moment {
  moment_id: string;
  creator?: string;
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

/** One page of `get_moment_list`. */
export interface MomentListResponse extends WeComResponse {
  moment_list: Moment[];
  next_cursor?: string;
}

/** One page of `get_moment_task`: each member asked to publish a moment, and whether they did. */
export interface MomentTaskResponse extends WeComResponse {
  /** publish_status: 0 not published, 1 published. */
  task_list: { userid: string; publish_status: 0 | 1 }[];
  next_cursor?: string;
}

/** One page of `get_moment_customer_list`: the customers who can see one member's moment. */
export interface MomentCustomerListResponse extends WeComResponse {
  customer_list: { userid: string; external_userid: string }[];
  next_cursor?: string;
}

/** One page of `get_moment_send_result`: the customers one member's moment reached. */
export interface MomentSendResultResponse extends WeComResponse {
  customer_list: { external_userid: string }[];
  next_cursor?: string;
}

/** The answer of `get_moment_comments`: comments and likes on one member's moment. */
export interface MomentCommentsResponse extends WeComResponse {
  comment_list: { external_userid?: string; userid?: string; create_time: number }[];
  like_list: { external_userid?: string; userid?: string; create_time: number }[];
}
