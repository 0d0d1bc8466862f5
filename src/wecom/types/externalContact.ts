import type { WeComResponse } from './common.js';

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
export interface FollowFields {
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

/** The answer of `get_follow_user_list`: the members with customer contact enabled. */
export interface GetFollowUserListResponse extends WeComResponse {
  follow_user: string[];
}

/** The answer of `list`: every customer id of one member. */
export interface ListExternalContactResponse extends WeComResponse {
  external_userid: string[];
}

/** The answer of `get`: a customer's profile and every member following them (paged by cursor). */
export interface GetExternalContactResponse extends WeComResponse {
  external_contact: ExternalContactProfile;
  follow_user: FollowUser[];
  next_cursor?: string;
}

/** One page of `batch/get_by_user`: customers of the given members with what each member keeps about them. */
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

/** A customer of a resigned member waiting for assignment, as `get_unassigned_list` lists it. */
export interface UnassignedInfo {
  handover_userid: string;
  external_userid: string;
  /** Unix seconds of the member's departure. */
  dimission_time: number;
}

/** One page of `get_unassigned_list` (`is_last` or `next_cursor` tells whether more follow). */
export interface GetUnassignedListResponse extends WeComResponse {
  info: UnassignedInfo[];
  is_last: boolean;
  next_cursor?: string;
}

/** Who hands customers over and who takes them (both UserIDs; they must differ, or WeCom answers 40130). */
export interface TransferMembers {
  handover_userid: string;
  takeover_userid: string;
}

/** The body of `transfer_customer` (在职继承): up to 100 customers of a member in service. */
export interface TransferCustomerRequest extends TransferMembers {
  external_userid: string[];
  /** What the customers are told, at most 200 characters (WeCom's default text when absent). */
  transfer_success_msg?: string;
}

/** The body of `resigned/transfer_customer` (离职继承): up to 100 customers of a resigned member. */
export interface ResignedTransferCustomerRequest extends TransferMembers {
  external_userid: string[];
}

/** The body of the legacy `transfer`: one customer. */
export interface LegacyTransferRequest extends TransferMembers {
  external_userid: string;
  transfer_success_msg?: string;
}

/** The body of the legacy `get_transfer_result`: one customer's reassignment. */
export interface LegacyTransferResultRequest extends TransferMembers {
  external_userid: string;
}

/** Per-customer outcome of a transfer: errcode 0 = transfer started. */
export interface TransferCustomerResponse extends WeComResponse {
  customer: { external_userid: string; errcode: number }[];
}

/** 1 done, 2 waiting, 3 refused by the customer, 4 takeover member at its limit, 5 no transfer record. */
export type TransferStatus = 1 | 2 | 3 | 4 | 5;

/** One page of `transfer_result` or `resigned/transfer_result`: where each customer of a transfer stands. */
export interface TransferResultResponse extends WeComResponse {
  customer: { external_userid: string; status: TransferStatus; takeover_time?: number }[];
  next_cursor?: string;
}

/** The legacy get_transfer_result answer. */
export interface GetTransferResultResponse extends WeComResponse {
  status: TransferStatus;
  takeover_time?: number;
}

/** The answer of `groupchat/transfer` and `groupchat/onjob_transfer`: the chats that were not handed over, and why. */
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

/** One page of `groupchat/list`: chat ids and their status, and the cursor of the next page. */
export interface GroupChatListResponse extends WeComResponse {
  group_chat_list: { chat_id: string; status: 0 | 1 | 2 | 3 }[];
  next_cursor?: string;
}

/** A member of a customer group chat (a member of the corp, or a customer) as `groupchat/get` lists it. */
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

/** A customer group chat as `groupchat/get` describes it: name, owner, notice, members and admins. */
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

/** The answer of `groupchat/get`. */
export interface GroupChatGetResponse extends WeComResponse {
  group_chat: GroupChatDetail;
}

/** A corp tag (企业标签): id, name, order, creation time. */
export interface CorpTag {
  id: string;
  name: string;
  create_time: number;
  /** Larger first. */
  order: number;
  deleted?: boolean;
}

/** A group of corp tags, with its tags. */
export interface CorpTagGroup {
  group_id: string;
  group_name: string;
  create_time: number;
  order: number;
  deleted?: boolean;
  tag: CorpTag[];
}

/** The answer of `get_corp_tag_list`: the groups asked for (all when none was named). */
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

/** The answer of `add_corp_tag`: the group the tags were added to, with the new tags' ids. */
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
