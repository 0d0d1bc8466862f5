import { defineNamespace, hasRole, UserError, type CommandContext, type EventContext, type Namespace, type Role } from '../../src/bot/command.js';

/** What a member may be told of without asking, by the role it needs and whether it is on until they say otherwise. */
export interface Item {
  id: 'lost' | 'teamLost' | 'deletions' | 'dismissed' | 'weekly' | 'resigned';
  role: Role;
  /** On for everyone who may have it, until they turn it off. */
  onByDefault: boolean;
}

export const ITEMS: readonly Item[] = [
  { id: 'lost', role: 'staff', onByDefault: true },
  { id: 'teamLost', role: 'manager', onByDefault: false },
  { id: 'dismissed', role: 'manager', onByDefault: false },
  { id: 'weekly', role: 'manager', onByDefault: true },
  { id: 'deletions', role: 'admin', onByDefault: false },
  { id: 'resigned', role: 'admin', onByDefault: true },
];

/** Each member's own choices (by lower-case UserID): items turned on or off; what is absent is the default. */
export const SUBSCRIPTIONS = defineNamespace<Partial<Record<Item['id'], boolean>>>('subscriptions');

/** Whether `user` (holding `role`) receives `item`. */
export async function receives(state: Namespace<Partial<Record<Item['id'], boolean>>>, user: string, role: Role, item: Item['id']): Promise<boolean> {
  const declared = ITEMS.find((i) => i.id === item)!;
  if (!hasRole(role, declared.role)) return false;
  return (await state.get(user.toLowerCase()))?.[item] ?? declared.onByDefault;
}

/** The items `ctx.role` may have, by their names in the member's language, as a question's choices. */
export function itemChoices(ctx: CommandContext): { value: string; label: string }[] {
  return ITEMS.filter((i) => hasRole(ctx.role, i.role)).map((i) => ({ value: ctx.t(`items.${i.id}.name`), label: ctx.t(`items.${i.id}.name`) }));
}

/**
 * Those of `users` who receive `item`, each with the context of a command run by them (their role and language); with
 * `always`, every one of them.
 */
export async function receiversAmong(events: EventContext, users: Iterable<string>, item: Item['id'] | 'always'): Promise<CommandContext[]> {
  const state = events.state(SUBSCRIPTIONS);
  const out: CommandContext[] = [];
  for (const user of new Set(users)) {
    const ctx = await events.contextFor(user);
    if (item === 'always' || (await receives(state, user, ctx.role, item))) out.push(ctx);
  }
  return out;
}

/** The item a word names, in any script (its name or one of its words), among those `ctx.role` may have. */
export function itemNamed(ctx: CommandContext, word: string): Item {
  const wanted = word.trim().toLowerCase();
  const found = ITEMS.find((item) =>
    [
      item.id.toLowerCase(),
      ...(['zh-Hans', 'zh-Hant', 'en'] as const).flatMap((l) => ctx.translate(l, `commands.subscribe.items.${item.id}.words`).split('|')),
    ].some((w) => w.toLowerCase() === wanted),
  );
  // A wrong word is asked again, with the items this member may have to pick from (not listed in the message: the
  // audit shows a message in its reader's language, and the names would stay in the typer's).
  const allowed = itemChoices(ctx);
  if (!found) throw new UserError('commands.subscribe.messages.unknownItem', { value: word }, { word, choices: allowed });
  if (!hasRole(ctx.role, found.role)) {
    throw new UserError(`commands.subscribe.messages.notForRole.${found.role === 'admin' ? 'admin' : 'manager'}`, { item: word }, { word, choices: allowed });
  }
  return found;
}
