import { action, UserError, type CommandContext, type JobControl, type JobRecord } from '../../src/bot/command.js';
import type { TransferStatus } from '../../src/wecom/index.js';
import { chunk, tally, transferBatch, TRANSFER_BATCH, type Tally } from '../_lib/transfers.js';
import { subjectOf } from './customers.js';
import { changedSince, memberChoices, memberOptions, msgOption, namedMembers, outcome, planCard, transferable, type CustomersPayload } from './shared.js';

/** Transfer calls in flight at once during a bulk job (WeCom answers 45033 to too many). */
const JOB_CONCURRENCY = 2;
/** Failed customers a summary names by reason before it only counts them. */
const SUMMARY_NAMED = 20;
/** A bulk job says how far it got at least this often. */
const PROGRESS_EVERY_MS = 10_000;
/** The durable job type of `/转接 全部`. */
export const TRANSFER_ALL_JOB = 'transfer-all';

/** The saved state of a bulk transfer, after each batch. */
export interface TransferJobState extends CustomersPayload, Tally {
  /** Batches whose answer was recorded. */
  done: number[];
  /** Batches sent and not yet answered (after a crash: checked against transfer_result, never re-sent blindly). */
  inflight: number[];
  lastProgressAt: number;
}

const jobClaim = (from: string) => `job:transfer:${from.toLowerCase()}`;

/** `/转接 全部 --from … --to …`: every customer of a member, as a durable job with progress and a summary. */
export const transferAll = action({
  sub: { 'zh-Hans': '全部', 'zh-Hant': '全部', en: 'all' },
  role: 'admin',
  options: [...memberOptions, msgOption],
  ask: memberChoices,
  plan: async (ctx) => {
    const m = await namedMembers(ctx, ctx.args);
    const { kind, ids, pending } = await transferable(ctx, m);
    const payload: CustomersPayload = { ...m, kind, ids };
    return { ...(await planCard(ctx, kind, m, ids.length, 'commands.transfer.messages.planAllTitle', pending.length)), subject: subjectOf(m.from), payload };
  },
  execute: async (ctx, p) => {
    const changed = await changedSince(ctx, p);
    if (changed) return changed;
    // One transfer job per handover member at a time, across instances.
    if (!(await ctx.claims.claim(jobClaim(p.from), 24 * 3600_000))) await explainBusy(ctx, p.from);
    const state: TransferJobState = { ...p, done: [], inflight: [], ok: 0, failed: [], lastProgressAt: Date.now() };
    await ctx.services.jobs.start(TRANSFER_ALL_JOB, ctx.user, ctx.locale, state);
    return {
      title: ctx.t('messages.jobStarted', { count: p.ids.length, batches: Math.ceil(p.ids.length / TRANSFER_BATCH) }),
      tone: 'comment',
    };
  },
});

/** After a crash, a batch may have been accepted without its answer being saved: ask WeCom which were. */
async function reconcile(ctx: CommandContext, s: TransferJobState, batches: string[][]): Promise<void> {
  if (s.inflight.length === 0) return;
  const recorded = new Map<string, TransferStatus>();
  const api = ctx.client.externalContact;
  const members = { handover_userid: s.from, takeover_userid: s.to };
  const pages = s.kind === 'onjob' ? api.iterateTransferResult(members) : api.iterateResignedTransferResult(members);
  for await (const page of pages) for (const c of page.customer) recorded.set(c.external_userid, c.status);
  for (const index of s.inflight) {
    const batch = batches[index] ?? [];
    const missing = batch.filter((id) => !recorded.has(id));
    s.ok += batch.length - missing.length;
    if (missing.length > 0) tally(s, (await transferBatch(ctx, s.kind, missing, s.from, s.to, s.msg)).customer);
    s.done.push(index);
  }
  s.inflight = [];
}

async function runBatches(job: JobRecord<TransferJobState>, control: JobControl<TransferJobState>, ctx: CommandContext): Promise<void> {
  const s = job.state;
  const batches = chunk(s.ids, TRANSFER_BATCH);
  await reconcile(ctx, s, batches);
  await control.save(s);
  // At least every tenth of the batches (a 200-batch job says how far it got 9 times), and every 10 s.
  const tenths = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9].map((k) => Math.ceil((batches.length * k) / 10)));
  const pending = batches.map((_, i) => i).filter((i) => !s.done.includes(i));
  const worker = async () => {
    for (;;) {
      if (control.stopping) return;
      const index = pending.shift();
      if (index === undefined) return;
      s.inflight.push(index);
      await control.save(s);
      const res = await transferBatch(ctx, s.kind, batches[index] ?? [], s.from, s.to, s.msg);
      s.kind = res.kind;
      tally(s, res.customer);
      s.inflight = s.inflight.filter((i) => i !== index);
      s.done.push(index);
      await control.save(s);
      const now = Date.now();
      if (s.done.length < batches.length && (tenths.has(s.done.length) || now - s.lastProgressAt >= PROGRESS_EVERY_MS)) {
        s.lastProgressAt = now;
        await ctx.send({
          title: ctx.t('messages.progress', { done: s.done.length, batches: batches.length, ok: s.ok, failed: s.failed.length }),
          tone: 'comment',
        });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(JOB_CONCURRENCY, pending.length) }, worker));
  if (s.done.length < batches.length) return; // stopping: the next process resumes
  // The summary fits one message however many failed: counts per reason, a few customers each, the rest by /转接 结果.
  await ctx.send(await outcome(ctx, s.ok, s.failed, s, s.failed.length > SUMMARY_NAMED ? 5 : SUMMARY_NAMED));
  await ctx.claims.release(jobClaim(s.from));
}

/**
 * Says why a member's customers cannot be handed over now, truthfully: their job is running (how far it got), or its
 * instance died and another is taking it over now. A claim whose job is gone (a process died between the end and the
 * release) is released, and the caller goes on.
 * @throws UserError unless the claim could be taken after all.
 */
async function explainBusy(ctx: CommandContext, from: string): Promise<void> {
  const same = (s: TransferJobState) => s.from.toLowerCase() === from.toLowerCase();
  const running = await ctx.services.jobs.findRunning<TransferJobState>(TRANSFER_ALL_JOB, same);
  if (!running) {
    await ctx.claims.release(jobClaim(from));
    if (await ctx.claims.claim(jobClaim(from), 24 * 3600_000)) return;
    throw new UserError('commands.transfer.messages.jobRunning', { user: from });
  }
  const { state } = running.job;
  const progress = { user: from, done: state.done.length, batches: Math.ceil(state.ids.length / TRANSFER_BATCH) };
  throw new UserError(running.live ? 'commands.transfer.messages.jobRunningAt' : 'commands.transfer.messages.jobResuming', progress);
}

/** Runs (or resumes) a bulk transfer; a job that failed frees its member for a new one and says how far it got. */
export async function runTransferJob(job: JobRecord<TransferJobState>, control: JobControl<TransferJobState>, ctx: CommandContext): Promise<void> {
  try {
    await runBatches(job, control, ctx);
  } catch (err) {
    await ctx.claims.release(jobClaim(job.state.from));
    await ctx.send({ title: ctx.t('messages.jobFailed', { ok: job.state.ok, total: job.state.ids.length }), tone: 'warning' });
    throw err;
  }
}
