import type { Attachment } from '../../wecom/types/index.js';
import { pageOf } from '../cursor.js';
import type { Corp, SimMsgTemplate } from '../corp.js';
import { simError } from '../errors.js';
import { createRandom, hashSeed } from '../random.js';
import type { Endpoint } from './types.js';
import { checkTextBytes, intField, optionalString, requireInt, requireString, stringList } from './validate.js';

function attachments(body: Record<string, unknown>): Attachment[] | undefined {
  if (body.attachments === undefined) return undefined;
  if (!Array.isArray(body.attachments)) throw simError(40058, 'attachments must be a list');
  if (body.attachments.length > 9) throw simError(40058, 'more than 9 attachments');
  return body.attachments as Attachment[];
}

function template(body: Record<string, unknown>, corp: Corp): SimMsgTemplate {
  const msgid = requireString(body, 'msgid', 41046);
  const found = corp.msgTemplates.get(msgid);
  if (!found) throw simError(41047);
  return found;
}

/** A mass message whose results are asked for: 41063 while WeCom still dispatches it, right after its creation. */
function readyTemplate(body: Record<string, unknown>, corp: Corp): SimMsgTemplate {
  const found = template(body, corp);
  if (corp.now() < found.create_time * 1000 + corp.massMessagePrepareMs) throw simError(41063);
  return found;
}

/** Whether a member "sends" a mass message at once; deterministic for a msgid and member. */
function memberSends(corp: Corp, msgid: string, userid: string): boolean {
  return createRandom(hashSeed('groupmsg', corp.seed, msgid, userid))() < corp.groupMsgSendRate;
}

/** Mass messages (企业群发) and welcome messages. */
export const messageEndpoints: Endpoint[] = [
  {
    method: 'POST',
    path: 'externalcontact/add_msg_template',
    token: 'any',
    handle: ({ body }, { corp }) => {
      const chatType = body.chat_type ?? 'single';
      if (chatType !== 'single' && chatType !== 'group') throw simError(40058, 'chat_type must be single or group');
      const text = checkTextBytes(body.text, 4000);
      const parts = attachments(body);
      if (!text?.content && !parts?.length && !body.image && !body.link && !body.miniprogram) throw simError(44004);
      const sender = optionalString(body, 'sender');
      if (sender !== undefined) corp.member(sender);
      if (chatType === 'group' && !sender) throw simError(40058, 'sender is required for group messages');
      const ids = stringList(body, 'external_userid', { max: 10_000 });
      const fail_list: string[] = [];
      const pairs: { userid: string; external_userid: string }[] = [];
      if (ids.length > 0) {
        for (const id of ids) {
          const followers = corp
            .followersOf(id)
            .map((f) => f.userid)
            .filter((u) => corp.members.get(u)?.status === 'active');
          const chosen = sender ? followers.filter((u) => u === sender) : followers.slice(0, 1);
          if (!corp.hasCustomer(id) || chosen.length === 0) fail_list.push(id);
          else pairs.push({ userid: chosen[0]!, external_userid: id });
        }
      } else if (sender) {
        for (const id of corp.customerIdsOf(sender)) pairs.push({ userid: sender, external_userid: id });
      }
      if (pairs.length === 0) throw simError(41048);
      const msgid = corp.newId('msg', 28);
      const now = corp.nowSeconds();
      // Nothing is delivered until each sender confirms in the WeCom client (doc 92135).
      const tasks = new Map<string, { status: 0 | 2; send_time?: number }>();
      for (const { userid } of pairs) if (!tasks.has(userid)) tasks.set(userid, { status: 0 });
      const targets = pairs.map(({ userid, external_userid }) => ({ userid, external_userid, status: 0 as 0 | 1 | 2 | 3 }));
      corp.msgTemplates.set(msgid, {
        msgid,
        chat_type: chatType,
        creator: sender ?? 'sys',
        create_type: 0,
        create_time: now,
        ...(text ? { text } : {}),
        ...(parts ? { attachments: parts } : {}),
        tasks,
        targets,
      });
      for (const userid of tasks.keys()) if (memberSends(corp, msgid, userid)) corp.confirmMassMessage(msgid, userid);
      return { fail_list, msgid };
    },
  },
  {
    method: 'POST',
    path: 'externalcontact/get_group_msg_result',
    token: 'any',
    handle: ({ body }, { corp }) => {
      const msg = readyTemplate(body, corp);
      const limit = intField(body, 'limit', 10_000, 1, 10_000);
      const { page, next_cursor } = pageOf(msg.targets, body.cursor, limit, `result:${msg.msgid}`);
      return { detail_list: page, next_cursor };
    },
  },
  {
    method: 'POST',
    path: 'externalcontact/get_groupmsg_list_v2',
    token: 'any',
    handle: ({ body }, { corp }) => {
      const chatType = requireString(body, 'chat_type');
      const start = requireInt(body, 'start_time');
      const end = requireInt(body, 'end_time');
      if (end < start || end - start > 31 * 86400) throw simError(40058, 'the time span must be at most one month');
      const limit = intField(body, 'limit', 50, 1, 100);
      const creator = optionalString(body, 'creator');
      const list = [...corp.msgTemplates.values()].filter(
        (m) => m.chat_type === chatType && m.create_time >= start && m.create_time <= end && (!creator || m.creator === creator),
      );
      const { page, next_cursor } = pageOf(list, body.cursor, limit, `v2:${chatType}:${start}:${end}:${creator ?? ''}`);
      return {
        group_msg_list: page.map((m) => ({
          msgid: m.msgid,
          creator: m.creator,
          create_time: m.create_time,
          create_type: m.create_type,
          ...(m.text ? { text: m.text } : {}),
          ...(m.attachments ? { attachments: m.attachments } : {}),
        })),
        next_cursor,
      };
    },
  },
  {
    method: 'POST',
    path: 'externalcontact/remind_groupmsg_send',
    token: 'any',
    handle: ({ body }, { corp }) => {
      const msg = template(body, corp);
      if (msg.cancelled) throw simError(41098);
      const now = corp.now();
      const recent = (msg.reminders ?? []).filter((at) => now - at < 24 * 3600_000);
      if (recent.length >= 3) throw simError(41099);
      msg.reminders = [...(msg.reminders ?? []), now];
      return {};
    },
  },
  {
    method: 'POST',
    path: 'externalcontact/cancel_groupmsg_send',
    token: 'any',
    handle: ({ body }, { corp }) => {
      template(body, corp).cancelled = true;
      return {};
    },
  },
  {
    method: 'POST',
    path: 'externalcontact/get_groupmsg_task',
    token: 'any',
    handle: ({ body }, { corp }) => {
      const msg = readyTemplate(body, corp);
      const limit = intField(body, 'limit', 500, 1, 1000);
      const tasks = [...msg.tasks.entries()].map(([userid, t]) => ({ userid, ...t }));
      const { page, next_cursor } = pageOf(tasks, body.cursor, limit, `task:${msg.msgid}`);
      return { task_list: page, next_cursor };
    },
  },
  {
    method: 'POST',
    path: 'externalcontact/get_groupmsg_send_result',
    token: 'any',
    handle: ({ body }, { corp }) => {
      const msg = readyTemplate(body, corp);
      const userid = requireString(body, 'userid', 41009);
      corp.member(userid);
      const limit = intField(body, 'limit', 500, 1, 1000);
      const list = msg.targets.filter((t) => t.userid === userid);
      const { page, next_cursor } = pageOf(list, body.cursor, limit, `send:${msg.msgid}:${userid}`);
      return { send_list: page, next_cursor };
    },
  },
  {
    method: 'POST',
    path: 'externalcontact/send_welcome_msg',
    token: 'any',
    handle: ({ body }, { corp }) => {
      const code = requireString(body, 'welcome_code', 41049);
      const entry = corp.welcomeCodes.get(code);
      if (!entry || entry.expiresAt < corp.now()) throw simError(41050);
      if (entry.used) throw simError(41051);
      if (entry.awaitingConsent) throw simError(41053);
      const text = checkTextBytes(body.text, 4000);
      const parts = attachments(body);
      if (!text?.content && !parts?.length) throw simError(44004);
      entry.used = true;
      corp.welcomesSent.push({
        welcome_code: code,
        userid: entry.userid,
        external_userid: entry.external_userid,
        ...(text ? { text } : {}),
        ...(parts ? { attachments: parts } : {}),
        at: corp.now(),
      });
      return {};
    },
  },
];
