import type { TemplateCard } from '../../wecom/types/index.js';
import type { Corp } from '../corp.js';
import { simError } from '../errors.js';
import type { Endpoint, SimContext } from './types.js';
import { requireString } from './validate.js';

const INTERACTIVE = new Set(['button_interaction', 'vote_interaction', 'multiple_interaction']);

function checkAgent(body: Record<string, unknown>, ctx: SimContext): void {
  if (Number(body.agentid) !== ctx.agentId) throw simError(301002);
}

function checkCard(card: unknown, ctx: SimContext, isUpdate: boolean): TemplateCard {
  if (!card || typeof card !== 'object') throw simError(40058, 'template_card is required');
  const c = card as TemplateCard & Record<string, unknown>;
  if (!['text_notice', 'news_notice', 'button_interaction', 'vote_interaction', 'multiple_interaction'].includes(c.card_type)) {
    throw simError(40058, 'invalid card_type');
  }
  if (INTERACTIVE.has(c.card_type)) {
    const taskId = c.task_id;
    if (typeof taskId !== 'string' || !/^[0-9A-Za-z_\-@]{1,128}$/.test(taskId)) throw simError(42014);
    if (!isUpdate && ctx.captures.cardsByTaskId.has(taskId)) throw simError(42014);
  }
  if (c.card_type === 'button_interaction') {
    const buttons = (c as { button_list?: { key?: string; type?: number; text?: string }[] }).button_list;
    if (!Array.isArray(buttons) || buttons.length < 1 || buttons.length > 6) throw simError(40058, 'button_list must have 1 to 6 buttons');
    const keys = buttons.filter((b) => (b.type ?? 0) === 0).map((b) => b.key);
    if (keys.some((k) => typeof k !== 'string' || k === '' || Buffer.byteLength(k) > 1024) || new Set(keys).size !== keys.length) {
      throw simError(40058, 'callback buttons need unique keys of at most 1024 bytes');
    }
  }
  return c;
}

function recipients(body: Record<string, unknown>, corp: Corp): { valid: string[]; invalid: string[] } {
  const touser = typeof body.touser === 'string' ? body.touser : '';
  if (touser === '@all') return { valid: corp.visibleMembers().map((m) => m.userid), invalid: [] };
  const ids = touser.split('|').filter((u) => u !== '');
  if (ids.length > 1000) throw simError(40058, 'more than 1000 users');
  // A member outside the app's visible range is as invalid as one who left (doc 90236: invaliduser).
  const valid = ids.filter((u) => {
    const member = corp.members.get(u);
    return member?.status === 'active' && corp.inRange(member);
  });
  return { valid, invalid: ids.filter((u) => !valid.includes(u)) };
}

/** A template card's response_code lives 72 hours (doc 94888). */
const RESPONSE_CODE_TTL_MS = 72 * 3600_000;
/** App messages one member may receive in an hour besides the minute's limit (doc 90454). */
const MESSAGES_PER_MEMBER_PER_HOUR = 1000;

/**
 * True when `userid` is over one of WeCom's per-member limits (30 a minute, 1,000 an hour): the message is then
 * dropped silently.
 */
function overLimit(ctx: SimContext, userid: string, now: number): boolean {
  const byUser = ctx.captures.sendTimes;
  const lastHour = (byUser.get(userid) ?? []).filter((t) => t > now - 3600_000);
  const lastMinute = lastHour.filter((t) => t > now - 60_000).length;
  const over = lastMinute >= ctx.messagesPerMemberPerMinute || lastHour.length >= (ctx.messagesPerMemberPerHour ?? MESSAGES_PER_MEMBER_PER_HOUR);
  if (!over) lastHour.push(now);
  byUser.set(userid, lastHour);
  return over;
}

/** The app's visible range as agent/get lists it (doc 90227): members and departments, no tags. */
function allowed(corp: Corp): { allow_userinfos: { user: { userid: string }[] }; allow_partys: { partyid: number[] }; allow_tags: { tagid: number[] } } {
  const { visibleUsers, visibleDepartments } = corp.app;
  const whole = visibleUsers === undefined && visibleDepartments === undefined;
  return {
    allow_userinfos: { user: (visibleUsers ?? []).map((userid) => ({ userid })) },
    allow_partys: { partyid: whole ? [1] : (visibleDepartments ?? []) },
    allow_tags: { tagid: [] },
  };
}

/** The app itself (agent/get), app messages (captured, never delivered anywhere) and template-card updates. */
export const appEndpoints: Endpoint[] = [
  {
    method: 'GET',
    path: 'agent/get',
    token: 'agent',
    handle: ({ query }, ctx) => {
      if (Number(query.agentid) !== ctx.agentId) throw simError(40056, `invalid agentid: ${query.agentid ?? ''}`);
      return {
        agentid: ctx.agentId,
        name: ctx.corp.app.name,
        square_logo_url: '',
        description: '',
        ...allowed(ctx.corp),
        close: 0,
        redirect_domain: '',
        report_location_flag: 0,
        isreportenter: 0,
        home_url: '',
      };
    },
  },
  {
    method: 'POST',
    path: 'message/send',
    token: 'agent',
    handle: ({ body }, ctx) => {
      checkAgent(body, ctx);
      const msgtype = body.msgtype;
      let content: string | undefined;
      let card: TemplateCard | undefined;
      if (msgtype === 'text' || msgtype === 'markdown') {
        const part = body[msgtype] as { content?: unknown } | undefined;
        if (!part || typeof part.content !== 'string' || part.content === '') throw simError(44004);
        if (Buffer.byteLength(part.content, 'utf8') > 2048) throw simError(45002);
        content = part.content;
      } else if (msgtype === 'template_card') {
        card = checkCard(body.template_card, ctx, false);
      } else {
        throw simError(40008);
      }
      const { valid, invalid } = recipients(body, ctx.corp);
      if (valid.length === 0) throw simError(81013);
      const now = ctx.corp.now();
      const delivered = valid.filter((u) => !overLimit(ctx, u, now));
      const msgid = ctx.corp.newId('sim', 32);
      const interactive = card && INTERACTIVE.has(card.card_type) ? card.task_id : undefined;
      const response_code = interactive ? ctx.captures.issueResponseCode(interactive, valid, now) : undefined;
      const message = ctx.captures.addMessage({
        touser: valid,
        msgtype: msgtype as 'text' | 'markdown' | 'template_card',
        ...(content !== undefined ? { content } : {}),
        ...(card ? { card } : {}),
        msgid,
        ...(response_code ? { response_code } : {}),
        at: now,
        dropped: delivered.length === 0,
      });
      if (interactive) ctx.captures.cardsByTaskId.set(interactive, message);
      return { invaliduser: invalid.join('|'), msgid, ...(response_code ? { response_code } : {}) };
    },
  },
  {
    method: 'POST',
    path: 'message/update_template_card',
    token: 'agent',
    handle: ({ body }, ctx) => {
      checkAgent(body, ctx);
      const code = requireString(body, 'response_code');
      const entry = ctx.captures.responseCodes.get(code);
      if (!entry || entry.used) throw simError(40058, 'invalid or used response_code');
      // A response_code is good for 72 hours (doc 94888).
      if (ctx.corp.now() - entry.issuedAt > RESPONSE_CODE_TTL_MS) throw simError(40058, 'response_code expired');
      const button = body.button as { replace_name?: unknown } | undefined;
      const card = body.template_card === undefined ? undefined : checkCard(body.template_card, ctx, true);
      if (!card && (typeof button?.replace_name !== 'string' || button.replace_name === '')) {
        throw simError(40058, 'button.replace_name or template_card is required');
      }
      entry.used = true;
      const message = ctx.captures.cardsByTaskId.get(entry.taskId);
      if (message) {
        if (card) message.card = card;
        else message.replacedWith = button?.replace_name as string;
      }
      const userids = Array.isArray(body.userids) ? (body.userids as string[]) : entry.userids;
      ctx.captures.addCardUpdate({
        response_code: code,
        task_id: entry.taskId,
        userids,
        ...(card ? { template_card: card } : { replace_name: button?.replace_name as string }),
        at: ctx.corp.now(),
      });
      return { invaliduser: [] };
    },
  },
];
