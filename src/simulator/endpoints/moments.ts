import { pageOf } from '../cursor.js';
import type { Corp, SimMoment } from '../corp.js';
import { simError } from '../errors.js';
import { createRandom, hashSeed } from '../random.js';
import type { Endpoint } from './types.js';
import { intField, objectField, optionalString, requireInt, requireString, stringList } from './validate.js';

function moment(body: Record<string, unknown>, corp: Corp): SimMoment {
  if (body.moment_id === undefined || body.moment_id === '') throw simError(41059);
  const found = typeof body.moment_id === 'string' ? corp.moments.get(body.moment_id) : undefined;
  if (!found) throw simError(41060);
  return found;
}

/**
 * One sender of a moment, whose results are asked for: 41061 when the moment is not for this member, 41062 while they
 * have not published it (each member publishes by hand in the WeCom client, doc 95094; stricter reading: even the
 * customers they chose are not known before).
 */
function sender(body: Record<string, unknown>, found: SimMoment, corp: Corp) {
  const userid = requireString(body, 'userid', 41009);
  corp.member(userid);
  const s = found.senders.get(userid);
  if (!s) throw simError(41061);
  if (s.publish_status !== 1) throw simError(41062);
  return s;
}

function checkAttachments(value: unknown): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) throw simError(40058, 'attachments must be a list');
  const types = value.map((a) => (a as { msgtype?: string }).msgtype);
  const images = types.filter((t) => t === 'image').length;
  const others = types.filter((t) => t !== 'image');
  if (images > 9 || (images > 0 && others.length > 0) || others.length > 1 || others.some((t) => t !== 'video' && t !== 'link')) {
    throw simError(40058, 'attachments: up to 9 images, or one video, or one link');
  }
}

/** Customer moments: publishing as an async job, and the read APIs. */
export const momentEndpoints: Endpoint[] = [
  {
    method: 'POST',
    path: 'externalcontact/add_moment_task',
    token: 'any',
    handle: ({ body }, { corp }) => {
      const text = objectField(body, 'text');
      const content = optionalString(text, 'content', 2000);
      checkAttachments(body.attachments);
      if (!content && !(Array.isArray(body.attachments) && body.attachments.length > 0)) throw simError(44004);
      const range = objectField(body, 'visible_range');
      const requested = stringList(objectField(range, 'sender_list'), 'user_list', { max: 100_000 });
      const tags = stringList(objectField(range, 'external_contact_list'), 'tag_list', { max: 10_000 });
      const invalidSenders = requested.filter((u) => corp.members.get(u)?.status !== 'active');
      const tagIndex = corp.tagIndex();
      const invalidTags = tags.filter((t) => !tagIndex.has(t));
      const validTags = tags.filter((t) => tagIndex.has(t));
      const senders = requested.length > 0 ? requested.filter((u) => !invalidSenders.includes(u)) : corp.activeMembers().map((m) => m.userid);
      const jobid = corp.newId('job', 40);
      const moment_id = corp.newId('mom', 24);
      corp.moments.set(moment_id, {
        moment_id,
        creator: senders[0] ?? 'sys',
        create_time: corp.nowSeconds(),
        create_type: 0,
        visible_type: validTags.length > 0 ? 0 : 1,
        ...(content ? { text: { content } } : {}),
        senders: new Map(
          senders.map((u) => [
            u,
            {
              // Each member publishes by hand in the WeCom client; none has at creation (doc 95094).
              publish_status: 0 as const,
              customers:
                validTags.length === 0
                  ? corp.customerIdsOf(u)
                  : corp
                      .customersOf(u)
                      .filter((f) => f.tagIds.some((t) => validTags.includes(t)))
                      .map((f) => f.external_userid),
            },
          ]),
        ),
        comments: [],
        likes: [],
      });
      corp.momentJobs.set(jobid, {
        jobid,
        readyAt: corp.now() + corp.timing.momentJobDelayMs,
        result: {
          errcode: 0,
          errmsg: 'ok',
          moment_id,
          invalid_sender_list: { user_list: invalidSenders },
          invalid_external_contact_list: { tag_list: invalidTags },
        },
      });
      return { jobid };
    },
  },
  {
    method: 'GET',
    path: 'externalcontact/get_moment_task_result',
    token: 'any',
    handle: ({ query }, { corp }) => {
      const jobid = requireString(query, 'jobid');
      const job = corp.momentJobs.get(jobid);
      if (!job) throw simError(40058, 'invalid jobid');
      if (corp.now() < job.readyAt) return { status: 2, type: 'add_moment_task' };
      return { status: 3, type: 'add_moment_task', result: job.result };
    },
  },
  {
    method: 'POST',
    path: 'externalcontact/get_moment_list',
    token: 'any',
    handle: ({ body }, { corp }) => {
      const start = requireInt(body, 'start_time');
      const end = requireInt(body, 'end_time');
      if (end < start || end - start > 30 * 86400) throw simError(40058, 'the time span must be at most 30 days');
      const filterType = intField(body, 'filter_type', 2, 0, 2);
      const creator = optionalString(body, 'creator');
      // At most 20 a page: copies of the docs disagree (20 or 100), and the stricter one is taken.
      const limit = intField(body, 'limit', 20, 1, 20);
      const list = [...corp.moments.values()]
        .filter((m) => m.create_time >= start && m.create_time <= end)
        .filter((m) => filterType === 2 || m.create_type === filterType)
        .filter((m) => !creator || m.creator === creator)
        .sort((a, b) => b.create_time - a.create_time);
      const { page, next_cursor } = pageOf(list, body.cursor, limit, `moments:${start}:${end}:${filterType}:${creator ?? ''}`);
      return {
        // A moment published through the API (create_type 0) has no creator in the list.
        moment_list: page.map(({ senders: _s, comments: _c, likes: _l, creator, ...m }) => (m.create_type === 0 ? m : { ...m, creator })),
        next_cursor,
      };
    },
  },
  {
    method: 'POST',
    path: 'externalcontact/get_moment_task',
    token: 'any',
    handle: ({ body }, { corp }) => {
      const found = moment(body, corp);
      const limit = intField(body, 'limit', 500, 1, 1000);
      const tasks = [...found.senders.entries()].map(([userid, s]) => ({ userid, publish_status: s.publish_status }));
      const { page, next_cursor } = pageOf(tasks, body.cursor, limit, `mtask:${found.moment_id}`);
      return { task_list: page, next_cursor };
    },
  },
  {
    method: 'POST',
    path: 'externalcontact/get_moment_customer_list',
    token: 'any',
    handle: ({ body }, { corp }) => {
      const found = moment(body, corp);
      const s = sender(body, found, corp);
      const limit = intField(body, 'limit', 500, 1, 1000);
      const userid = body.userid as string;
      const list = s.customers.map((external_userid) => ({ userid, external_userid }));
      const { page, next_cursor } = pageOf(list, body.cursor, limit, `mcust:${found.moment_id}:${userid}`);
      return { customer_list: page, next_cursor };
    },
  },
  {
    method: 'POST',
    path: 'externalcontact/get_moment_send_result',
    token: 'any',
    handle: ({ body }, { corp }) => {
      const found = moment(body, corp);
      const s = sender(body, found, corp);
      const limit = intField(body, 'limit', 3000, 1, 5000);
      const list = s.publish_status === 1 ? s.customers.map((external_userid) => ({ external_userid })) : [];
      const { page, next_cursor } = pageOf(list, body.cursor, limit, `msend:${found.moment_id}:${String(body.userid)}`);
      return { customer_list: page, next_cursor };
    },
  },
  {
    method: 'POST',
    path: 'externalcontact/get_moment_comments',
    token: 'any',
    handle: ({ body }, { corp }) => {
      const found = moment(body, corp);
      const s = sender(body, found, corp);
      const random = createRandom(hashSeed('comments', corp.seed, found.moment_id, String(body.userid)));
      const reached = s.publish_status === 1 ? s.customers : [];
      const at = (i: number) => found.create_time + 600 * (i + 1);
      return {
        comment_list: [...found.comments, ...reached.filter(() => random() < 0.1).map((external_userid, i) => ({ external_userid, create_time: at(i) }))],
        like_list: [...found.likes, ...reached.filter(() => random() < 0.3).map((external_userid, i) => ({ external_userid, create_time: at(i) }))],
      };
    },
  },
];
