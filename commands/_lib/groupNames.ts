import { WeComError } from '../../src/wecom/index.js';
import { defineNamespace, nearest, foldScript, hasRole, UserError, type AskChoice, type CommandContext } from '../../src/bot/command.js';

/** A group chat's name as groupchat/get gave it: names change rarely, so they are kept a day (groupchat/list has none). */
const GROUP_NAMES = defineNamespace<{ name: string; owner: string }>('group-names');
const NAME_TTL_MS = 24 * 3600_000;

/** Group chats looked at by name at most: beyond it, a chat is named by its id (a big corp names the owner too). */
const MAX_LOOKED_AT = 500;

/** What a chat id looks like (wr…); anything else is a name. */
const CHAT_ID = /^wr[A-Za-z0-9_-]{10,}$/;

/** The chats the asker may look at by name: staff their own, others every chat (or `owners`'), with their names. */
export async function namedChats(ctx: CommandContext, owners: readonly string[] = []): Promise<{ id: string; name: string; owner: string }[]> {
  const filter = hasRole(ctx.role, 'manager') ? owners : [ctx.user];
  const ids: string[] = [];
  for await (const page of ctx.client.externalContact.iterateGroupChats({
    ...(filter.length > 0 ? { owner_filter: { userid_list: [...filter] } } : {}),
    limit: 1000,
  })) {
    ids.push(...page.group_chat_list.map((c) => c.chat_id));
    if (ids.length >= MAX_LOOKED_AT) break;
  }
  const cache = ctx.state(GROUP_NAMES);
  const chats: { id: string; name: string; owner: string }[] = [];
  for (const id of ids.slice(0, MAX_LOOKED_AT)) {
    let known = await cache.get(id);
    if (!known) {
      try {
        const { group_chat } = await ctx.client.externalContact.getGroupChat(id);
        known = { name: group_chat.name, owner: group_chat.owner };
      } catch (err) {
        // 86003: no customer group (a group of colleagues only): not one to name here.
        if (WeComError.is(err) && err.errcode === 86003) continue;
        throw err;
      }
      await cache.set(id, known, NAME_TTL_MS);
    }
    chats.push({ id, ...known });
  }
  return chats;
}

/**
 * The chat a word means: a chat id as it is, else a chat the asker may see whose name is the word (either script):
 * `/群 详情 赵六的客户群1`. A name several chats share is asked about; a name no chat has offers the nearest names.
 * @throws UserError when no chat or several chats are called so.
 */
export async function findGroup(ctx: CommandContext, word: string): Promise<string> {
  if (CHAT_ID.test(word.trim())) return word.trim();
  const chats = await namedChats(ctx);
  const wanted = foldScript(word);
  const matches = chats.filter((c) => foldScript(c.name) === wanted);
  if (matches.length === 1) return matches[0]!.id;
  const choice = (c: { id: string; name: string }): AskChoice => ({ value: c.id, label: c.name });
  if (matches.length > 1) throw new UserError('common.groupAmbiguous', { name: word, count: matches.length }, { word, choices: matches.map(choice) });
  const nearChats = nearest([wanted], chats, (c) => [foldScript(c.name)]);
  if (nearChats.length === 0) throw new UserError('common.groupUnknown', { name: word });
  throw new UserError(
    'common.groupUnknownNear',
    { name: word, candidates: nearChats.map((c) => c.name).join(ctx.listSeparator) },
    { word, choices: nearChats.map(choice) },
  );
}

/**
 * The asker's group chats (a manager's: the first ones of the corp) as the likely answers of a chat left out: by name
 * where the name is one chat's (it is typed as it reads), else by id.
 */
export async function groupChoices(ctx: CommandContext): Promise<AskChoice[]> {
  const chats = await namedChats(ctx);
  const count = new Map<string, number>();
  for (const c of chats) count.set(foldScript(c.name), (count.get(foldScript(c.name)) ?? 0) + 1);
  return chats.map((c) => (c.name && count.get(foldScript(c.name)) === 1 ? { value: c.name, label: c.name } : { value: c.id, label: c.name || c.id }));
}
