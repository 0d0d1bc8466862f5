import type { WeComResponse } from './types/common.js';
import type { WeComCaller } from './http.js';
import { paginateOffset } from './paginate.js';
import type {
  GroupChatStatisticByDayResponse,
  GroupChatStatisticRequest,
  GroupChatStatisticResponse,
  UserBehaviorResponse,
} from './types/externalContactStatistics.js';

const BASE = 'cgi-bin/externalcontact';

/** Customer-contact statistics (`$app->external_contact_statistics`). */
export class ExternalContactStatisticsApi {
  constructor(private readonly http: WeComCaller) {}

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
