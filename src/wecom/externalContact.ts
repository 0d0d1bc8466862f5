import type { WeComResponse } from './errors.js';
import type { WeComHttp } from './http.js';
import { paginateCursor } from './paginate.js';

const BASE = 'cgi-bin/externalcontact';

/** A corp tag as attached to a follow user (get). */
export interface FollowUserTag {
  group_name: string;
  tag_name: string;
  tag_id?: string;
  /** 1 corp tag, 2 personal tag, 3 strategy (规则组) tag. */
  type: 1 | 2 | 3;
}

/** The customer's own profile. */
export interface ExternalContactProfile {
  external_userid: string;
  name: string;
  position?: string;
  avatar?: string;
  corp_name?: string;
  corp_full_name?: string;
  /** 1 WeChat user, 2 WeCom user. */
  type: 1 | 2;
  /** 0 unknown, 1 male, 2 female. */
  gender: 0 | 1 | 2;
  unionid?: string;
  external_profile?: Record<string, unknown>;
}

/** Fields a member keeps about a customer (shared by get and batch/get_by_user). */
interface FollowFields {
  userid: string;
  remark: string;
  description: string;
  /** Unix seconds when the member added the customer. */
  createtime: number;
  remark_corp_name?: string;
  remark_mobiles?: string[];
  oper_userid?: string;
  /** How the customer was added (0 unknown … 202 admin assignment); see the docs' add_way table. */
  add_way: number;
  state?: string;
}

/** A member following the customer, as `get` returns it. */
export interface FollowUser extends FollowFields {
  tags: FollowUserTag[];
}

/** A member following the customer, as batch/get_by_user returns it (tag ids only). */
export interface FollowInfo extends FollowFields {
  tag_id: string[];
}

export interface GetFollowUserListResponse extends WeComResponse {
  follow_user: string[];
}

export interface ListExternalContactResponse extends WeComResponse {
  external_userid: string[];
}

export interface GetExternalContactResponse extends WeComResponse {
  external_contact: ExternalContactProfile;
  follow_user: FollowUser[];
  next_cursor?: string;
}

export interface BatchGetByUserResponse extends WeComResponse {
  external_contact_list: { external_contact: ExternalContactProfile; follow_info: FollowInfo }[];
  next_cursor?: string;
}

/** The body of `remark`. */
export interface RemarkRequest {
  userid: string;
  external_userid: string;
  /** ≤ 20 characters. */
  remark?: string;
  /** ≤ 150 characters. */
  description?: string;
  /** ≤ 20 characters. */
  remark_company?: string;
  /** [""] clears them. */
  remark_mobiles?: string[];
  remark_pic_mediaid?: string;
}

export interface UnassignedInfo {
  handover_userid: string;
  external_userid: string;
  /** Unix seconds of the member's departure. */
  dimission_time: number;
}

export interface GetUnassignedListResponse extends WeComResponse {
  info: UnassignedInfo[];
  is_last: boolean;
  next_cursor?: string;
}

/** Per-customer outcome of a transfer: errcode 0 = transfer started. */
export interface TransferCustomerResponse extends WeComResponse {
  customer: { external_userid: string; errcode: number }[];
}

/** 1 done, 2 waiting, 3 refused by the customer, 4 takeover member at its limit, 5 no transfer record. */
export type TransferStatus = 1 | 2 | 3 | 4 | 5;

export interface TransferResultResponse extends WeComResponse {
  customer: { external_userid: string; status: TransferStatus; takeover_time?: number }[];
  next_cursor?: string;
}

/** The legacy get_transfer_result answer. */
export interface GetTransferResultResponse extends WeComResponse {
  status: TransferStatus;
  takeover_time?: number;
}

export interface GroupChatTransferResponse extends WeComResponse {
  failed_chat_list: { chat_id: string; errcode: number; errmsg: string }[];
}

/** The body of groupchat/list. */
export interface GroupChatListRequest {
  /** 0 all, 1 resigned owner awaiting transfer, 2 transfer in progress, 3 transfer done. */
  status_filter?: 0 | 1 | 2 | 3;
  owner_filter?: { userid_list?: string[]; partyid_list?: number[] };
  cursor?: string;
  /** 1..1000, required. */
  limit: number;
  /** Deprecated offset paging. */
  offset?: number;
}

export interface GroupChatListResponse extends WeComResponse {
  group_chat_list: { chat_id: string; status: 0 | 1 | 2 | 3 }[];
  next_cursor?: string;
}

export interface GroupChatMember {
  userid: string;
  /** 1 member, 2 external contact. */
  type: 1 | 2;
  unionid?: string;
  join_time: number;
  /** 1 invited directly, 2 invited by link, 3 QR code. */
  join_scene: 1 | 2 | 3;
  invitor?: { userid: string };
  group_nickname?: string;
  name?: string;
  state?: string;
}

export interface GroupChatDetail {
  chat_id: string;
  name: string;
  owner: string;
  create_time: number;
  notice?: string;
  member_list: GroupChatMember[];
  admin_list: { userid: string }[];
  member_version?: string;
}

export interface GroupChatGetResponse extends WeComResponse {
  group_chat: GroupChatDetail;
}

export interface CorpTag {
  id: string;
  name: string;
  create_time: number;
  /** Larger first. */
  order: number;
  deleted?: boolean;
}

export interface CorpTagGroup {
  group_id: string;
  group_name: string;
  create_time: number;
  order: number;
  deleted?: boolean;
  tag: CorpTag[];
}

export interface GetCorpTagListResponse extends WeComResponse {
  tag_group: CorpTagGroup[];
}

/** The body of add_corp_tag: into `group_id`, or a new group `group_name`. */
export interface AddCorpTagRequest {
  group_id?: string;
  /** ≤ 30 characters. */
  group_name?: string;
  order?: number;
  tag: { name: string; order?: number }[];
  agentid?: number;
}

export interface AddCorpTagResponse extends WeComResponse {
  tag_group: CorpTagGroup;
}

/** The body of mark_tag. */
export interface MarkTagRequest {
  userid: string;
  external_userid: string;
  add_tag?: string[];
  remove_tag?: string[];
}

/**
 * 客户联系 base APIs: members, customers, transfers, group chats, corp tags. Method names and argument order follow
 * the seed docs (`$app->external_contact`).
 */
export class ExternalContactApi {
  constructor(private readonly http: WeComHttp) {}

  private read<T extends WeComResponse>(method: 'GET' | 'POST', path: string, args: { query?: Record<string, string | undefined>; body?: unknown }) {
    return this.http.call<T>({ method, path: `${BASE}/${path}`, ...args, secret: 'contact', kind: 'read' });
  }

  private write<T extends WeComResponse>(path: string, body: unknown) {
    return this.http.call<T>({ method: 'POST', path: `${BASE}/${path}`, body, secret: 'contact', kind: 'write' });
  }

  /** Members with customer contact enabled (get_follow_user_list). */
  getFollowUsers(): Promise<GetFollowUserListResponse> {
    return this.read('GET', 'get_follow_user_list', {});
  }

  /** A member's customers, all external_userids in one answer (list). */
  list(userId: string): Promise<ListExternalContactResponse> {
    return this.read('GET', 'list', { query: { userid: userId } });
  }

  /** A customer's profile and follow users (get); `cursor` only past 500 follow users. */
  get(externalUserId: string, cursor?: string): Promise<GetExternalContactResponse> {
    return this.read('GET', 'get', { query: { external_userid: externalUserId, cursor: cursor || undefined } });
  }

  /** Customer details of up to 100 members, one page (batch/get_by_user; `limit` ≤ 100). */
  batchGetByUser(userIdList: string[], cursor = '', limit = 100): Promise<BatchGetByUserResponse> {
    return this.read('POST', 'batch/get_by_user', { body: { userid_list: userIdList, cursor, limit } });
  }

  /** Every page of batch/get_by_user. */
  iterateBatchGetByUser(userIdList: string[], limit = 100): AsyncGenerator<BatchGetByUserResponse> {
    return paginateCursor((cursor) => this.batchGetByUser(userIdList, cursor, limit));
  }

  /** Changes a member's remark, description, company or phone numbers of a customer (remark). */
  remark(data: RemarkRequest): Promise<WeComResponse> {
    return this.write('remark', data);
  }

  /** Customers of resigned members awaiting assignment (get_unassigned_list). */
  getUnassigned(pageId?: number, pageSize = 1000, cursor?: string): Promise<GetUnassignedListResponse> {
    const body: Record<string, unknown> = {};
    if (pageId !== undefined) body.page_id = pageId;
    body.page_size = pageSize;
    if (cursor) body.cursor = cursor;
    return this.read('POST', 'get_unassigned_list', { body });
  }

  /** Every page of get_unassigned_list, walking the cursor. */
  iterateUnassigned(pageSize = 1000): AsyncGenerator<GetUnassignedListResponse> {
    return paginateCursor((cursor) => this.getUnassigned(undefined, pageSize, cursor || undefined));
  }

  /** The legacy single-customer reassignment (transfer). Prefer transferCustomer / resignedTransferCustomer. */
  transfer(externalUserId: string, handoverUserId: string, takeoverUserId: string, transferSuccessMessage?: string): Promise<WeComResponse> {
    return this.write('transfer', {
      external_userid: externalUserId,
      handover_userid: handoverUserId,
      takeover_userid: takeoverUserId,
      transfer_success_msg: transferSuccessMessage,
    });
  }

  /** 在职继承: hands up to 100 customers of a member in service to another (transfer_customer). */
  transferCustomer(
    externalUserIds: string[],
    handoverUserId: string,
    takeoverUserId: string,
    transferSuccessMessage?: string,
  ): Promise<TransferCustomerResponse> {
    return this.write('transfer_customer', {
      handover_userid: handoverUserId,
      takeover_userid: takeoverUserId,
      external_userid: externalUserIds,
      transfer_success_msg: transferSuccessMessage,
    });
  }

  /** 离职继承: hands up to 100 customers of a resigned member to another (resigned/transfer_customer). */
  resignedTransferCustomer(externalUserIds: string[], handoverUserId: string, takeoverUserId: string): Promise<TransferCustomerResponse> {
    return this.write('resigned/transfer_customer', {
      handover_userid: handoverUserId,
      takeover_userid: takeoverUserId,
      external_userid: externalUserIds,
    });
  }

  /** Status of in-service transfers between two members, one page (transfer_result). */
  transferResult(handoverUserId: string, takeoverUserId: string, cursor?: string): Promise<TransferResultResponse> {
    return this.read('POST', 'transfer_result', {
      body: { handover_userid: handoverUserId, takeover_userid: takeoverUserId, cursor: cursor ?? '' },
    });
  }

  /** Every page of transfer_result. */
  iterateTransferResult(handoverUserId: string, takeoverUserId: string): AsyncGenerator<TransferResultResponse> {
    return paginateCursor((cursor) => this.transferResult(handoverUserId, takeoverUserId, cursor));
  }

  /** Status of resigned-member transfers, one page (resigned/transfer_result). */
  resignedTransferResult(handoverUserId: string, takeoverUserId: string, cursor?: string): Promise<TransferResultResponse> {
    return this.read('POST', 'resigned/transfer_result', {
      body: { handover_userid: handoverUserId, takeover_userid: takeoverUserId, cursor: cursor ?? '' },
    });
  }

  /** Every page of resigned/transfer_result. */
  iterateResignedTransferResult(handoverUserId: string, takeoverUserId: string): AsyncGenerator<TransferResultResponse> {
    return paginateCursor((cursor) => this.resignedTransferResult(handoverUserId, takeoverUserId, cursor));
  }

  /** Gives up to 100 group chats of a resigned owner to a new owner (groupchat/transfer). */
  transferGroupChat(chatIds: string[], newOwner: string): Promise<GroupChatTransferResponse> {
    return this.write('groupchat/transfer', { chat_id_list: chatIds, new_owner: newOwner });
  }

  /** Gives up to 100 group chats of an owner in service to a new owner (groupchat/onjob_transfer). */
  onjobTransferGroupChat(chatIds: string[], newOwner: string): Promise<GroupChatTransferResponse> {
    return this.write('groupchat/onjob_transfer', { chat_id_list: chatIds, new_owner: newOwner });
  }

  /** The legacy status of one reassigned customer (get_transfer_result). */
  getTransferResult(externalUserId: string, handoverUserId: string, takeoverUserId: string): Promise<GetTransferResultResponse> {
    return this.read('POST', 'get_transfer_result', {
      body: { external_userid: externalUserId, handover_userid: handoverUserId, takeover_userid: takeoverUserId },
    });
  }

  /** Customer group chats, one page (groupchat/list). */
  getGroupChats(params: GroupChatListRequest): Promise<GroupChatListResponse> {
    return this.read('POST', 'groupchat/list', { body: params });
  }

  /** Every page of groupchat/list. */
  iterateGroupChats(params: Omit<GroupChatListRequest, 'cursor'>): AsyncGenerator<GroupChatListResponse> {
    return paginateCursor((cursor) => this.getGroupChats({ ...params, cursor }));
  }

  /** A group chat's details and members (groupchat/get). */
  getGroupChat(chatId: string, needName: 0 | 1 = 0): Promise<GroupChatGetResponse> {
    return this.read('POST', 'groupchat/get', { body: { chat_id: chatId, need_name: needName } });
  }

  /** Corp tag groups and tags; both lists empty = all (get_corp_tag_list). */
  getCorpTags(tagIds: string[] = [], groupIds: string[] = []): Promise<GetCorpTagListResponse> {
    return this.read('POST', 'get_corp_tag_list', { body: { tag_id: tagIds, group_id: groupIds } });
  }

  /** Adds tags to a group, or a new group with tags (add_corp_tag). */
  addCorpTag(params: AddCorpTagRequest): Promise<AddCorpTagResponse> {
    return this.write('add_corp_tag', params);
  }

  /** Renames or reorders a tag or a group (edit_corp_tag). */
  updateCorpTag(id: string, name?: string, order?: number): Promise<WeComResponse> {
    const body: Record<string, unknown> = { id };
    if (name !== undefined) body.name = name;
    if (order !== undefined) body.order = order;
    return this.write('edit_corp_tag', body);
  }

  /** Deletes tags and/or groups (del_corp_tag). */
  deleteCorpTag(tagIds: string[], groupIds: string[]): Promise<WeComResponse> {
    return this.write('del_corp_tag', { tag_id: tagIds, group_id: groupIds });
  }

  /** Adds and removes corp tags on a customer for one member (mark_tag). */
  markTags(params: MarkTagRequest): Promise<WeComResponse> {
    return this.write('mark_tag', params);
  }
}
