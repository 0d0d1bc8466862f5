import type { WeComCaller } from './http.js';
import type { AgentGetResponse } from './types/app.js';

/** The self-built app itself (应用管理), read with its own secret. */
export class AppApi {
  constructor(
    private readonly http: WeComCaller,
    private readonly agentId: number,
  ) {}

  /** The app's settings and its visible range (agent/get, doc 90227). */
  get(): Promise<AgentGetResponse> {
    return this.http.call({ method: 'GET', path: 'cgi-bin/agent/get', query: { agentid: this.agentId }, secret: 'agent', kind: 'read' });
  }
}
