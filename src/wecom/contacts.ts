import type { WeComCaller } from './http.js';
import type { DepartmentGetResponse, DepartmentSimpleListResponse, UserGetResponse, UserListResponse } from './types/contacts.js';

/**
 * The corp's contacts (通讯录), as far as a self-built app may read them: department ids and each department's members
 * with their names and aliases, within the app's visible range. Read with the app's own secret.
 */
export class ContactsApi {
  constructor(private readonly http: WeComCaller) {}

  /** A department and every department under it (department/simplelist, doc 95350); the root is 1. */
  departments(id = 1): Promise<DepartmentSimpleListResponse> {
    return this.http.call({ method: 'GET', path: 'cgi-bin/department/simplelist', query: { id }, secret: 'agent', kind: 'read' });
  }

  /** One department with its name (department/get, doc 95351): 60011 when outside the app's visible range. */
  department(id: number): Promise<DepartmentGetResponse> {
    return this.http.call({ method: 'GET', path: 'cgi-bin/department/get', query: { id }, secret: 'agent', kind: 'read' });
  }

  /** The members of one department with their names and aliases, not of its sub-departments (user/list, doc 96260). */
  members(departmentId: number): Promise<UserListResponse> {
    return this.http.call({ method: 'GET', path: 'cgi-bin/user/list', query: { department_id: departmentId }, secret: 'agent', kind: 'read' });
  }

  /** One member (user/get, doc 90196): 60111 when there is none, 60011 when outside the app's visible range. */
  member(userid: string): Promise<UserGetResponse> {
    return this.http.call({ method: 'GET', path: 'cgi-bin/user/get', query: { userid }, secret: 'agent', kind: 'read' });
  }
}
