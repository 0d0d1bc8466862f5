import type { EventHandler } from '../../src/bot/command.js';
import { row } from '../../src/render/reply.js';
import { memberLabels } from '../_lib/directory.js';

/**
 * WeCom could not hand a customer over (the customer refused, or the takeover had no room): the customer is no longer
 * in transfer (a new transfer may be started at once), and whoever started that customer's transfer (else whoever
 * last moved customers to that member, else the admins) is told which customer and why.
 */
export const noticeTransferFailure: EventHandler<'external_contact'> = async (inbound, events) => {
  // The takeover came: the customer is no longer in transfer.
  if (inbound.changeType === 'add_external_contact' && inbound.externalUserId && inbound.userId) {
    if (await events.services.transfers.takenOver(inbound.externalUserId, inbound.userId)) events.log.info({ event: 'transfer.taken_over' });
    return;
  }
  if (inbound.changeType !== 'transfer_fail') return;
  const member = inbound.userId ?? '';
  const customer = inbound.externalUserId ?? '';
  const pending = customer ? await events.services.transfers.pendingOf(customer) : undefined;
  if (customer) await events.services.transfers.failed(customer);
  const origin = pending ? { by: pending.by, from: pending.from, to: pending.to } : await events.services.transfers.originOf(member);
  const recipients = origin ? [origin.by] : events.services.admins;
  // The customer by name, when WeCom still gives it.
  const name = customer
    ? await events.client.externalContact.get(customer).then(
        (r) => r.external_contact.name,
        () => undefined,
      )
    : undefined;
  const reason = inbound.failReason === 'customer_refused' || inbound.failReason === 'customer_limit_exceed' ? inbound.failReason : 'other';
  for (const user of recipients) {
    const ctx = await events.contextFor(user);
    const label = await memberLabels(ctx);
    await ctx.send({
      title: ctx.t('messages.failNotice', {
        customer: name ? ctx.t('messages.customerLabel', { name, id: customer }) : customer,
        member: label(member),
      }),
      tone: 'warning',
      sections: [
        {
          lines: [
            row(ctx.t('messages.failReason'), ctx.t(`failReasons.${reason}`)),
            ...(origin ? [row(ctx.t('messages.failOrigin'), `${label(origin.from)} → ${label(origin.to)}`)] : []),
            ctx.t(`failNext.${reason}`),
          ],
        },
      ],
    });
  }
  events.log.info({ event: 'transfer.fail_notice', recipients: recipients.length, reason: inbound.failReason });
};
