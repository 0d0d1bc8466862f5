import { hasRole, PermissionDenied } from '../../command.js';
import { explainError } from '../../explain.js';
import type { Stage } from '../turn.js';

/** Permission first: before parsing, before any confirmation is offered. A refusal is audited and said in words. */
export const authorize: Stage = {
  name: 'authorize',
  async run(turn, services) {
    const { found, user } = turn;
    if (!found) return 'done';
    turn.role = services.roles.of(user);
    if (hasRole(turn.role, found.action.role)) return 'next';
    await services.audit.append({ userid: user, command: found.actionId, args: {}, decision: 'denied', reason: { kind: 'role', needed: found.action.role } });
    await services.reply(user, explainError(new PermissionDenied(found.action.role), turn.locale));
    return 'done';
  },
};
