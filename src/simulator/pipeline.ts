import Koa from 'koa';
import { callerIp, checkAccess } from './access.js';
import type { Endpoint, SimContext } from './endpoints/types.js';
import { SimError, simError } from './errors.js';
import type { FaultInjector } from './faults.js';
import type { RateLimiter } from './rates.js';
import type { TokenIssuer } from './tokens.js';

/** A request the simulator received (access_token removed). */
export interface RecordedRequest {
  method: string;
  /** Under /cgi-bin/, e.g. `externalcontact/list`. */
  path: string;
  query: Record<string, string>;
  body: Record<string, unknown>;
  at: number;
  /** What the simulator answered (0 = executed); absent for dropped connections and HTTP 500s. */
  errcode?: number;
}

/** What the HTTP pipeline works with. */
export interface PipelineDeps {
  endpoints: readonly Endpoint[];
  tokens: TokenIssuer;
  faults: FaultInjector;
  rates: RateLimiter;
  context: SimContext;
  /** Every request is appended here, with what it was answered. */
  requests: RecordedRequest[];
}

async function readJson(req: NodeJS.ReadableStream): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw simError(40058, 'body is not JSON');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw simError(40058, 'body must be a JSON object');
  return parsed as Record<string, unknown>;
}

/**
 * The simulator's HTTP side, in WeCom's order: read the JSON body (40058 when it is not), record the request, apply
 * injected faults (latency, a dropped connection, HTTP 500, an errcode), answer gettoken, find the endpoint (a known
 * path with the wrong method is 40058), check the access token, the admin console's setup (trusted IP, 可调用应用) and
 * the API's frequency limit, run the endpoint, and answer `{errcode, errmsg, …}`.
 */
export function createApiPipeline(deps: PipelineDeps): Koa {
  const { tokens, faults, rates, context, requests } = deps;
  const byRoute = new Map(deps.endpoints.map((e) => [`${e.method} ${e.path}`, e]));
  const knownPaths = new Set(deps.endpoints.map((e) => e.path));
  const app = new Koa();
  app.use(async (ctx) => {
    const match = /^\/cgi-bin\/(.+)$/.exec(ctx.path);
    if (!match) {
      ctx.status = 404;
      return;
    }
    const path = match[1] as string;
    const params = new URLSearchParams(ctx.querystring);
    const query = Object.fromEntries([...params.entries()].filter(([k]) => k !== 'access_token'));
    let record: RecordedRequest | undefined;
    const respond = (payload: Record<string, unknown>) => {
      if (record) record.errcode = payload.errcode as number;
      ctx.type = 'application/json';
      ctx.body = JSON.stringify(payload);
    };
    try {
      const body = ctx.method === 'POST' ? await readJson(ctx.req) : {};
      record = { method: ctx.method, path, query: path === 'gettoken' ? { corpid: query.corpid ?? '' } : query, body, at: Date.now() };
      requests.push(record);
      const latency = faults.latency(path);
      if (latency > 0) await new Promise((r) => setTimeout(r, latency));
      const fault = faults.decide(path);
      if (fault.kind === 'drop') {
        ctx.req.socket.destroy();
        return;
      }
      if (fault.kind === 'http500') {
        ctx.status = 500;
        ctx.body = 'Internal Server Error';
        return;
      }
      if (fault.kind === 'errcode') throw simError(fault.errcode);
      if (path === 'gettoken') {
        respond({ errcode: 0, errmsg: 'ok', ...tokens.issue(query) });
        return;
      }
      const endpoint = byRoute.get(`${ctx.method} ${path}`);
      if (!endpoint) {
        if (knownPaths.has(path)) throw simError(40058, `wrong HTTP method ${ctx.method}`);
        ctx.status = 404;
        respond({ errcode: 404, errmsg: `no such API: ${path}` });
        return;
      }
      const tokenKind = tokens.check(params.get('access_token'), endpoint.token);
      checkAccess(path, tokenKind, callerIp(ctx.req.socket.remoteAddress), context.corp.app);
      rates.admit(path);
      respond({ errcode: 0, errmsg: 'ok', ...endpoint.handle({ query, body, tokenKind }, context) });
    } catch (err) {
      if (err instanceof SimError) {
        respond({ errcode: err.errcode, errmsg: err.errmsg });
        return;
      }
      ctx.status = 500;
      ctx.body = `simulator error: ${(err as Error).message}`;
    }
  });
  return app;
}
