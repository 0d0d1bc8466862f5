import type { WeComResponse } from './types/common.js';
import type { WeComCaller } from './http.js';
import { paginateCursor } from './paginate.js';
import type {
  AddCorpTagRequest,
  AddCorpTagResponse,
  BatchGetByUserResponse,
  GetCorpTagListResponse,
  GetExternalContactResponse,
  GetFollowUserListResponse,
  GetTransferResultResponse,
  GetUnassignedListResponse,
  GroupChatGetResponse,
  GroupChatListRequest,
  GroupChatListResponse,
  GroupChatTransferResponse,
  LegacyTransferRequest,
  LegacyTransferResultRequest,
  ListExternalContactResponse,
  MarkTagRequest,
  RemarkRequest,
  ResignedTransferCustomerRequest,
  TransferCustomerRequest,
  TransferCustomerResponse,
  TransferMembers,
  TransferResultResponse,
} from './types/externalContact.js';

const BASE = 'cgi-bin/externalcontact';

/**
 * 客户联系 base APIs: members, customers, transfers, group chats, corp tags. Method names and argument order follow
 * the seed docs (`$app->external_contact`).
 */
export class ExternalContactApi {
  constructor(private readonly http: WeComCaller) {}

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
  transfer(request: LegacyTransferRequest): Promise<WeComResponse> {
    return this.write('transfer', { ...request });
  }

  /** 在职继承: hands up to 100 customers of a member in service to another (transfer_customer). */
  transferCustomer(request: TransferCustomerRequest): Promise<TransferCustomerResponse> {
    return this.write('transfer_customer', { ...request });
  }

  /** 离职继承: hands up to 100 customers of a resigned member to another (resigned/transfer_customer). */
  resignedTransferCustomer(request: ResignedTransferCustomerRequest): Promise<TransferCustomerResponse> {
    return this.write('resigned/transfer_customer', { ...request });
  }

  /** Status of in-service transfers between two members, one page (transfer_result). */
  transferResult(members: TransferMembers, cursor?: string): Promise<TransferResultResponse> {
    return this.read('POST', 'transfer_result', { body: { ...members, cursor: cursor ?? '' } });
  }

  /** Every page of transfer_result. */
  iterateTransferResult(members: TransferMembers): AsyncGenerator<TransferResultResponse> {
    return paginateCursor((cursor) => this.transferResult(members, cursor));
  }

  /** Status of resigned-member transfers, one page (resigned/transfer_result). */
  resignedTransferResult(members: TransferMembers, cursor?: string): Promise<TransferResultResponse> {
    return this.read('POST', 'resigned/transfer_result', { body: { ...members, cursor: cursor ?? '' } });
  }

  /** Every page of resigned/transfer_result. */
  iterateResignedTransferResult(members: TransferMembers): AsyncGenerator<TransferResultResponse> {
    return paginateCursor((cursor) => this.resignedTransferResult(members, cursor));
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
  getTransferResult(request: LegacyTransferResultRequest): Promise<GetTransferResultResponse> {
    return this.read('POST', 'get_transfer_result', { body: { ...request } });
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
