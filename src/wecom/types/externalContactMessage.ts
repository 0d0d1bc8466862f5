import type { Attachment, TextContent } from './attachments.js';
import type { WeComResponse } from './common.js';

/** The seed docs' legacy single attachments, still accepted beside `attachments`. */
export interface LegacyParts {
  image?: { media_id?: string; pic_url?: string };
  link?: { title: string; url: string; picurl?: string; desc?: string };
  miniprogram?: { title: string; pic_media_id: string; appid: string; page: string };
}

/** The body of add_msg_template (企业群发). */
export interface MsgTemplateRequest extends LegacyParts {
  /** `single` (customers, default) or `group` (customer groups). */
  chat_type?: 'single' | 'group';
  /** ≤ 10,000 customers. */
  external_userid?: string[];
  /** Required for group messages. */
  sender?: string;
  allow_select?: boolean;
  chat_id_list?: string[];
  tag_filter?: { group_list: { tag_list: string[] }[] };
  text?: TextContent;
  /** ≤ 9. */
  attachments?: Attachment[];
}

/** The answer of `add_msg_template`: the mass message's msgid, and the customers it cannot reach. */
export interface AddMsgTemplateResponse extends WeComResponse {
  fail_list: string[];
  msgid: string;
}

/** 0 not sent, 1 sent, 2 not a friend any more, 3 already received another mass message. */
export type GroupMsgSendStatus = 0 | 1 | 2 | 3;

/** The answer of `get_group_msg_result` (mass messages created before 2020-11-17): a status per customer. */
export interface GetGroupMsgResultResponse extends WeComResponse {
  detail_list: { external_userid?: string; chat_id?: string; userid: string; status: GroupMsgSendStatus; send_time?: number }[];
  next_cursor?: string;
}

/** One page of `get_groupmsg_list_v2`: mass messages created in a period. */
export interface GroupMsgListV2Response extends WeComResponse {
  group_msg_list: {
    msgid: string;
    creator: string;
    create_time: number;
    /** 0 created by the corp, 1 by a member. */
    create_type: 0 | 1;
    text?: TextContent;
    attachments?: Attachment[];
  }[];
  next_cursor?: string;
}

/** One page of `get_groupmsg_task`: each member asked to send a mass message, and whether they did. */
export interface GroupMsgTaskResponse extends WeComResponse {
  /** status: 0 not sent, 2 sent. */
  task_list: { userid: string; status: 0 | 2; send_time?: number }[];
  next_cursor?: string;
}

/** One page of `get_groupmsg_send_result`: a status per customer of one member. */
export interface GroupMsgSendResultResponse extends WeComResponse {
  send_list: { external_userid?: string; chat_id?: string; userid: string; status: GroupMsgSendStatus; send_time?: number }[];
  next_cursor?: string;
}

/** The body of send_welcome_msg, without the code. */
export interface WelcomeMessage extends LegacyParts {
  text?: TextContent;
  attachments?: Attachment[];
}
