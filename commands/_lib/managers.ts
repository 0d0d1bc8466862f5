import { hasRole, type CommandContext } from '../../src/bot/command.js';

/**
 * The managers who look after `member`: each member holding the manager role (or admin) who leads (负责人, `is_leader_in_dept`)
 * one of the member's departments or a department above it, and those who lead no department at all (a manager
 * named in BOT_MANAGERS or in chat without a department of their own sees everyone). Read from the contacts; a
 * manager the contacts do not show (out of the app's visible range) is left out.
 */
export async function managersOf(ctx: CommandContext, member: string): Promise<string[]> {
  const managers = [...new Set((await ctx.services.roles.list()).filter((h) => hasRole(h.role, 'manager')).map((h) => h.userid))].filter(
    (m) => m.toLowerCase() !== member.toLowerCase(),
  );
  if (managers.length === 0) return [];
  const memberDepartments = new Set((await ctx.client.contacts.member(member).catch(() => undefined))?.department ?? []);
  const out: string[] = [];
  for (const manager of managers) {
    const info = await ctx.client.contacts.member(manager).catch(() => undefined);
    if (!info) continue;
    const led = info.department.filter((_, i) => info.is_leader_in_dept?.[i] === 1);
    if (led.length === 0) {
      out.push(manager);
      continue;
    }
    for (const department of led) {
      const under = (await ctx.client.contacts.departments(department).catch(() => undefined))?.department_id.map((d) => d.id) ?? [department];
      if (under.some((id) => memberDepartments.has(id))) {
        out.push(manager);
        break;
      }
    }
  }
  return out;
}

/**
 * The members `manager` looks after, among those with customer contact: the members of the departments they lead and
 * of the departments under them, or everyone when they lead none (see {@link managersOf}).
 */
export async function lookedAfterBy(ctx: CommandContext, manager: string): Promise<{ members: string[]; everyone: boolean }> {
  const contact = (await ctx.client.externalContact.getFollowUsers()).follow_user;
  const info = await ctx.client.contacts.member(manager).catch(() => undefined);
  // Unread (out of the visible range, a refusal): nobody, rather than the whole corp's figures to a department's leader.
  if (!info) return { members: [], everyone: false };
  const led = info.department.filter((_, i) => info.is_leader_in_dept?.[i] === 1);
  if (led.length === 0) return { members: contact, everyone: true };
  const departments = new Set<number>();
  for (const department of led) {
    for (const d of (await ctx.client.contacts.departments(department).catch(() => undefined))?.department_id ?? [{ id: department }]) departments.add(d.id);
  }
  const inThem = new Set<string>();
  for (const department of departments) {
    for (const m of (await ctx.client.contacts.members(department).catch(() => undefined))?.userlist ?? []) inThem.add(m.userid.toLowerCase());
  }
  return { members: contact.filter((userid) => inThem.has(userid.toLowerCase())), everyone: false };
}
