import { createInterface } from 'node:readline';
import fetch from 'node-fetch';
import yargsParser from 'yargs-parser';
import { loadConfig, readEnvFile } from './config.js';
import { startDemo, type Demo } from './demo.js';
import { createLogger } from './log.js';
import type { PlaygroundMessage } from './playground/router.js';
import { terminalText } from './render/terminal.js';
import type { ButtonInteractionCard } from './wecom/types/index.js';

/**
 * Terminal chat with a demo bot: `npm run chat -- --as zhangsan [--url http://127.0.0.1:3000]`. Talks to a running
 * demo's playground API, or starts a demo of its own. `:as <userid>` switches member, `:1`/`:2` press the buttons of
 * the last card, `:quit` leaves.
 */

const tty = process.stdout.isTTY === true;
const style = (code: string, text: string, reset: string) => (tty ? `\x1b[${code}m${text}\x1b[${reset}m` : text);
const markdownToTerminal = (markdown: string) => terminalText(markdown, tty);

function cardToTerminal(m: PlaygroundMessage): string {
  const c = m.card as Partial<ButtonInteractionCard> | undefined;
  const lines = [style('1', `┌ ${c?.main_title?.title ?? ''}`, '22')];
  if (c?.main_title?.desc) lines.push(`│ ${c.main_title.desc}`);
  if (c?.sub_title_text) lines.push(`│ ${c.sub_title_text}`);
  for (const f of c?.horizontal_content_list ?? []) lines.push(`│ ${style('90', f.keyname, '39')}  ${f.value ?? ''}`);
  lines.push(m.replacedWith ? `└ ${m.replacedWith}` : `└ ${(c?.button_list ?? []).map((b, i) => `[:${i + 1}] ${b.text}`).join('   ')}`);
  return lines.join('\n');
}

async function reachable(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/playground/api/people`, { signal: AbortSignal.timeout(1000) });
    return res.ok;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const argv = yargsParser(process.argv.slice(2), { string: ['as', 'url'], configuration: { 'parse-numbers': false } });
  let user = typeof argv.as === 'string' && argv.as !== '' ? argv.as : 'zhangsan';
  let url = typeof argv.url === 'string' ? argv.url.replace(/\/+$/, '') : 'http://127.0.0.1:3000';
  let demo: Demo | undefined;
  if (!(await reachable(url))) {
    const config = loadConfig({ ...process.env, WECOM_CORP_ID: '', PORT: '0', STORE_URL: process.env.STORE_URL ?? 'memory://' }, readEnvFile('.env'));
    demo = await startDemo({ ...config, mode: 'demo', wecom: undefined }, createLogger('warn', process.stderr));
    url = demo.runtime.url;
    process.stdout.write(`${style('90', `(started a demo bot at ${url}; playground: ${demo.playgroundUrl})`, '39')}\n`);
  }
  const api = (path: string, body?: unknown) =>
    fetch(
      `${url}/playground/api/${path}`,
      body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
    );
  // Who one may speak as: the demo corp's members in service, by UserID or by name.
  const people = ((await (await api('people')).json()) as { members: { userid: string; name: string; role: string }[] }).members;
  const member = (word: string) => people.find((p) => p.userid.toLowerCase() === word.toLowerCase() || p.name === word)?.userid;
  const unknown = (word: string) =>
    `${style('33', `No member "${word}" in the demo corp (没有这位成员). Speak as one of: ${people.map((p) => `${p.userid} (${p.name}, ${p.role})`).join(', ')}`, '39')}\n`;
  const asked = member(user);
  if (!asked) {
    process.stderr.write(unknown(user));
    await demo?.stop();
    process.exit(2);
  }
  user = asked;
  let lastSeq = ((await (await api(`messages?since=${Number.MAX_SAFE_INTEGER}`)).json()) as { lastSeq: number }).lastSeq;
  let lastCard: PlaygroundMessage | undefined;

  /** Prints what the bot says to `user` until it has been quiet for a moment. */
  const drain = async () => {
    let quietSince = Date.now();
    const started = Date.now();
    while (Date.now() - quietSince < 1200 && Date.now() - started < 60_000) {
      await new Promise((r) => setTimeout(r, 150));
      const { messages } = (await (await api(`messages?since=${lastSeq}&user=${encodeURIComponent(user)}`)).json()) as { messages: PlaygroundMessage[] };
      for (const m of messages) {
        lastSeq = Math.max(lastSeq, m.seq);
        quietSince = Date.now();
        if (m.msgtype === 'template_card') lastCard = m;
        process.stdout.write(`${m.msgtype === 'template_card' ? cardToTerminal(m) : markdownToTerminal(m.content ?? '')}\n\n`);
      }
    }
  };

  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: `${user}> ` });
  const finish = async () => {
    rl.close();
    await demo?.stop();
    process.exit(0);
  };
  rl.prompt();
  for await (const line of rl) {
    const text = line.trim();
    if (text === ':quit' || text === ':q') break;
    if (text.startsWith(':as ')) {
      const next = member(text.slice(4).trim());
      if (next) {
        user = next;
        rl.setPrompt(`${user}> `);
      } else process.stdout.write(unknown(text.slice(4).trim()));
    } else if (/^:\d$/.test(text)) {
      const card = lastCard?.card as { task_id?: string; button_list?: { key?: string }[] } | undefined;
      const key = card?.button_list?.[Number(text.slice(1)) - 1]?.key;
      if (card?.task_id && key) {
        await api('click', { user, taskId: card.task_id, key });
        await drain();
      }
    } else if (text !== '') {
      await api('say', { user, text });
      await drain();
    }
    rl.prompt();
  }
  await finish();
}

void main();
