import { action, defineCommand, UserError, type CommandContext } from '../../src/bot/command.js';
import { bold, code, color, type Line } from '../../src/render/markdown.js';
import { row, type Reply } from '../../src/render/reply.js';
import { WeComError, type Attachment, type GroupMsgSendStatus } from '../../src/wecom/index.js';
import { contactMemberChoices, requireContactMembers } from '../_lib/members.js';
import { chunk } from '../_lib/transfers.js';
import { resolveTag, tagIndex } from '../_lib/tags.js';
import { memberLabels, resolveMember } from '../_lib/directory.js';
import { BROADCASTS, recordBroadcast } from './ledger.js';
import { executeCancel, listBroadcasts, planCancel } from './manage.js';
import { remindSenders } from './reminders.js';

/** WeCom's limits: text bytes, recipients per mass message. */
const TEXT_MAX_BYTES = 4000;
const RECIPIENTS_PER_MESSAGE = 10_000;

interface BroadcastPayload {
  sender: string;
  recipients: string[];
  text: string;
  attachments: Attachment[];
}

const create = action({
  role: 'admin',
  options: [
    { name: 'sender', type: 'string', required: true },
    { name: 'to', type: 'list' },
    { name: 'tag', type: 'string' },
    { name: 'text', type: 'string', required: true, redact: true, maxBytes: TEXT_MAX_BYTES },
    { name: 'image', type: 'string' },
    { name: 'link', type: 'string', format: 'url', needs: ['title'] },
    { name: 'title', type: 'string' },
  ],
  // To named customers or to everyone with a tag: the bot asks which when neither is given.
  oneOf: [['to', 'tag']],
  ask: {
    sender: contactMemberChoices,
    tag: async (ctx) => [...(await tagIndex(ctx)).byName.keys()].map((name) => ({ value: name, label: name })),
  },
  plan,
  execute,
});

async function plan(ctx: CommandContext<{ sender: string; to?: string[]; tag?: string; text: string; image?: string; link?: string; title?: string }>) {
  const { text, link: url, image, to, tag } = ctx.args;
  const sender = await resolveMember(ctx, ctx.args.sender);
  const attachments: Attachment[] = [];
  if (url && ctx.args.title) attachments.push({ msgtype: 'link', link: { title: ctx.args.title, url } });
  if (image) attachments.push({ msgtype: 'image', image: { media_id: image } });
  await requireContactMembers(ctx, [sender], 'commands.broadcast.messages.unknownSender');
  let recipients: string[];
  let audience: string;
  if (to) {
    recipients = [...new Set(to)];
    audience = ctx.t('messages.audienceList', { count: recipients.length });
  } else {
    const index = await tagIndex(ctx);
    const tagId = resolveTag(index, tag ?? '', ctx);
    recipients = [];
    for await (const page of ctx.client.externalContact.iterateBatchGetByUser([sender])) {
      for (const item of page.external_contact_list) if (item.follow_info.tag_id.includes(tagId)) recipients.push(item.external_contact.external_userid);
    }
    audience = ctx.t('messages.audienceTag', { tag: index.byId.get(tagId)?.name ?? tag ?? '', count: recipients.length });
  }
  if (recipients.length === 0) throw new UserError('commands.broadcast.messages.nobody');
  const senderName = (await memberLabels(ctx))(sender);
  return {
    summary: {
      title: ctx.t('messages.planTitle', { count: recipients.length }),
      sections: [
        {
          lines: [
            audience,
            ctx.t('messages.planText', { text: text.length > 60 ? `${text.slice(0, 59)}…` : text }),
            ctx.t('messages.senderConfirms', { sender: senderName }),
          ],
        },
      ],
    },
    fields: [
      [ctx.t('fields.recipients'), String(recipients.length)],
      [ctx.t('fields.sender'), senderName],
    ] as [string, string][],
    payload: { sender, recipients, text, attachments } satisfies BroadcastPayload,
  };
}

async function execute(ctx: CommandContext, p: BroadcastPayload): Promise<Reply> {
  const msgids: string[] = [];
  const failed: string[] = [];
  for (const ids of chunk(p.recipients, RECIPIENTS_PER_MESSAGE)) {
    const res = await ctx.client.externalContactMessage.submit({
      chat_type: 'single',
      sender: p.sender,
      external_userid: ids,
      text: { content: p.text },
      ...(p.attachments.length > 0 ? { attachments: p.attachments } : {}),
    });
    msgids.push(res.msgid);
    failed.push(...res.fail_list);
    // Remembered for the reminders a day later, and so that the proposer gets the tallies.
    await recordBroadcast(ctx.state(BROADCASTS), { msgid: res.msgid, by: ctx.user, sender: p.sender, at: Date.now() });
  }
  return {
    title: ctx.t('messages.created', { ok: p.recipients.length - failed.length, failed: failed.length }),
    tone: failed.length === 0 ? 'info' : 'warning',
    sections: [
      {
        lines: [
          ...msgids.map((id): Line => row(ctx.t('common.ids.massMessage'), code(id))),
          ctx.t('messages.senderConfirms', { sender: (await memberLabels(ctx))(p.sender) }),
          [color('comment', ctx.t('messages.resultHint')), ' ', code(`/${broadcast.names[ctx.locale]} ${ctx.t('messages.resultWord')} ${msgids[0]}`)],
        ],
      },
      ...(failed.length > 0
        ? [
            {
              heading: [color('warning', ctx.t('messages.failList', { count: failed.length }))] as Line,
              lines: failed.slice(0, 20).map((id): Line => code(id)),
            },
          ]
        : []),
    ],
  };
}

async function result(ctx: CommandContext<{ msgid: string }>): Promise<Reply> {
  const { msgid } = ctx.args;
  const api = ctx.client.externalContactMessage;
  const person = await memberLabels(ctx);
  const counts = new Map<GroupMsgSendStatus, number>();
  const members: Line[] = [];
  let unconfirmed = 0;
  try {
    for await (const page of api.iterateGroupmsgTask(msgid)) {
      for (const task of page.task_list) {
        if (task.status !== 2) unconfirmed += 1;
        const perMember = new Map<GroupMsgSendStatus, number>();
        for await (const sent of api.iterateGroupmsgSendResult(msgid, task.userid)) {
          for (const s of sent.send_list) {
            perMember.set(s.status, (perMember.get(s.status) ?? 0) + 1);
            counts.set(s.status, (counts.get(s.status) ?? 0) + 1);
          }
        }
        const parts = [...perMember.entries()].map(([st, n]) => `${ctx.t(`statuses.${st}`)} ${n}`).join(' · ');
        members.push([bold(person(task.userid)), ' ', color(task.status === 2 ? 'info' : 'warning', ctx.t(`tasks.${task.status}`)), parts ? ` ${parts}` : '']);
      }
    }
  } catch (err) {
    // Right after it was created WeCom is still dispatching it: not an error, a moment to wait.
    if (WeComError.is(err) && err.errcode === 41063) return { title: ctx.t('messages.preparing', { msgid }), tone: 'comment' };
    // Messages created before 2020-11-17 have no task list: read them with the older API.
    if (!(WeComError.is(err) && err.errcode === 41047)) throw err;
    for await (const page of api.iterateGroupMsgResult(msgid)) for (const d of page.detail_list) counts.set(d.status, (counts.get(d.status) ?? 0) + 1);
  }
  return {
    title: ctx.t('messages.resultTitle', { msgid }),
    sections: [
      {
        lines: ([0, 1, 2, 3] as GroupMsgSendStatus[]).filter((st) => counts.has(st)).map((st): Line => row(ctx.t(`statuses.${st}`), bold(counts.get(st) ?? 0))),
      },
      ...(members.length > 0 ? [{ heading: [bold(ctx.t('messages.byMember'))] as Line, lines: members }] : []),
      ...(unconfirmed > 0 ? [{ lines: [color('comment', ctx.t('messages.waitingSenders', { count: unconfirmed }))] as Line[] }] : []),
    ],
  };
}

/** /群发: a mass message to customers (members confirm sending in WeCom), and its results. */
const broadcast = defineCommand({
  id: 'broadcast',
  names: { 'zh-Hans': '群发', 'zh-Hant': '群發', en: 'broadcast' },
  actions: [
    create,
    action({
      sub: { 'zh-Hans': '结果', 'zh-Hant': '結果', en: 'result' },
      role: 'admin',
      args: [{ name: 'msgid', type: 'string', required: true }],
      run: result,
    }),
    action({ sub: { 'zh-Hans': '列表', 'zh-Hant': '列表', en: 'list' }, role: 'admin', run: listBroadcasts }),
    action({
      sub: { 'zh-Hans': '取消', 'zh-Hant': '取消', en: 'cancel' },
      role: 'admin',
      args: [{ name: 'msgid', type: 'string', required: true }],
      plan: planCancel,
      execute: executeCancel,
    }),
  ],
  // Every hour, a little after the hour: senders who have not sent a mass message a day after it was created.
  schedules: { reminders: { at: { minute: 5 }, run: remindSenders } },
});

export default broadcast;
