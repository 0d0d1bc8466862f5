import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import type { CommandDefinition } from '../../src/bot/command.js';
import { loadCommands } from '../../src/bot/registry.js';
import type { Corp } from '../../src/simulator/corp.js';
import { ENDPOINTS, type CapturedMessage } from '../../src/simulator/index.js';
import { startChat, textOf, type Chat } from '../helpers/chat.js';
import { everyCommandCases, FOUND_MISTAKES, helpCases, ROLES, type CorpusCase } from './corpus.js';
import { apiPathsOf, lintMessage, readable } from './rules.js';

/** Every text of the corp that is data rather than the bot's words: names, remarks, tag and group names, texts. */
function corpData(corp: Corp): string[] {
  const words: string[] = [];
  for (const m of corp.members.values()) words.push(m.name, ...(m.alias ? [m.alias] : []));
  for (const c of corp.customers.values()) words.push(c.name, c.corp_name ?? '', c.corp_full_name ?? '', c.position ?? '');
  for (const follows of corp.followsByUser.values()) for (const f of follows.values()) words.push(f.remark, f.description, f.remark_corp_name, f.state);
  for (const g of corp.tagGroups) words.push(g.group_name, ...g.tag.map((t) => t.name));
  for (const g of corp.groupChats.values()) words.push(g.name, g.notice, ...g.members.map((m) => (m as { name?: string }).name ?? ''));
  for (const m of corp.moments.values()) words.push(m.text?.content ?? '');
  for (const w of corp.contactWays.values()) words.push(w.remark ?? '', w.state ?? '');
  for (const t of corp.msgTemplates.values()) words.push(t.text?.content ?? '');
  return words.filter((w) => w.length > 0);
}

/** The words a member typed after the command word: the bot may echo them in any script. */
function typedWords(input: string, commands: readonly CommandDefinition[] = []): string[] {
  const [first = '', ...rest] = input.split(/[\s\u3000]+/);
  // The word after the command is its sub-command when the command has one of that name: the bot's word, not data.
  const command = commands.find((c) => Object.values(c.names).includes(first.replace(/^[/／]/, '')));
  const subs = new Set(command?.actions.flatMap((a) => (a.sub ? Object.values(a.sub) : [])) ?? []);
  return (subs.has(rest[0] ?? '') ? rest.slice(1) : rest)
    .map((w) => w.replace(/^[-—－]+[a-z-]+=?/, '').replace(/^["'“‘「『]|["'”’」』]$/g, ''))
    .flatMap((w) => [w, ...w.split(/[,，、]/)])
    .filter((w) => w.length > 0);
}

const day = (offset: number) => new Date(Date.now() + 8 * 3600_000 - offset * 86400_000).toISOString().slice(0, 10);

/** The code of the last confirmation card sent to `user` (or a made-up one, which the bot must also answer well). */
function lastCode(chat: Chat, user: string): string {
  const cards = chat.sim.captures.messages.filter((m) => m.touser.includes(user) && m.card?.main_title?.desc);
  const desc = cards.at(-1)?.card?.main_title?.desc ?? '';
  return desc.match(/[A-Z0-9]{6}/)?.[0] ?? 'ZZ9ZZ9';
}

/** Fills the placeholders of a corpus line from the corp as it is now. */
function fill(chat: Chat, user: string, line: string): string {
  const corp = chat.sim.corp;
  const ext = [...(corp.followsByUser.get('wangwu')?.values() ?? [])].find((f) => f.tagIds.length > 0)?.external_userid ?? 'wmNONE';
  const chat0 = [...corp.groupChats.values()].find((g) => g.owner === 'wangwu')?.chat_id ?? 'wrNONE';
  const moment = [...corp.moments.values()].find((m) => m.create_time * 1000 > Date.now() - 7 * 86400_000) ?? [...corp.moments.values()][0];
  const way = [...corp.contactWays.keys()].at(-1) ?? 'cfgNONE';
  const msgid = [...corp.msgTemplates.keys()].at(-1) ?? 'msgNONE';
  const values: Record<string, string> = {
    ext,
    extName: corp.customers.get(ext)?.name ?? '?',
    chat: chat0,
    moment: moment?.moment_id ?? 'momNONE',
    sender: [...(moment?.senders.keys() ?? [])][0] ?? 'zhangsan',
    senderName: corp.members.get([...(moment?.senders.keys() ?? [])][0] ?? '')?.name ?? '?',
    audienceName: corp.customers.get([...(moment?.senders.values() ?? [])][0]?.customers[0] ?? '')?.name ?? '?',
    way,
    msgid,
    code: lastCode(chat, user),
    from: day(6),
    from60: day(59),
    sunqiLastPage: String(Math.max(1, Math.ceil(corp.customersOf('sunqi').length / 8))),
    to: day(0),
  };
  return line.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? `{${name}}`);
}

interface Finding {
  user: string;
  input: string;
  problem: string;
  reply: string;
}

/** Types one input and lints every message that came back. */
async function run(
  chat: Chat,
  item: CorpusCase,
  findings: Finding[],
  known: { apiPaths: string[]; names: string[]; commands: CommandDefinition[]; typed: Set<string> },
): Promise<CapturedMessage[]> {
  const input = fill(chat, item.user, item.input);
  const seq = chat.sim.captures.lastSeq;
  // The corp as the case needs it (an admin console set up otherwise), put back after.
  const undo = item.setup?.(chat.sim);
  try {
    await chat.as(item.user).say(input);
    // A confirmed transfer runs as a job: its summary belongs to this input, not to the next.
    await chat.bot.bot.jobsIdle();
  } finally {
    undo?.();
  }
  const replies = chat.sim.captures.messages.filter((m) => m.seq > seq && m.touser.includes(item.user));
  // What members typed stays data for good: the audit and results echo earlier inputs as they were typed.
  // (Not numbers or short Latin words: "2" or "30" would be cut out of every later reply.)
  // A plain request: the words of the command line the bot read it as, which it showed first.
  const read = /^[/／]/.test(input) ? undefined : replies.map(textOf)[0]?.match(/`([/／][^`]+)`/)?.[1];
  for (const word of typedWords(read ?? input, known.commands)) if (!/^[ -~]{0,3}$|^\d+$/.test(word)) known.typed.add(word);
  const data = [...corpData(chat.sim.corp), ...known.typed, ...known.names];
  const apiPaths = known.apiPaths;
  const report = (problem: string, reply = replies.map(textOf).join('\n')) => findings.push({ user: item.user, input, problem, reply });
  if (replies.length === 0) report('no reply at all');
  for (const message of replies) {
    for (const problem of lintMessage(message, { locale: item.locale, data, apiPaths })) report(problem, textOf(message));
  }
  const text = readable(replies.map(textOf).join('\n'));
  for (const piece of item.expect ?? []) {
    const wanted = typeof piece === 'string' ? fill(chat, item.user, piece) : piece;
    if (typeof wanted === 'string' ? !text.includes(wanted) : !wanted.test(text)) report(`should say ${wanted}`);
  }
  for (const piece of item.absent ?? []) {
    if (typeof piece === 'string' ? text.includes(piece) : piece.test(text)) report(`should not say ${piece}`);
  }
  return replies;
}

describe('reply lint: every command × role × script, and every mistake found, read as a person reads them', function () {
  this.timeout(180_000);
  let chat: Chat;
  /** The bot's wall clock for what it does on its own: moved to a Monday morning to read the digests. */
  let clockOffset = 0;
  before(async () => {
    chat = await startChat({
      admins: [ROLES.admin],
      managers: [ROLES.manager],
      sim: { members: 12, customers: 400, seed: 7, messagesPerMemberPerMinute: 100_000, momentJobDelayMs: 10 },
      // No quiet hours: the alerts below are read whatever the time of day the suite runs.
      bot: {
        pacing: { perWindow: 100_000, windowMs: 60_000 },
        quietHours: { from: 0, until: 0 },
        notices: { everyMs: 50 },
        schedules: { everyMs: 50 },
        clock: () => Date.now() + clockOffset,
      },
    });
  });
  after(() => chat?.close());

  it('has at least 300 inputs', async () => {
    expect(everyCommandCases().length + helpCases(await loadCommands()).length + FOUND_MISTAKES.length).to.be.at.least(300);
  });

  it('no reply shows a placeholder, a raw key, an API path, a bare errcode, doubled punctuation, the wrong script or too many bytes', async () => {
    const findings: Finding[] = [];
    // Help names each command in every script (any name works for anyone): those names are not the reply's language.
    const commands = await loadCommands();
    const names = commands.flatMap((c) => Object.values(c.names).map((n) => `/${n}`));
    const known = { apiPaths: apiPathsOf(ENDPOINTS), names, commands, typed: new Set<string>() };
    const transcript: string[] = [];
    for (const item of [...everyCommandCases(), ...helpCases(commands), ...FOUND_MISTAKES]) {
      const replies = await run(chat, item, findings, known);
      transcript.push(`${item.user}> ${fill(chat, item.user, item.input)}`, ...replies.map((r) => textOf(r).replace(/^/gm, '  ')));
    }
    // REPLY_TRANSCRIPT=<file> keeps every input and reply, to read the corpus as a person would.
    if (process.env.REPLY_TRANSCRIPT) writeFileSync(process.env.REPLY_TRANSCRIPT, `${transcript.join('\n')}\n`);
    const report = findings.map((f) => `${f.user}: ${f.input}\n  ✗ ${f.problem}\n  ${f.reply.replace(/\n/g, '\n  ').slice(0, 600)}`).join('\n');
    expect(findings, `${findings.length} problems:\n${report}`).to.have.length(0);
  });

  it('every alert the bot sends on its own reads as a person reads it, in each script (issue 28)', async () => {
    const { sim } = chat;
    const words = { 'zh-Hans': ['/语言 zh-Hans', '/订阅 开'], 'zh-Hant': ['/語言 zh-Hant', '/訂閱 開'], en: ['/lang en', '/subscribe on'] } as const;
    const findings: string[] = [];
    const commands = await loadCommands();
    const known = { apiPaths: apiPathsOf(ENDPOINTS), names: commands.flatMap((c) => Object.values(c.names).map((n) => `/${n}`)) };
    for (const locale of ['zh-Hans', 'zh-Hant', 'en'] as const) {
      const [lang, on] = words[locale];
      // linfang is in lisi's department; a member deletes customers; zhangsan (admin) hears of it.
      for (const user of ['linfang', ROLES.manager, ROLES.admin]) await chat.as(user).say(lang);
      await chat.as(ROLES.manager).say(`${on} team-lost-customers`);
      await chat.as(ROLES.manager).say(`${on} dismissed-chats`);
      await chat.as(ROLES.admin).say(`${on} deletions`);
      const seq = sim.captures.lastSeq;
      // A customer of each round's own: WeCom knows one event by member, customer and second.
      const round = ['zh-Hans', 'zh-Hant', 'en'].indexOf(locale);
      await sim.customerDeletesMember('linfang', { externalUserId: [...(sim.corp.followsByUser.get('linfang')?.keys() ?? [])][round]! });
      // Another member each round: past ten deletions the admins are told once a day per member.
      const deleter = ['sunqi', 'wujiu', 'zhengshi'][round]!;
      const deleted = [...(sim.corp.followsByUser.get(deleter)?.keys() ?? [])].slice(0, 11);
      for (const customer of deleted) await sim.memberDeletesCustomer(deleter, customer);
      const group = [...sim.corp.groupChats.values()].find((c) => c.owner === 'linfang' && c.external);
      if (group) {
        await sim.deliver({ FromUserName: 'sys', MsgType: 'event', Event: 'change_external_chat', ChangeType: 'create', ChatId: group.chat_id });
        await chat.bot.worker.onIdle();
        await sim.dismissChat(group.chat_id);
      }
      // A chat the bot never saw created: dismissed, it is named by its ID only.
      const model = [...sim.corp.groupChats.values()].find((c) => c.external && c.owner !== 'linfang');
      const unseen = model ? { ...model, chat_id: `wrUnseen${locale.replace('-', '')}` } : undefined;
      if (unseen) {
        sim.corp.groupChats.set(unseen.chat_id, unseen);
        await sim.dismissChat(unseen.chat_id);
      }
      await chat.bot.worker.onIdle();
      // A Monday 09:31 of the round's own week (Shanghai): the weekly digest and the daily reminder fall due.
      clockOffset = Date.UTC(2026, 11, 7 + 7 * round, 1, 31) - Date.now();
      const digestsBy = Date.now() + 10_000;
      const digests = () => sim.captures.messages.filter((m) => m.seq > seq && /上周简报|上週簡報|Last week/.test(textOf(m)));
      while (digests().length === 0 && Date.now() < digestsBy) await new Promise((r) => setTimeout(r, 50));
      const end = Date.now() + 10_000;
      while ((await chat.bot.bot.notices.waiting()).length > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
      const alerts = sim.captures.messages.filter((m) => m.seq > seq);
      const kinds = alerts.map(textOf);
      expect(
        kinds.filter((t) => /删除了你|刪除了你|deleted you/.test(t)),
        `${locale}: the member's alert`,
      ).to.have.length(1);
      expect(
        alerts.filter((m) => m.touser.includes(ROLES.manager) && /被客户|被客戶|was deleted by/.test(textOf(m))),
        `${locale}: the manager's alert`,
      ).to.have.length(1);
      expect(
        kinds.filter((t) => /删除了客户|刪除了客戶|deleted the customer/.test(t)),
        `${locale}: each deletion`,
      ).to.have.length(11);
      expect(
        kinds.filter((t) => /11 位客|deleted 11 customers/.test(t)),
        `${locale}: many deletions`,
      ).to.have.length(1);
      if (group)
        expect(
          kinds.filter((t) => /已解散|was dismissed/.test(t) && !/不知道群名|are unknown/.test(t)),
          `${locale}: the dismissed chat`,
        ).to.have.length(1);
      for (const message of alerts) {
        // The dismissed chat's name is data, though the corp no longer has the chat.
        const data = [...corpData(sim.corp), ...(group ? [group.name] : [])];
        for (const problem of lintMessage(message, { locale, data, apiPaths: known.apiPaths })) findings.push(`${locale}: ${problem}\n  ${textOf(message)}`);
      }
    }
    expect(findings, findings.join('\n')).to.have.length(0);
  });
});
