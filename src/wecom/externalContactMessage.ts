import type { WeComResponse } from './types/common.js';
import type { TextContent } from './types/attachments.js';
import { WeComRequestError } from './errors.js';
import type { WeComCaller } from './http.js';
import type { AddMomentTaskRequest, AddMomentTaskResponse } from './types/externalContactMoment.js';
import { paginateCursor } from './paginate.js';
import type {
  AddMsgTemplateResponse,
  GetGroupMsgResultResponse,
  GroupMsgListV2Response,
  GroupMsgSendResultResponse,
  GroupMsgTaskResponse,
  MsgTemplateRequest,
  WelcomeMessage,
} from './types/externalContactMessage.js';

const BASE = 'cgi-bin/externalcontact';

/** Largest text of a mass or welcome message, in UTF-8 bytes. */
export const TEMPLATE_TEXT_MAX_BYTES = 4000;

function checkText(endpoint: string, text: TextContent | undefined): void {
  if (text && Buffer.byteLength(text.content, 'utf8') > TEMPLATE_TEXT_MAX_BYTES) {
    throw new WeComRequestError(endpoint, `text is ${Buffer.byteLength(text.content, 'utf8')} bytes; WeCom accepts at most ${TEMPLATE_TEXT_MAX_BYTES}`);
  }
}

/** Mass messages, welcome messages, moments (`$app->external_contact_message`). */
export class ExternalContactMessageApi {
  constructor(private readonly http: WeComCaller) {}

  private call<T extends WeComResponse>(path: string, body: unknown, kind: 'read' | 'write') {
    return this.http.call<T>({ method: 'POST', path: `${BASE}/${path}`, body, secret: 'contact', kind });
  }

  /**
   * Creates a mass message for members to send (add_msg_template).
   * @throws WeComRequestError when the text is over 4000 bytes (before any request).
   */
  async submit(msg: MsgTemplateRequest): Promise<AddMsgTemplateResponse> {
    checkText(`${BASE}/add_msg_template`, msg.text);
    return this.call('add_msg_template', msg, 'write');
  }

  /** Every page of get_groupmsg_list_v2 for one window. */
  iterateGroupmsgListV2(
    chatType: 'single' | 'group',
    startTime: number,
    endTime: number,
    creator?: string,
    filterType?: 0 | 1 | 2,
    limit?: number,
  ): AsyncGenerator<GroupMsgListV2Response> {
    return paginateCursor((cursor) => this.getGroupmsgListV2(chatType, startTime, endTime, creator, filterType, limit, cursor || undefined));
  }

  /**
   * Reminds the senders of a mass message who have not sent it yet (remind_groupmsg_send, doc 97610): WeCom takes at
   * most three reminders of one mass message in 24 hours.
   */
  remind(msgId: string): Promise<WeComResponse> {
    return this.call('remind_groupmsg_send', { msgid: msgId }, 'write');
  }

  /** Stops a mass message its senders have not sent yet (cancel_groupmsg_send, doc 97611); what was sent stays sent. */
  cancel(msgId: string): Promise<WeComResponse> {
    return this.call('cancel_groupmsg_send', { msgid: msgId }, 'write');
  }

  /** Send results of an old mass message (get_group_msg_result). */
  get(msgId: string, limit = 10000, cursor?: string): Promise<GetGroupMsgResultResponse> {
    return this.call('get_group_msg_result', { msgid: msgId, limit, cursor: cursor ?? null }, 'read');
  }

  /** Every page of get_group_msg_result. */
  iterateGroupMsgResult(msgId: string, limit = 10000): AsyncGenerator<GetGroupMsgResultResponse> {
    return paginateCursor((cursor) => this.get(msgId, limit, cursor || undefined));
  }

  /** Mass messages created in a window of ≤ 1 month (get_groupmsg_list_v2); times are unix seconds. */
  getGroupmsgListV2(
    chatType: 'single' | 'group',
    startTime: number,
    endTime: number,
    creator?: string,
    filterType?: 0 | 1 | 2,
    limit?: number,
    cursor?: string,
  ): Promise<GroupMsgListV2Response> {
    const body = { chat_type: chatType, start_time: startTime, end_time: endTime, creator, filter_type: filterType, limit, cursor };
    return this.call('get_groupmsg_list_v2', body, 'read');
  }

  /** Which members have sent a mass message (get_groupmsg_task). */
  getGroupmsgTask(msgId: string, limit?: number, cursor?: string): Promise<GroupMsgTaskResponse> {
    return this.call('get_groupmsg_task', { msgid: msgId, limit, cursor }, 'read');
  }

  /** Every page of get_groupmsg_task. */
  iterateGroupmsgTask(msgId: string, limit = 1000): AsyncGenerator<GroupMsgTaskResponse> {
    return paginateCursor((cursor) => this.getGroupmsgTask(msgId, limit, cursor || undefined));
  }

  /** Per-customer results of one member's sending (get_groupmsg_send_result). */
  getGroupmsgSendResult(msgId: string, userid: string, limit?: number, cursor?: string): Promise<GroupMsgSendResultResponse> {
    return this.call('get_groupmsg_send_result', { msgid: msgId, userid, limit, cursor }, 'read');
  }

  /** Every page of get_groupmsg_send_result. */
  iterateGroupmsgSendResult(msgId: string, userid: string, limit = 1000): AsyncGenerator<GroupMsgSendResultResponse> {
    return paginateCursor((cursor) => this.getGroupmsgSendResult(msgId, userid, limit, cursor || undefined));
  }

  /**
   * Sends the welcome message of an add_external_contact event within its 20 s (send_welcome_msg). Once per code:
   * a second call answers 41051.
   */
  async sendWelcome(welcomeCode: string, msg: WelcomeMessage): Promise<WeComResponse> {
    checkText(`${BASE}/send_welcome_msg`, msg.text);
    return this.call('send_welcome_msg', { ...msg, welcome_code: welcomeCode }, 'write');
  }

  /** The seed docs' older name for add_moment_task: publishes to customers' moments. */
  moments(msg: AddMomentTaskRequest): Promise<AddMomentTaskResponse> {
    return this.call('add_moment_task', msg, 'write');
  }
}
