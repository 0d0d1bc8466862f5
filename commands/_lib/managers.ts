import { hasRole, type CommandContext } from '../../src/bot/command.js';

/**
 * The departments `manager` looks after: those they lead (负责人, `is_leader_in_dept`) and every one under them;
 * `everyone` when they lead none (a manager named in BOT_MANAGERS or in chat without a department of their own);
 * undefined when the contacts do not show them (out of the app's visible range, a refusal).
 */
async function departmentsOf(ctx: CommandContext, manager: string): Promise<ReadonlySet<number> | 'everyone' | undefined> {
  const info = await ctx.client.contacts.member(manager).catch(() => undefined);
  if (!info) return undefined;
  const led = info.department.filter((_, i) => info.is_leader_in_dept?.[i] === 1);
  if (led.length === 0) return 'everyone';
  const departments = new Set<number>();
  for (const department of led) {
    for (const d of (await ctx.client.contacts.departments(department).catch(() => undefined))?.department_id ?? [{ id: department }]) departments.add(d.id);
  }
  return departments;
}

/**
 * The managers (or admins) who look after `member`: those whose departments (see {@link departmentsOf}) hold one of
 * the member's, and those who lead none. A manager the contacts do not show is left out.
 */
export async function managersOf(ctx: CommandContext, member: string): Promise<string[]> {
  const managers = [...new Set((await ctx.services.roles.list()).filter((h) => hasRole(h.role, 'manager')).map((h) => h.userid))].filter(
    (m) => m.toLowerCase() !== member.toLowerCase(),
  );
  if (managers.length === 0) return [];
  const memberDepartments = (await ctx.client.contacts.member(member).catch(() => undefined))?.department ?? [];
  const out: string[] = [];
  for (const manager of managers) {
    const departments = await departmentsOf(ctx, manager);
    if (departments === 'everyone' || (departments && memberDepartments.some((id) => departments.has(id)))) out.push(manager);
  }
  return out;
}

/**
 * The members `manager` looks after, among `contact` (those with customer contact, get_follow_user_list): the members of their departments, or everyone
 * when they lead none. Nobody when the contacts do not show them, rather than the whole corp to a department's leader.
 */
export async function lookedAfterBy(ctx: CommandContext, manager: string, contact: readonly string[]): Promise<{ members: string[]; everyone: boolean }> {
  const departments = await departmentsOf(ctx, manager);
  if (!departments) return { members: [], everyone: false };
  if (departments === 'everyone') return { members: [...contact], everyone: true };
  const inThem = new Set<string>();
  for (const department of departments) {
    for (const m of (await ctx.client.contacts.members(department).catch(() => undefined))?.userlist ?? []) inThem.add(m.userid.toLowerCase());
  }
  return { members: contact.filter((userid) => inThem.has(userid.toLowerCase())), everyone: false };
}
