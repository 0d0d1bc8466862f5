import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AibotPush } from '../../wecom/types/aibot.js';
import { SimClock } from '../clock.js';
import { AIBOT_ERR, AibotRefusal } from './errcodes.js';
import { checkCard, checkContentSize } from './rules.js';
import { Waiters } from './waiters.js';

/** The path WeCom's response_url has (doc 101138). */
export const RESPONSE_URL_PATH = '/cgi-bin/aibot/response';
const LIFETIME_MS = 3_600_000;

/** The conversation a response_url answers into. */
export interface ResponseUrlChat {
  chatId: string;
  chatType: 'single' | 'group';
  userid: string;
}

/** One POST to a response_url, accepted (errcode 0) or not. */
export interface ResponseUrlPost {
  at: number;
  responseCode: string;
  chat?: ResponseUrlChat;
  body: unknown;
  errcode: number;
  errmsg: string;
}

interface Issued {
  chat: ResponseUrlChat;
  issuedAt: number;
  used: boolean;
}

/**
 * The response_urls WeCom puts on message callbacks and clicks (doc 101138): one POST each, within an hour, of a
 * markdown (≤ 20,480 B) or, in single chats only, a template card; errors come as HTTP 200 with an errcode. A refused
 * POST spends the URL too (the stricter reading: "one call").
 */
export class AibotResponseUrls {
  /** `host[:port]` the URLs point at; `listen()` sets it when none was given. */
  host: string;
  private readonly clock: SimClock;
  private readonly issued = new Map<string, Issued>();
  private readonly log: ResponseUrlPost[] = [];
  private readonly waiters = new Waiters();
  private server?: Server;

  constructor(options: { host?: string; clock?: SimClock } = {}) {
    this.host = options.host ?? '127.0.0.1';
    this.clock = options.clock ?? new SimClock();
  }

  /** A fresh single-use URL answering into `chat`. */
  issue(chat: ResponseUrlChat): string {
    const code = randomBytes(16).toString('hex');
    this.issued.set(code, { chat, issuedAt: this.clock.now(), used: false });
    return `http://${this.host}${RESPONSE_URL_PATH}?response_code=${code}`;
  }

  /** Takes one POST body for `responseCode`; answers as WeCom would, `{errcode, errmsg}`. */
  accept(responseCode: string, body: unknown): { errcode: number; errmsg: string } {
    const issued = this.issued.get(responseCode);
    let answer: { errcode: number; errmsg: string };
    try {
      if (!issued || issued.used) throw new AibotRefusal(AIBOT_ERR.responseUrlSpent, 'response_url unknown or used already');
      issued.used = true;
      if (this.clock.now() - issued.issuedAt > LIFETIME_MS) throw new AibotRefusal(AIBOT_ERR.responseUrlSpent, 'response_url expired (1 h)');
      checkPush(body as AibotPush, issued.chat.chatType);
      answer = { errcode: 0, errmsg: 'ok' };
    } catch (error) {
      if (!(error instanceof AibotRefusal)) throw error;
      answer = { errcode: error.errcode, errmsg: error.reason };
    }
    this.log.push({ at: this.clock.now(), responseCode, ...(issued ? { chat: issued.chat } : {}), body, ...answer });
    this.waiters.notify();
    return answer;
  }

  /** Answers a POST to `RESPONSE_URL_PATH` on any node:http server. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      body = undefined;
    }
    const answer =
      req.method !== 'POST' || url.pathname !== RESPONSE_URL_PATH
        ? { errcode: AIBOT_ERR.invalid, errmsg: 'POST /cgi-bin/aibot/response only' }
        : this.accept(url.searchParams.get('response_code') ?? '', body);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
  }

  /** Every POST so far, in order. */
  posts(): ResponseUrlPost[] {
    return [...this.log];
  }

  /** Resolves with the first POST matching `predicate`. */
  waitForPost(predicate: (post: ResponseUrlPost) => boolean, timeoutMs = 5000): Promise<ResponseUrlPost> {
    return this.waiters.waitFor(() => this.log.find(predicate), timeoutMs, 'a response_url POST');
  }

  /** Serves the URLs on a server of its own (127.0.0.1, a free port) and returns its base URL. */
  async listen(port = 0): Promise<string> {
    const server = createServer((req, res) => void this.handle(req, res));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    this.host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    return `http://${this.host}`;
  }

  /** Closes the server `listen()` started. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** A push body as doc 101138 (and 101463 for `aibot_send_msg`) allows it: markdown, or a card in a single chat; no text. */
export function checkPush(body: AibotPush | undefined, chatType: 'single' | 'group'): void {
  if (body?.msgtype === 'markdown') {
    if (typeof body.markdown?.content !== 'string') throw new AibotRefusal(AIBOT_ERR.invalid, 'markdown.content missing');
    checkContentSize(body.markdown.content, 'markdown');
  } else if (body?.msgtype === 'template_card') {
    if (chatType !== 'single') throw new AibotRefusal(AIBOT_ERR.msgtype, 'template_card pushes go to single chats only');
    checkCard(body.template_card);
  } else {
    throw new AibotRefusal(AIBOT_ERR.msgtype, `msgtype ${String((body as { msgtype?: unknown } | undefined)?.msgtype)} cannot be pushed`);
  }
}
