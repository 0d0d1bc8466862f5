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

/** A member as `user/simplelist` lists them: UserID, name and departments (doc 90200). */
export interface SimpleMember {
  userid: string;
  /** The display name (a third-party app gets the UserID here instead). */
  name: string;
  department: number[];
  open_userid?: string;
}

/** The answer of `user/simplelist`: the members of one department (not of its sub-departments). */
export interface UserSimpleListResponse extends WeComResponse {
  userlist: SimpleMember[];
}
