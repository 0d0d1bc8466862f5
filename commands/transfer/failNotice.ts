import type { EventHandler } from '../../src/bot/command.js';
import { row } from '../../src/render/reply.js';
import { originOf } from '../_lib/transfers.js';

/** WeCom could not hand a customer over: whoever started the transfer (or the admins) is told why. */
export const noticeTransferFailure: EventHandler<'external_contact'> = async (inbound, events) => {
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
