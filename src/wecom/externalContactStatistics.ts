import type { WeComResponse } from './errors.js';
import type { WeComHttp } from './http.js';
import { paginateOffset } from './paginate.js';

const BASE = 'cgi-bin/externalcontact';

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

export interface GroupChatStatisticResponse extends WeComResponse {
  total: number;
  next_offset: number;
  items: { owner: string; data: GroupChatStatData }[];
}

export interface GroupChatStatisticByDayResponse extends WeComResponse {
  items: { stat_time: number; data: GroupChatStatData }[];
}

/** Customer-contact statistics (`$app->external_contact_statistics`). */
export class ExternalContactStatisticsApi {
  constructor(private readonly http: WeComHttp) {}

  private call<T extends WeComResponse>(path: string, body: unknown) {
    return this.http.call<T>({ method: 'POST', path: `${BASE}/${path}`, body, secret: 'contact', kind: 'read' });
  }

  /**
   * Per-day behaviour of members over ≤ 30 days within the last 180 (get_user_behavior_data). `from` and `to` are
   * unix seconds.
   */
  userBehavior(userIds: string[], from: number, to: number, partyIds: number[] = []): Promise<UserBehaviorResponse> {
    return this.call('get_user_behavior_data', { userid: userIds, partyid: partyIds, start_time: from, end_time: to });
  }

  /** Group-chat figures per owner, one page (groupchat/statistic). */
  groupChatStatistic(params: GroupChatStatisticRequest): Promise<GroupChatStatisticResponse> {
    return this.call('groupchat/statistic', params);
  }

  /** Every page of groupchat/statistic, walking offset/next_offset up to total. */
  iterateGroupChatStatistic(params: Omit<GroupChatStatisticRequest, 'offset'>): AsyncGenerator<GroupChatStatisticResponse> {
    return paginateOffset((offset) => this.groupChatStatistic({ ...params, offset }));
  }

  /** Group-chat figures per day (groupchat/statistic_group_by_day). */
  groupChatStatisticGroupByDay(begin: number, end: number, userIds: string[] = []): Promise<GroupChatStatisticByDayResponse> {
    return this.call('groupchat/statistic_group_by_day', { day_begin_time: begin, day_end_time: end, owner_filter: { userid_list: userIds } });
  }
}
