import type { WeComResponse } from './common.js';

/** A department as `department/simplelist` lists it (doc 95350). */
export interface DepartmentRef {
  id: number;
  /** 0 for the root. */
  parentid: number;
  order: number;
}

/** The answer of `department/simplelist`: the department asked for and every department under it. */
export interface DepartmentSimpleListResponse extends WeComResponse {
  department_id: DepartmentRef[];
}

/** One department as `department/get` answers it (doc 95351): a self-built app reads those of its visible range. */
export interface DepartmentDetail extends DepartmentRef {
  name: string;
  name_en?: string;
  /** The leaders' UserIDs within the app's range. */
  department_leader?: string[];
}

/** The answer of `department/get`. */
export interface DepartmentGetResponse extends WeComResponse {
  department: DepartmentDetail;
}

/**
 * A member as `user/list` lists them (doc 96260). Since 2022-06-20 a new self-built app no longer gets avatar,
 * gender, mobile, email or address: name, alias and departments remain.
 */
export interface ListedMember {
  userid: string;
  /** The display name. */
  name: string;
  /** The English name or alias, when the admin set one. */
  alias?: string;
  department: number[];
  /** Per department of `department`: 1 when the member leads it (负责人), else 0. */
  is_leader_in_dept?: (0 | 1)[];
  /** 1 active, 2 disabled, 4 not activated, 5 resigned. */
  status?: number;
}

/** The answer of `user/get` (doc 90196): one member within the app's visible range. */
export interface UserGetResponse extends WeComResponse, ListedMember {}

/** The answer of `user/list`: the members of one department (not of its sub-departments). */
export interface UserListResponse extends WeComResponse {
  userlist: ListedMember[];
}
