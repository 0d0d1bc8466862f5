import type { Locale } from '../../config.js';
import type { Registry } from '../registry.js';
import { ALL, type Intent } from './grammar.js';

const ALL_WORDS: Record<Locale, string> = { 'zh-Hans': '全部', 'zh-Hant': '全部', en: 'all' };

/** Quotes a word that holds a space, so the line reads back as the same words. */
function quoted(word: string): string {
  return /[\s\u3000]/.test(word) ? `"${word.replace(/"/g, '')}"` : word;
}

/**
 * The command line an intent stands for, written as the member would type it in `locale` ("/客户 张三",
 * "/轉接 全部 --from 周八 --to 李四"). Undefined when the intent names a command or sub-command the bot does not have.
 */
export function lineOf(intent: Intent, registry: Registry, locale: Locale): string | undefined {
  const command = registry.get(intent.command);
  if (!command) return undefined;
  const words = [`/${command.names[locale]}`];
  if (intent.sub !== undefined) {
    const action = command.actions.find((a) => a.sub?.en === intent.sub);
    if (!action?.sub) return undefined;
    words.push(action.sub[locale]);
  }
  for (const word of intent.words) words.push(word === ALL ? ALL_WORDS[locale] : quoted(word));
  return words.join(' ');
}
