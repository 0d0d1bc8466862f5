import type { AibotCardClick, AibotTextMessage, Inbound, TemplateCardEvent, TextMessage } from '../callback/inbound.js';
import type { Logger } from '../log.js';
import type { AuditLog } from './audit-log.js';
import { audited } from './audited.js';
import type { EventContext } from './command.js';
import type { Registry } from './registry.js';

/**
 * Hands a WeCom event to every command that handles its kind, each on its own: one failing does not keep the others
 * from their work. A failure is recorded in the audit log and thrown to the worker (which logs it); the delivery is
 * then done.
 */
export async function fanOutEvent(
  deps: { registry: Registry; audit: AuditLog; log: Logger },
  inbound: Exclude<Inbound, TextMessage | TemplateCardEvent | AibotTextMessage | AibotCardClick>,
  events: (commandId: string) => EventContext,
): Promise<void> {
  const handlers = deps.registry.commands.flatMap((command) => {
    const handler = command.events?.[inbound.kind] as ((inbound: Inbound, ctx: EventContext) => Promise<void>) | undefined;
    return handler ? [{ id: command.id, handler }] : [];
  });
  if (handlers.length === 0) {
    deps.log.info({ event: 'inbound.ignored', kind: inbound.kind });
    return;
  }
  const outcomes = await Promise.all(
    handlers.map(({ id, handler }) =>
      audited(deps, { userid: 'sys', command: `${id}.event`, args: { kind: inbound.kind } }, () => handler(inbound, events(id)), { recordSuccess: false }),
    ),
  );
  const failed = outcomes.find((o) => !o.ok);
  if (failed && !failed.ok) throw failed.error;
}
