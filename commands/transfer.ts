import { UserError, type CommandContext, type CommandDefinition, type EventHandler, type JobControl, type JobRecord, type Plan } from '../src/bot/command.js';
import { bold, code, color, type Line } from '../src/render/markdown.js';
import { row, type Reply } from '../src/render/reply.js';
import type { TransferStatus } from '../src/wecom/index.js';
import {
  chunk,
  customersOf,
  failureSections,
  handoverKind,
  originOf,
  transferBatch,
  TRANSFER_BATCH,
  type TransferKind,
} from './_lib/transfers.js';

/** WeCom's limit for the message customers get after an in-service transfer. */
const MSG_MAX_CHARS = 200;
/** Transfer calls in flight at once during a bulk job (WeCom answers 45033 to too many). */
const JOB_CONCURRENCY = 2;
/** A bulk job says how far it got at least this often. */
const PROGRESS_EVERY_MS = 10_000;

interface Members {
  from: string;
  to: string;
  msg: string | undefined;
}

/** --from, --to and --msg, checked before any call. */
function members(ctx: CommandContext): Members {
  const from = ctx.args.from;
  const to = ctx.args.to;
  if (typeof from !== 'string') throw new UserError('errors.parse.missingArgument', { name: '--from' });
  if (typeof to !== 'string') throw new UserError('errors.parse.missingArgument', { name: '--to' });
  if (from.toLowerCase() === to.toLowerCase()) throw new UserError('commands.transfer.messages.sameMember');
  const msg = typeof ctx.args.msg === 'string' ? ctx.args.msg : undefined;
  if (msg !== undefined && [...msg].length > MSG_MAX_CHARS) {
    throw new UserError('commands.transfer.messages.msgTooLong', { max: MSG_MAX_CHARS, length: [...msg].length });
  }
  return { from, to, msg };
}

const apiName = (kind: TransferKind) => (kind === 'onjob' ? 'transfer_customer' : 'resigned/transfer_customer');

function planCard(ctx: CommandContext, kind: TransferKind, m: Members, count: number, titleKey: string): Omit<Plan, 'payload'> {
  const kindText = ctx.t(`commands.transfer.kinds.${kind}`);
  return {
    summary: {
      title: ctx.t(titleKey, { count, from: m.from, to: m.to }),
      sections: [
        {
          lines: [
            ctx.t('commands.transfer.messages.planKind', { kind: kindText, api: apiName(kind) }),
            ...(m.msg !== undefined && kind === 'onjob' ? [ctx.t('commands.transfer.messages.planMsg', { msg: m.msg })] : []),
          ],
        },
      ],
    },
    fields: [
      [ctx.t('commands.transfer.fields.count'), String(count)],
      [ctx.t('commands.transfer.fields.from'), m.from],
      [ctx.t('commands.transfer.fields.to'), m.to],
      [ctx.t('commands.transfer.fields.kind'), kindText],
    ],
  };
}

interface SinglePayload extends Members {
  kind: TransferKind;
  ids: string[];
}

/** The outcome of transfers: counts, then the failures grouped by reason. */
function summary(ctx: CommandContext, ok: number, failed: { id: string; errcode: number }[], m: Members): Reply {
  return {
    title: ctx.t('commands.transfer.messages.done', { ok, failed: failed.length, from: m.from, to: m.to }),
    tone: failed.length === 0 ? 'info' : 'warning',
    sections: [
      { lines: [ctx.t('commands.transfer.messages.takesTime')] },
      ...failureSections(ctx, failed),
    ],
  };
}

// ---- /转接 <ids> --------------------------------------------------------------------------------------------------

async function planSingle(ctx: CommandContext): Promise<Plan> {
  const m = members(ctx);
  const ids = [...new Set(ctx.args.ids as string[])];
  const kind = await handoverKind(ctx, m.from);
  const payload: SinglePayload = { ...m, kind, ids };
  return { ...planCard(ctx, kind, m, ids.length, 'commands.transfer.messages.planTitle'), payload };
}

async function executeSingle(ctx: CommandContext, payload: unknown): Promise<Reply> {
  const p = payload as SinglePayload;
  let ok = 0;
  const failed: { id: string; errcode: number }[] = [];
  for (const ids of chunk(p.ids, TRANSFER_BATCH)) {
    const res = await transferBatch(ctx, p.kind, ids, p.from, p.to, p.msg);
    for (const c of res.customer) {
      if (c.errcode === 0) ok += 1;
      else failed.push({ id: c.external_userid, errcode: c.errcode });
    }
  }
  return summary(ctx, ok, failed, p);
}

// ---- /转接 全部: a durable job ------------------------------------------------------------------------------------

interface TransferJobState extends Members {
  kind: TransferKind;
  ids: string[];
  /** Batches whose answer was recorded. */
  done: number[];
  /** Batches sent and not yet answered (after a crash: checked against transfer_result, never re-sent blindly). */
  inflight: number[];
  ok: number;
  failed: { id: string; errcode: number }[];
  lastProgressAt: number;
}

const jobClaim = (from: string) => `job:transfer:${from.toLowerCase()}`;

async function planAll(ctx: CommandContext): Promise<Plan> {
  const m = members(ctx);
  const kind = await handoverKind(ctx, m.from);
  const ids = await customersOf(ctx, kind, m.from);
  if (ids.length === 0) throw new UserError('commands.transfer.messages.nothing', { user: m.from });
  const payload: SinglePayload = { ...m, kind, ids };
  return { ...planCard(ctx, kind, m, ids.length, 'commands.transfer.messages.planAllTitle'), payload };
}

async function executeAll(ctx: CommandContext, payload: unknown): Promise<Reply> {
  const p = payload as SinglePayload;
  // One transfer job per handover member at a time, across instances.
  if (!(await ctx.store.claim(jobClaim(p.from), 24 * 3600_000))) {
    throw new UserError('commands.transfer.messages.jobRunning', { user: p.from });
  }
  const state: TransferJobState = { ...p, done: [], inflight: [], ok: 0, failed: [], lastProgressAt: Date.now() };
  await ctx.services.jobs.start('transfer-all', ctx.user, ctx.locale, state);
  return {
    title: ctx.t('commands.transfer.messages.jobStarted', { count: p.ids.length, batches: Math.ceil(p.ids.length / TRANSFER_BATCH) }),
    tone: 'comment',
  };
}

/** After a crash, a batch may have been accepted without its answer being saved: ask WeCom which were. */
async function reconcile(ctx: CommandContext, s: TransferJobState, batches: string[][]): Promise<void> {
  if (s.inflight.length === 0) return;
  const recorded = new Map<string, TransferStatus>();
  const api = ctx.client.externalContact;
  const pages = s.kind === 'onjob' ? api.iterateTransferResult(s.from, s.to) : api.iterateResignedTransferResult(s.from, s.to);
  for await (const page of pages) for (const c of page.customer) recorded.set(c.external_userid, c.status);
  for (const index of s.inflight) {
    const batch = batches[index] ?? [];
    const missing = batch.filter((id) => !recorded.has(id));
    s.ok += batch.length - missing.length;
    if (missing.length > 0) {
      const res = await transferBatch(ctx, s.kind, missing, s.from, s.to, s.msg);
      for (const c of res.customer) {
        if (c.errcode === 0) s.ok += 1;
        else s.failed.push({ id: c.external_userid, errcode: c.errcode });
      }
    }
    s.done.push(index);
  }
  s.inflight = [];
}

async function runTransferJob(job: JobRecord<TransferJobState>, control: JobControl<TransferJobState>, ctx: CommandContext): Promise<void> {
  try {
    await transferAll(job, control, ctx);
  } catch (err) {
    // A job that failed is not resumed: free the member for a new one and say what happened.
    await ctx.store.release(jobClaim(job.state.from));
    await ctx.send({ title: ctx.t('commands.transfer.messages.jobFailed', { ok: job.state.ok, total: job.state.ids.length }), tone: 'warning' });
    throw err;
  }
}

async function transferAll(job: JobRecord<TransferJobState>, control: JobControl<TransferJobState>, ctx: CommandContext): Promise<void> {
  const s = job.state;
  const batches = chunk(s.ids, TRANSFER_BATCH);
  await reconcile(ctx, s, batches);
  await control.save(s);
  const quarters = new Set([0.25, 0.5, 0.75].map((q) => Math.ceil(batches.length * q)));
  const pending = batches.map((_, i) => i).filter((i) => !s.done.includes(i));
  const worker = async () => {
    for (;;) {
      if (control.stopping) return;
      const index = pending.shift();
      if (index === undefined) return;
      s.inflight.push(index);
      await control.save(s);
      const res = await transferBatch(ctx, s.kind, batches[index] as string[], s.from, s.to, s.msg);
      s.kind = res.kind;
      for (const c of res.customer) {
        if (c.errcode === 0) s.ok += 1;
        else s.failed.push({ id: c.external_userid, errcode: c.errcode });
      }
      s.inflight = s.inflight.filter((i) => i !== index);
      s.done.push(index);
      await control.save(s);
      const now = Date.now();
      if (s.done.length < batches.length && (quarters.has(s.done.length) || now - s.lastProgressAt >= PROGRESS_EVERY_MS)) {
        s.lastProgressAt = now;
        await ctx.send({
          title: ctx.t('commands.transfer.messages.progress', { done: s.done.length, batches: batches.length, ok: s.ok, failed: s.failed.length }),
          tone: 'comment',
        });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(JOB_CONCURRENCY, pending.length) }, worker));
  if (s.done.length < batches.length) return; // stopping: the next process resumes
  await ctx.send(summary(ctx, s.ok, s.failed, s));
  await ctx.store.release(jobClaim(s.from));
}

// ---- /转接 结果 -------------------------------------------------------------------------------------------------

async function results(ctx: CommandContext): Promise<Reply> {
  const m = members(ctx);
  const kind = await handoverKind(ctx, m.from);
  const api = ctx.client.externalContact;
  const pages = kind === 'onjob' ? api.iterateTransferResult(m.from, m.to) : api.iterateResignedTransferResult(m.from, m.to);
  const byStatus = new Map<TransferStatus, string[]>();
  for await (const page of pages) {
    for (const c of page.customer) byStatus.set(c.status, [...(byStatus.get(c.status) ?? []), c.external_userid]);
  }
  const total = [...byStatus.values()].reduce((a, ids) => a + ids.length, 0);
  if (total === 0) return { title: ctx.t('commands.transfer.messages.noResults', { from: m.from, to: m.to }) };
  const waiting = byStatus.get(2) ?? [];
  return {
    title: ctx.t('commands.transfer.messages.resultsTitle', { from: m.from, to: m.to, total }),
    sections: [
      {
        lines: ([1, 2, 3, 4, 5] as TransferStatus[])
          .filter((st) => byStatus.has(st))
          .map((st): Line => row(ctx.t(`commands.transfer.statuses.${st}`), bold(byStatus.get(st)!.length))),
      },
      ...(waiting.length > 0
        ? [
            {
              heading: [bold(ctx.t('commands.transfer.messages.waitingHeading', { count: waiting.length }))] as Line,
              lines: [
                ...waiting.slice(0, 20).map((id): Line => code(id)),
                ...(waiting.length > 20 ? [color('comment', ctx.t('commands.transfer.messages.more', { count: waiting.length - 20 }))] : []),
              ],
            },
          ]
        : []),
    ],
  };
}

// ---- /转接 群 --------------------------------------------------------------------------------------------------

interface ChatPayload {
  from: string;
  to: string;
  kind: TransferKind;
  chats: string[];
}

async function planChats(ctx: CommandContext): Promise<Plan> {
  const m = members(ctx);
  const kind = await handoverKind(ctx, m.from);
  const words = ctx.args.chats as string[];
  let chats: string[];
  if (words.length === 1 && ['全部', 'all'].includes(words[0]!.toLowerCase())) {
    chats = [];
    for await (const page of ctx.client.externalContact.iterateGroupChats({ owner_filter: { userid_list: [m.from] }, limit: 1000 })) {
      chats.push(...page.group_chat_list.map((c) => c.chat_id));
    }
    if (chats.length === 0) throw new UserError('commands.transfer.messages.noChats', { user: m.from });
  } else {
    chats = [...new Set(words)];
  }
  const kindText = ctx.t(`commands.transfer.kinds.${kind}`);
  const payload: ChatPayload = { from: m.from, to: m.to, kind, chats };
  return {
    summary: {
      title: ctx.t('commands.transfer.messages.planChatsTitle', { count: chats.length, from: m.from, to: m.to }),
      sections: [{ lines: [ctx.t('commands.transfer.messages.planKind', { kind: kindText, api: kind === 'onjob' ? 'groupchat/onjob_transfer' : 'groupchat/transfer' })] }],
    },
    fields: [
      [ctx.t('commands.transfer.fields.chats'), String(chats.length)],
      [ctx.t('commands.transfer.fields.from'), m.from],
      [ctx.t('commands.transfer.fields.to'), m.to],
    ],
    payload,
  };
}

async function executeChats(ctx: CommandContext, payload: unknown): Promise<Reply> {
  const p = payload as ChatPayload;
  const api = ctx.client.externalContact;
  const failed: { id: string; errcode: number }[] = [];
  for (const ids of chunk(p.chats, TRANSFER_BATCH)) {
    let res = p.kind === 'onjob' ? await api.onjobTransferGroupChat(ids, p.to) : await api.transferGroupChat(ids, p.to);
    // Chats refused because the owner has not resigned go through the in-service API instead.
    const notResigned = res.failed_chat_list.filter((f) => f.errcode === 90500).map((f) => f.chat_id);
    if (p.kind === 'resigned' && notResigned.length > 0) {
      const retry = await api.onjobTransferGroupChat(notResigned, p.to);
      res = { ...res, failed_chat_list: [...res.failed_chat_list.filter((f) => f.errcode !== 90500), ...retry.failed_chat_list] };
    }
    failed.push(...res.failed_chat_list.map((f) => ({ id: f.chat_id, errcode: f.errcode })));
  }
  return {
    title: ctx.t('commands.transfer.messages.chatsDone', { ok: p.chats.length - failed.length, failed: failed.length, to: p.to }),
    tone: failed.length === 0 ? 'info' : 'warning',
    sections: failureSections(ctx, failed),
  };
}

const memberOptions = [
  { name: 'from', type: 'string' as const },
  { name: 'to', type: 'string' as const },
];

/** WeCom could not hand a customer over: whoever started the transfer (or the admins) is told why. */
const noticeTransferFailure: EventHandler<'external_contact'> = async (inbound, events) => {
    if (inbound.changeType !== 'transfer_fail') return;
  const member = inbound.userId ?? '';
  const origin = await originOf(events.store, member);
  const recipients = origin ? [origin.by] : events.services.admins;
  for (const user of recipients) {
    const ctx = await events.contextFor(user);
    const reason = inbound.failReason === 'customer_refused' || inbound.failReason === 'customer_limit_exceed' ? inbound.failReason : 'other';
    await ctx.send({
      title: ctx.t('commands.transfer.messages.failNotice', { customer: inbound.externalUserId ?? '', member }),
      tone: 'warning',
      sections: [
        {
          lines: [
            row(ctx.t('commands.transfer.messages.failReason'), ctx.t(`commands.transfer.failReasons.${reason}`)),
            ...(origin ? [row(ctx.t('commands.transfer.messages.failOrigin'), `${origin.from} → ${origin.to}`)] : []),
          ],
        },
      ],
    });
  }
  events.log.info({ event: 'transfer.fail_notice', recipients: recipients.length, reason: inbound.failReason });
};

/** /转接: hand customers (one by one, all of them as a job) and group chats from one member to another. */
const transfer: CommandDefinition = {
  id: 'transfer',
  names: { 'zh-Hans': '转接', 'zh-Hant': '轉接', en: 'transfer' },
  actions: [
    {
      role: 'admin',
      args: [{ name: 'ids', type: 'list', required: true }],
      options: [...memberOptions, { name: 'msg', type: 'string', redact: true }],
      plan: planSingle,
      execute: executeSingle,
    },
    {
      sub: { 'zh-Hans': '全部', 'zh-Hant': '全部', en: 'all' },
      role: 'admin',
      options: [...memberOptions, { name: 'msg', type: 'string', redact: true }],
      plan: planAll,
      execute: executeAll,
    },
    {
      sub: { 'zh-Hans': '结果', 'zh-Hant': '結果', en: 'result' },
      role: 'admin',
      options: memberOptions,
      run: results,
    },
    {
      sub: { 'zh-Hans': '群', 'zh-Hant': '群', en: 'groups' },
      role: 'admin',
      args: [{ name: 'chats', type: 'list', required: true }],
      options: memberOptions,
      plan: planChats,
      execute: executeChats,
    },
  ],
  jobs: { 'transfer-all': runTransferJob as never },
  events: { external_contact: noticeTransferFailure },
};

export default transfer;
