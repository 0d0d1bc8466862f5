import { UserError, type CommandContext, type Plan } from '../../src/bot/command.js';
import type { Reply } from '../../src/render/reply.js';
import { failureSections, type TransferFailure, type TransferKind } from '../_lib/transfers.js';

/** WeCom's limit for the message customers get after an in-service transfer. */
const MSG_MAX_CHARS = 200;

/** `--from` and `--to`, required by every transfer action. */
export const memberOptions = [
  { name: 'from', type: 'string', required: true },
  { name: 'to', type: 'string', required: true },
] as const;

/** `--msg`, the customers' message after an in-service transfer (a free text: kept out of the audit log). */
export const msgOption = { name: 'msg', type: 'string', redact: true } as const;

/** Who hands over, who takes over, and what customers are told. */
export interface Members {
  from: string;
  to: string;
  msg: string | undefined;
}

/**
 * The members of a transfer, checked before any call: two different members, and a message within WeCom's limit.
 * @throws UserError naming what is wrong.
 */
export function members(args: { from: string; to: string; msg?: string }): Members {
  const { from, to, msg } = args;
  if (from.toLowerCase() === to.toLowerCase()) throw new UserError('commands.transfer.messages.sameMember');
  if (msg !== undefined && [...msg].length > MSG_MAX_CHARS) {
    throw new UserError('commands.transfer.messages.msgTooLong', { max: MSG_MAX_CHARS, length: [...msg].length });
  }
  return { from, to, msg };
}

/** The card of a customer transfer: title, kind, and the rows of counts and members. */
export function planCard(ctx: CommandContext, kind: TransferKind, m: Members, count: number, titleKey: string): Omit<Plan, 'payload'> {
  const kindText = ctx.t(`commands.transfer.kinds.${kind}`);
  return {
    summary: {
      title: ctx.t(titleKey, { count, from: m.from, to: m.to }),
      sections: [
        {
          lines: [
            ctx.t('commands.transfer.messages.planKind', { kind: kindText, api: kind === 'onjob' ? 'transfer_customer' : 'resigned/transfer_customer' }),
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

/** The outcome of customer transfers: counts, then the failures grouped by reason. */
export function outcome(ctx: CommandContext, ok: number, failed: TransferFailure[], m: Pick<Members, 'from' | 'to'>): Reply {
  return {
    title: ctx.t('commands.transfer.messages.done', { ok, failed: failed.length, from: m.from, to: m.to }),
    tone: failed.length === 0 ? 'info' : 'warning',
    sections: [{ lines: [ctx.t('commands.transfer.messages.takesTime')] }, ...failureSections(ctx, failed)],
  };
}

/** What a customer transfer proposes and later executes. */
export interface CustomersPayload extends Members {
  kind: TransferKind;
  ids: string[];
}
