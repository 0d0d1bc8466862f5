import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Router from '@koa/router';
import type { CapturedCardUpdate, CapturedMessage, Simulator } from '../simulator/index.js';
import { addAibotRoutes, type AibotPlayground } from './aibot.js';
import { loopback, readJson, text } from './http.js';
import { confirmWaitingBroadcasts, receivedMessages } from './received.js';

/** Where the page lives; served as it is (no build step). */
const PAGE = fileURLToPath(new URL('./page.html', import.meta.url));
/** Lines typed in the playground kept for a reload (the newest). */
const MAX_SAID = 2000;

/** A line a member typed in the playground. */
export interface SaidLine {
  user: string;
  text: string;
  at: number;
}

/** What the playground needs: the simulator it speaks through, and who has which role. */
export interface PlaygroundOptions {
  sim: Simulator;
  /** Each member's role as the bot sees it now (roles given in chat included). */
  roleOf(userid: string): Promise<'staff' | 'manager' | 'admin'>;
  /** The 智能机器人's side of the simulator and the demo's group chat with it (the group view is off without). */
  aibot?: AibotPlayground;
}

/** A message as the page and the terminal chat see it. */
export interface PlaygroundMessage {
  seq: number;
  touser: string[];
  msgtype: CapturedMessage['msgtype'];
  content?: string;
  card?: CapturedMessage['card'];
  replacedWith?: string;
  at: number;
}

const view = (m: CapturedMessage): PlaygroundMessage => ({
  seq: m.seq,
  touser: m.touser,
  msgtype: m.msgtype,
  ...(m.content !== undefined ? { content: m.content } : {}),
  ...(m.card ? { card: m.card } : {}),
  ...(m.replacedWith ? { replacedWith: m.replacedWith } : {}),
  at: m.at,
});

/**
 * The playground: a page to chat with the bot as any member of the demo corp. Everything takes the real road —
 * the page's text becomes an encrypted callback, the bot answers through message/send, the simulator captures it,
 * and the page receives it over server-sent events. Answers 404 to anything not on loopback.
 */
export function createPlaygroundRouter(options: PlaygroundOptions): Router {
  const { sim } = options;
  const router = new Router({ prefix: '/playground' });
  const said: SaidLine[] = [];

  router.use(async (ctx, next) => {
    if (!loopback(ctx)) {
      ctx.status = 404;
      return;
    }
    await next();
  });

  router.get('/', (ctx) => {
    ctx.type = 'text/html; charset=utf-8';
    ctx.set('cache-control', 'no-store');
    ctx.set('content-security-policy', "default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; img-src 'self' https: data:");
    ctx.body = readFileSync(PAGE, 'utf8');
  });

  router.get('/api/people', async (ctx) => {
    const active = [...sim.corp.members.values()].filter((m) => m.status === 'active');
    ctx.body = { members: await Promise.all(active.map(async (m) => ({ userid: m.userid, name: m.name, role: await options.roleOf(m.userid) }))) };
  });

  router.get('/api/messages', (ctx) => {
    const since = Number(ctx.query.since ?? 0) || 0;
    const user = typeof ctx.query.user === 'string' ? ctx.query.user : undefined;
    ctx.body = {
      messages: sim.captures.messages.filter((m) => m.seq > since && !m.dropped && (!user || m.touser.includes(user))).map(view),
      lastSeq: sim.captures.lastSeq,
    };
  });

  router.get('/api/events', (ctx) => {
    const since = Number(ctx.query.since ?? 0) || 0;
    ctx.req.socket.setTimeout(0);
    ctx.set({ 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    ctx.status = 200;
    const res = ctx.res;
    ctx.respond = false;
    res.writeHead(200);
    res.flushHeaders();
    res.write(': connected\n\n');
    const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    for (const m of sim.captures.messages) if (m.seq > since && !m.dropped) send('message', view(m));
    const onMessage = (m: CapturedMessage) => {
      if (!m.dropped) send('message', view(m));
    };
    const onCard = (u: CapturedCardUpdate) => {
      const card = u.task_id ? sim.captures.cardsByTaskId.get(u.task_id) : undefined;
      if (card) send('card', view(card));
    };
    const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
    sim.captures.on('message', onMessage);
    sim.captures.on('cardUpdate', onCard);
    res.on('close', () => {
      clearInterval(ping);
      sim.captures.off('message', onMessage);
      sim.captures.off('cardUpdate', onCard);
    });
  });

  router.post('/api/say', async (ctx) => {
    const body = await readJson(ctx);
    const line: SaidLine = { user: text(body, 'user', ctx, 64), text: text(body, 'text', ctx), at: Date.now() };
    // What members typed is kept here (the bot's answers are in the simulator's captures): a reload shows both.
    said.push(line);
    if (said.length > MAX_SAID) said.splice(0, said.length - MAX_SAID);
    const statuses = await sim.sendText(line.user, line.text);
    ctx.body = { statuses, said: line };
  });

  router.get('/api/said', (ctx) => {
    const user = typeof ctx.query.user === 'string' ? ctx.query.user : undefined;
    ctx.body = { said: said.filter((line) => !user || line.user === user) };
  });

  router.get('/api/received', (ctx) => {
    ctx.body = { received: receivedMessages(sim) };
  });

  router.post('/api/simulate/confirm-broadcasts', async (ctx) => {
    const body = await readJson(ctx);
    ctx.body = { confirmed: confirmWaitingBroadcasts(sim, text(body, 'user', ctx, 64)) };
  });

  router.post('/api/click', async (ctx) => {
    const body = await readJson(ctx);
    const statuses = await sim.clickCard(text(body, 'user', ctx, 64), text(body, 'taskId', ctx, 128), text(body, 'key', ctx, 1024));
    ctx.body = { statuses };
  });

  router.post('/api/simulate/add-contact', async (ctx) => {
    const body = await readJson(ctx);
    const result = await sim.addExternalContact(text(body, 'user', ctx, 64), { state: 'playground' });
    ctx.body = { externalUserId: result.externalUserId, statuses: result.statuses };
  });

  // A customer deletes the member (del_follow_user): the alert the member gets, and their manager if subscribed.
  router.post('/api/simulate/delete-contact', async (ctx) => {
    const body = await readJson(ctx);
    const user = text(body, 'user', ctx, 64);
    if (sim.corp.customerCount(user) === 0) ctx.throw(400, `${user} has no customer`);
    const result = await sim.customerDeletesMember(user);
    ctx.body = { externalUserId: result.externalUserId, statuses: result.statuses };
  });

  // The corp's clock jumps to the next Monday 09:00 in Shanghai: the weekly digest and the day's reminder fall due.
  router.post('/api/simulate/next-monday', (ctx) => {
    const now = sim.clock.now();
    const shanghai = new Date(now + 8 * 3600_000);
    const daysAhead = (8 - shanghai.getUTCDay()) % 7 || 7;
    const monday = Date.UTC(shanghai.getUTCFullYear(), shanghai.getUTCMonth(), shanghai.getUTCDate() + daysAhead, 9 - 8, 0, 30);
    sim.clock.advance(monday - now);
    ctx.body = { now: new Date(sim.clock.now()).toISOString() };
  });

  if (options.aibot) addAibotRoutes(router, sim, options.aibot);

  return router;
}
