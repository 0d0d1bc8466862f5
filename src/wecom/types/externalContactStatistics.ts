import type { WeComResponse } from './common.js';

/** One day of a member's (or the members') customer-contact behaviour. */
export interface BehaviorData {
  /** Unix seconds, 00:00 of the day. */
  stat_time: number;
  chat_cnt?: number;
  message_cnt?: number;
  /** Percentage, e.g. 92.5. */
  reply_percentage?: number;
  /** Minutes. */
  avg_reply_time?: number;
  negative_feedback_cnt?: number;
  new_apply_cnt?: number;
  new_contact_cnt?: number;
}

/** The answer of `get_user_behavior_data`: one row of figures per day. */
export interface UserBehaviorResponse extends WeComResponse {
  behavior_data: BehaviorData[];
}

/** Group-chat figures of one owner or one day. */
export interface GroupChatStatData {
  new_chat_cnt: number;
  chat_total: number;
  chat_has_msg: number;
  new_member_cnt: number;
  member_total: number;
  member_has_msg: number;
  msg_total: number;
  migrate_trainee_chat_cnt?: number;
}

/** The body of groupchat/statistic. */
export interface GroupChatStatisticRequest {
  day_begin_time: number;
  day_end_time?: number;
  owner_filter: { userid_list: string[] };
  /** 1 new chats, 2 total chats, 3 chats with messages, 4 new members … */
  order_by?: number;
  order_asc?: 0 | 1;
  offset?: number;
  /** 1..1000, default 500. */
  limit?: number;
}

/** One page of `groupchat/statistic`: figures per chat owner (paged by offset). */
export interface GroupChatStatisticResponse extends WeComResponse {
  total: number;
  next_offset: number;
  items: { owner: string; data: GroupChatStatData }[];
}

/** The answer of `groupchat/statistic_group_by_day`: figures per day. */
export interface GroupChatStatisticByDayResponse extends WeComResponse {
  items: { stat_time: number; data: GroupChatStatData }[];
}
