import type Router from '@koa/router';
import type { Context } from 'koa';
import type { AibotStreamView, AibotWsServer } from '../simulator/aibot/index.js';
import type { Simulator } from '../simulator/index.js';
import type { AibotTemplateCard } from '../wecom/types/aibot.js';
import { readJson, text } from './http.js';

/** Lines typed to the 智能机器人 in the playground kept for a reload (the newest). */
const MAX_SAID = 2000;

/** The demo's group chat with the 智能机器人 in it. */
export interface PlaygroundGroup {
  id: string;
  name: string;
  /** The userids of its members: whom the playground may speak as there. */
  members: readonly string[];
}

/** What the playground's 智能机器人 views need: the simulator's long-connection side and the demo's group. */
export interface AibotPlayground {
  ws: AibotWsServer;
  group: PlaygroundGroup;
}

/** A line a member typed to the 智能机器人 (in the group, or in their single chat with it). */
interface AibotSaid {
  from: string;
  text: string;
  chatType: 'single' | 'group';
  chatId: string;
  msgid: string;
  at: number;
}

/** One entry of a chat with the 智能机器人, as the page shows it. */
export type AibotTimelineItem =
  | { kind: 'said'; from: string; text: string; at: number; msgid: string }
  | { kind: 'stream'; asker: string; msgid: string; content: string; finished: boolean; card?: AibotTemplateCard; at: number }
  | { kind: 'push'; msgtype: string; content?: string; card?: AibotTemplateCard; at: number };

/**
 * The chat `chatId` as `viewer` sees it: what members typed, each answer as one stream (its latest content), and what
 * the bot pushed on its own; each card in the version `viewer` sees (a refused click changes only the clicker's copy).
 */
function timeline(ws: AibotWsServer, said: readonly AibotSaid[], chatType: 'single' | 'group', chatId: string, viewer: string): AibotTimelineItem[] {
  const seenBy = (card: AibotTemplateCard | undefined) => (card ? (ws.cardAsSeenBy(card.task_id, viewer) ?? card) : undefined);
  const streamItem = (s: AibotStreamView): AibotTimelineItem => {
    const card = seenBy(s.card);
    return { kind: 'stream', asker: s.asker, msgid: s.msgid, content: s.content, finished: s.finished, ...(card ? { card } : {}), at: s.startedAt };
  };
  const streams = new Map(ws.streams((s) => s.chatType === chatType && s.chatId === chatId).map((s) => [s.msgid, s]));
  // Each line typed here, followed by its answer.
  const typed: AibotTimelineItem[] = [];
  for (const line of said) {
    if (line.chatType !== chatType || line.chatId !== chatId) continue;
    typed.push({ kind: 'said', from: line.from, text: line.text, at: line.at, msgid: line.msgid });
    const stream = streams.get(line.msgid);
    streams.delete(line.msgid);
    if (stream) typed.push(streamItem(stream));
  }
  // Answers to messages sent another way, and what the bot sent on its own, where they fall in time.
  const others: AibotTimelineItem[] = [
    ...[...streams.values()].map(streamItem),
    ...[...ws.pushes(), ...(chatType === 'single' ? ws.welcomes() : [])]
      .filter((p) => p.chatId === chatId)
      .map((p): AibotTimelineItem => {
        const card = seenBy(p.card);
        return { kind: 'push', msgtype: p.msgtype, ...(p.content !== undefined ? { content: p.content } : {}), ...(card ? { card } : {}), at: p.at };
      }),
  ].sort((a, b) => a.at - b.at);
  const merged: AibotTimelineItem[] = [];
  let i = 0;
  for (const item of typed) {
    while (i < others.length && others[i]!.at < item.at) merged.push(others[i++]!);
    merged.push(item);
  }
  return [...merged, ...others.slice(i)];
}

function requestedUser(ctx: Context, sim: Simulator): string {
  const user = typeof ctx.query.user === 'string' ? ctx.query.user : '';
  if (!sim.corp.members.has(user)) ctx.throw(400, 'user must be a member of the demo corp');
  return user;
}

/**
 * The playground's 智能机器人 side: the demo group's chat and each member's single chat with the bot. Messages go in
 * over the bot's real long connection (the simulator injects the callbacks); the answers are what the simulator's
 * ledger recorded of the bot's frames.
 *
 * - `GET /api/aibot/group?viewer=` the group, its members and its timeline as `viewer` sees it
 * - `GET /api/aibot/single?user=` the member's single chat with the bot
 * - `POST /api/aibot/say {user, text, chat?}` a member's message, in the group when `chat` is its id
 * - `POST /api/aibot/click {user, taskId, key}` a member clicks a button of a card of the bot
 */
export function addAibotRoutes(router: Router, sim: Simulator, options: AibotPlayground): void {
  const { ws, group } = options;
  const said: AibotSaid[] = [];
  const nameOf = (userid: string) => sim.corp.members.get(userid)?.name ?? userid;

  router.get('/api/aibot/group', (ctx) => {
    const viewer = typeof ctx.query.viewer === 'string' ? ctx.query.viewer : (group.members[0] ?? '');
    ctx.body = {
      group: { id: group.id, name: group.name, members: group.members.map((userid) => ({ userid, name: nameOf(userid) })) },
      connected: ws.connections() > 0,
      items: timeline(ws, said, 'group', group.id, viewer),
    };
  });

  router.get('/api/aibot/single', (ctx) => {
    const user = requestedUser(ctx, sim);
    ctx.body = { user, connected: ws.connections() > 0, items: timeline(ws, said, 'single', user, user) };
  });

  router.post('/api/aibot/say', async (ctx) => {
    const body = await readJson(ctx);
    const from = text(body, 'user', ctx, 64);
    const line = text(body, 'text', ctx);
    const chat = body.chat === undefined || body.chat === null || body.chat === '' ? undefined : body.chat;
    if (chat !== undefined && chat !== group.id) ctx.throw(400, `chat must be ${group.id}`);
    if (chat !== undefined && !group.members.includes(from)) ctx.throw(400, `${from} is not a member of ${group.name}`);
    if (sim.corp.members.get(from)?.status !== 'active') ctx.throw(400, `${from} is not a member in service`);
    if (ws.connections() === 0) ctx.throw(503, 'the 智能机器人 is not connected (yet)');
    const at = ws.clock.now();
    const sent = await ws.sendText({ from, text: line, ...(chat ? { chat: { id: group.id } } : {}) });
    said.push({ from, text: line, chatType: chat ? 'group' : 'single', chatId: chat ? group.id : from, msgid: sent.msgid, at });
    if (said.length > MAX_SAID) said.splice(0, said.length - MAX_SAID);
    ctx.body = sent;
  });

  router.post('/api/aibot/click', async (ctx) => {
    const body = await readJson(ctx);
    const from = text(body, 'user', ctx, 64);
    const taskId = text(body, 'taskId', ctx, 128);
    const eventKey = text(body, 'key', ctx, 1024);
    try {
      ctx.body = await ws.click({ from, taskId, eventKey });
    } catch (err) {
      // A card the member cannot see (another chat's), or no connection: nothing reached the bot.
      ctx.throw(400, (err as Error).message);
    }
  });
}
