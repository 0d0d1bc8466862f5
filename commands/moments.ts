import { action, defineCommand, type CommandContext } from '../src/bot/command.js';
import { formatDate, formatDateTime } from '../src/render/format.js';
import { bold, code, color, type Line } from '../src/render/markdown.js';
import { row, type Reply } from '../src/render/reply.js';
import type { MomentTaskResultResponse } from '../src/wecom/index.js';
import { requireContactMembers } from './_lib/members.js';
import { dayRange, windows } from './_lib/dates.js';
import { resolveTag, tagIndex } from './_lib/tags.js';
import { memberLabels, resolveMembers } from './_lib/directory.js';
import { customerNames } from './_lib/customerNames.js';

/** WeCom's limits: text characters, list window days. */
const TEXT_MAX_CHARS = 2000;
const LIST_WINDOW_DAYS = 30;
/** How long a publication job is waited for, and how often it is asked about. */
const JOB_WAIT_MS = 60_000;
const JOB_POLL_MS = 500;
const SHOW = 30;
/** get_moment_list serves at most 20 moments a page. */
const MOMENT_PAGE = 20;

interface PublishPayload {
  text: string;
  users: string[];
  tags: string[];
}

async function planPublish(ctx: CommandContext<{ text: string; user?: string[]; tag?: string[] }>) {
  const { text, tag: tagWords = [] } = ctx.args;
  const users = await resolveMembers(ctx, ctx.args.user ?? []);
  await requireContactMembers(ctx, users, 'commands.moments.messages.unknownSenders');
  const index = tagWords.length > 0 ? await tagIndex(ctx) : undefined;
  const tags = index ? tagWords.map((w) => resolveTag(index, w, ctx)) : [];
  const person = await memberLabels(ctx);
  const who = users.length > 0 ? users.map(person).join(ctx.listSeparator) : ctx.t('messages.allMembers');
  const whom = tags.length > 0 ? tags.map((id) => index?.byId.get(id)?.name ?? id).join(ctx.listSeparator) : ctx.t('messages.allCustomers');
  return {
    summary: {
      title: ctx.t('messages.planTitle'),
      sections: [{ lines: [text.length > 60 ? `${text.slice(0, 59)}…` : text, ctx.t('messages.planWho', { who, whom })] }],
    },
    fields: [
      [ctx.t('fields.senders'), users.length > 0 ? String(users.length) : ctx.t('messages.all')],
      [ctx.t('fields.tags'), whom],
    ] as [string, string][],
    payload: { text, users, tags } satisfies PublishPayload,
  };
}

async function executePublish(ctx: CommandContext, p: PublishPayload): Promise<Reply> {
  const api = ctx.client.externalContactMoment;
  const { jobid } = await api.createTask({
    text: { content: p.text },
    ...(p.users.length > 0 || p.tags.length > 0
      ? {
          visible_range: {
            ...(p.users.length > 0 ? { sender_list: { user_list: p.users } } : {}),
            ...(p.tags.length > 0 ? { external_contact_list: { tag_list: p.tags } } : {}),
          },
        }
      : {}),
  });
  const deadline = Date.now() + JOB_WAIT_MS;
  let task: MomentTaskResultResponse = await api.getTask(jobid);
  while (task.status !== 3 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, JOB_POLL_MS));
    task = await api.getTask(jobid);
  }
  if (task.status !== 3 || !task.result) return { title: ctx.t('messages.stillRunning', { jobid }), tone: 'warning' };
  const invalidUsers = task.result.invalid_sender_list?.user_list ?? [];
  const invalidTags = task.result.invalid_external_contact_list?.tag_list ?? [];
  return {
    title: ctx.t('messages.published'),
    tone: invalidUsers.length + invalidTags.length === 0 ? 'info' : 'warning',
    sections: [
      {
        lines: [
          row(ctx.t('common.ids.moment'), code(task.result.moment_id ?? '—')),
          ...(invalidUsers.length > 0 ? [row(ctx.t('messages.invalidSenders'), invalidUsers.join(ctx.listSeparator))] : []),
          ...(invalidTags.length > 0 ? [row(ctx.t('messages.invalidTags'), invalidTags.join(ctx.listSeparator))] : []),
        ],
      },
    ],
  };
}

async function list(ctx: CommandContext<{ from: string; to: string; creator?: string }>): Promise<Reply> {
  const person = await memberLabels(ctx);
  const range = dayRange(ctx.args.from, ctx.args.to, ctx.timeZone);
  const { creator } = ctx.args;
  const moments = [];
  for (const w of windows(range, LIST_WINDOW_DAYS)) {
    for await (const page of ctx.client.externalContactMoment.iterate({
      start_time: w.from,
      end_time: w.to + 86399,
      ...(creator ? { creator } : {}),
      limit: MOMENT_PAGE,
    })) {
      moments.push(...page.moment_list);
    }
  }
  if (moments.length === 0) return { title: ctx.t('messages.noneInRange') };
  moments.sort((a, b) => b.create_time - a.create_time);
  return {
    title: ctx.t('messages.listTitle', {
      count: moments.length,
      from: formatDate(range.from, ctx.timeZone),
      to: formatDate(range.to, ctx.timeZone),
    }),
    sections: [
      {
        lines: moments.slice(0, SHOW).flatMap((m): Line[] => [
          [
            color('comment', formatDateTime(m.create_time * 1000, ctx.timeZone)),
            ' ',
            bold(m.creator ? person(m.creator) : ctx.t('messages.byCorp')),
            ' ',
            (m.text?.content ?? '').slice(0, 40),
          ],
          ['　', code(m.moment_id)],
        ]),
      },
    ],
    ...(moments.length > SHOW ? { footer: ctx.t('commands.transfer.messages.more', { count: moments.length - SHOW }) } : {}),
  };
}

async function tasks(ctx: CommandContext<{ moment: string }>): Promise<Reply> {
  const person = await memberLabels(ctx);
  const id = ctx.args.moment;
  const all = [];
  for await (const page of ctx.client.externalContactMoment.iterateTasks(id)) all.push(...page.task_list);
  const published = all.filter((t) => t.publish_status === 1);
  const pending = all.filter((t) => t.publish_status !== 1);
  return {
    title: ctx.t('messages.tasksTitle', { published: published.length, total: all.length }),
    sections: [
      ...(pending.length > 0
        ? [
            {
              heading: [bold(ctx.t('messages.notPublished', { count: pending.length }))] as Line,
              lines: [pending.map((t) => person(t.userid)).join(ctx.listSeparator)],
            },
          ]
        : []),
      ...(published.length > 0
        ? [
            {
              heading: [bold(ctx.t('messages.publishedBy', { count: published.length }))] as Line,
              lines: [published.map((t) => person(t.userid)).join(ctx.listSeparator)],
            },
          ]
        : []),
    ],
  };
}

/** Customers of `user` by name, with their ids to copy into the next command. */
async function customerList(ctx: CommandContext, titleKey: string, ids: string[], user: string): Promise<Reply> {
  const shown = ids.slice(0, SHOW);
  const [names, person] = await Promise.all([customerNames(ctx, user, shown), memberLabels(ctx)]);
  return {
    title: ctx.t(titleKey, { user: person(user), count: ids.length }),
    sections: [{ lines: shown.map((id): Line => [names.get(id) ?? '', names.has(id) ? ' ' : '', code(id)]) }],
    ...(ids.length > SHOW ? { footer: ctx.t('commands.transfer.messages.more', { count: ids.length - SHOW }) } : {}),
  };
}

async function customers(ctx: CommandContext<MomentUser>): Promise<Reply> {
  const { moment: id, user } = ctx.args;
  const ids: string[] = [];
  for await (const page of ctx.client.externalContactMoment.iterateCustomers(id, user)) ids.push(...page.customer_list.map((c) => c.external_userid));
  return customerList(ctx, 'commands.moments.messages.customersTitle', ids, user);
}

async function delivered(ctx: CommandContext<MomentUser>): Promise<Reply> {
  const { moment: id, user } = ctx.args;
  const ids: string[] = [];
  for await (const page of ctx.client.externalContactMoment.iterateSendResult(id, user)) ids.push(...page.customer_list.map((c) => c.external_userid));
  return customerList(ctx, 'commands.moments.messages.deliveredTitle', ids, user);
}

async function interactions(ctx: CommandContext<MomentUser>): Promise<Reply> {
  const { moment: id, user } = ctx.args;
  const res = await ctx.client.externalContactMoment.getComments(id, user);
  const everyone = [...res.comment_list, ...res.like_list];
  const [customers, person] = await Promise.all([
    customerNames(
      ctx,
      user,
      everyone.flatMap((x) => (x.external_userid ? [x.external_userid] : [])),
    ),
    memberLabels(ctx),
  ]);
  /** A customer by name (its id when it is not the member's), a colleague by name and UserID. */
  const who = (x: { external_userid?: string; userid?: string }) =>
    x.external_userid ? (customers.get(x.external_userid) ?? x.external_userid) : x.userid ? person(x.userid) : '?';
  return {
    title: ctx.t('messages.interactionsTitle', { comments: res.comment_list.length, likes: res.like_list.length }),
    sections: [
      ...(res.comment_list.length > 0
        ? [
            {
              // WeCom's get_moment_comments gives who and when, never what was written: the reply says so.
              heading: [bold(ctx.t('messages.comments')), ' ', color('comment', ctx.t('messages.commentsNoText'))] as Line,
              lines: res.comment_list.slice(0, SHOW).map((c): Line => [color('comment', formatDateTime(c.create_time * 1000, ctx.timeZone)), ' ', who(c)]),
            },
          ]
        : []),
      ...(res.like_list.length > 0
        ? [{ heading: [bold(ctx.t('messages.likes'))] as Line, lines: [res.like_list.slice(0, SHOW).map(who).join(ctx.listSeparator)] }]
        : []),
    ],
  };
}

/** `<moment_id> <成员>`: one member's part of a moment. */
type MomentUser = { moment: string; user: string };

const momentUser = [
  { name: 'moment', type: 'string', required: true },
  { name: 'user', type: 'string', required: true },
] as const;

/** /朋友圈: publish to customers' moments (confirmed), and read moments, tasks, reach and interactions. */
const moments = defineCommand({
  id: 'moments',
  names: { 'zh-Hans': '朋友圈', 'zh-Hant': '朋友圈', en: 'moments' },
  actions: [
    action({
      sub: { 'zh-Hans': '发表', 'zh-Hant': '發表', en: 'publish' },
      role: 'admin',
      options: [
        { name: 'text', type: 'string', required: true, redact: true, maxChars: TEXT_MAX_CHARS },
        { name: 'user', type: 'list' },
        { name: 'tag', type: 'list' },
      ],
      plan: planPublish,
      execute: executePublish,
    }),
    action({
      sub: { 'zh-Hans': '列表', 'zh-Hant': '列表', en: 'list' },
      role: 'manager',
      options: [
        { name: 'from', type: 'date', required: true },
        { name: 'to', type: 'date', required: true },
        { name: 'creator', type: 'string' },
      ],
      run: list,
    }),
    action({
      sub: { 'zh-Hans': '任务', 'zh-Hant': '任務', en: 'tasks' },
      role: 'manager',
      args: [{ name: 'moment', type: 'string', required: true }],
      run: tasks,
    }),
    action({ identifiesCustomers: true, sub: { 'zh-Hans': '客户', 'zh-Hant': '客戶', en: 'customers' }, role: 'manager', args: momentUser, run: customers }),
    action({ identifiesCustomers: true, sub: { 'zh-Hans': '送达', 'zh-Hant': '送達', en: 'delivered' }, role: 'manager', args: momentUser, run: delivered }),
    action({
      identifiesCustomers: true,
      sub: { 'zh-Hans': '互动', 'zh-Hant': '互動', en: 'interactions' },
      role: 'manager',
      args: momentUser,
      run: interactions,
    }),
  ],
});

export default moments;
