import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCALES, type Locale } from '../config.js';

/** A locale file: nested objects whose leaves are strings (or string lists, e.g. examples). */
export interface Messages {
  [key: string]: string | string[] | Messages;
}

/** `{count|customer|customers}`: the first form when the parameter is 1, else the second (English plurals). */
const PLURAL = /\{(\w+)\|([^|{}]*)\|([^|{}]*)\}/g;
/** A value spaced from the Chinese after it, behind a full-width bracket ("王五（wangwu） 的客户"). */
const FULL_WIDTH_CLOSE_SPACE = /([）」』]) (?=\p{Script=Han})/gu;

function freeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) freeze(child);
    Object.freeze(value);
  }
  return value;
}

/**
 * Reads locales folders into messages per locale: the first folder's `<dir>/<locale>.json` holds the shared strings at
 * the root (`common.*`, `errors.*`, `confirm.*`); each `<dir>/<locale>/<id>.json` holds the strings of the command with that id,
 * found under `commands.<id>.*`. A command kept outside `commands/` (a plugin, a test's fixture) brings its own folder.
 * @throws Error when a file defines a command's strings that another folder defined already.
 */
function readDirs(dirs: readonly string[]): Record<Locale, Messages> {
  const messages: Record<Locale, Messages> = { 'zh-Hans': {}, 'zh-Hant': {}, en: {} };
  [...new Set(dirs)].forEach((dir, index) => {
    for (const locale of LOCALES) {
      const catalog = messages[locale];
      const shared = join(dir, `${locale}.json`);
      // The shared strings are the project's: a folder of commands kept elsewhere brings their strings only.
      if (existsSync(shared) && index > 0) throw new Error(`${shared}: a commands folder brings its commands' strings, not shared ones`);
      if (existsSync(shared)) Object.assign(catalog, JSON.parse(readFileSync(shared, 'utf8')) as Messages);
      const folder = join(dir, locale);
      if (!existsSync(folder)) continue;
      for (const file of readdirSync(folder)
        .filter((f) => f.endsWith('.json'))
        .sort()) {
        const name = file.slice(0, -'.json'.length);
        catalog.commands ??= {};
        const commands = catalog.commands as Messages;
        if (commands[name] !== undefined) throw new Error(`${join(folder, file)}: the strings of command ${name} are defined twice`);
        commands[name] = JSON.parse(readFileSync(join(folder, file), 'utf8')) as Messages;
      }
    }
  });
  return freeze(messages);
}

/**
 * The strings of the three locales, read once from locales folders and never changed: the project's own, and the
 * folders of commands kept elsewhere (each bot has the catalog of the commands it runs).
 */
export class Catalog {
  readonly messages: Readonly<Record<Locale, Messages>>;

  constructor(readonly dirs: readonly string[]) {
    this.messages = readDirs(dirs);
  }

  /** Looks up a dotted key in one locale; undefined when absent. */
  lookup(locale: Locale, key: string): string | string[] | Messages | undefined {
    let node: string | string[] | Messages | undefined = this.messages[locale];
    for (const part of key.split('.')) {
      if (node === undefined || typeof node === 'string' || Array.isArray(node)) return undefined;
      node = node[part];
    }
    return node;
  }

  /** True when `key` names a string in `locale`. */
  has(locale: Locale, key: string): boolean {
    return typeof this.lookup(locale, key) === 'string';
  }

  /**
   * The message `key` in `locale` with `{name}` placeholders filled from `params`. Falls back to zh-Hans, then to
   * the key itself, so a missing string shows up instead of crashing a reply (a test keeps the locales complete).
   */
  t(locale: Locale, key: string, params: Record<string, string | number> = {}): string {
    const found = this.lookup(locale, key);
    const fallback = this.lookup('zh-Hans', key);
    const template = typeof found === 'string' ? found : typeof fallback === 'string' ? fallback : key;
    const text = template
      .replace(PLURAL, (whole, name: string, one: string, other: string) => (name in params ? (Number(params[name]) === 1 ? one : other) : whole))
      .replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
    // Templates space a value from the Chinese around it ("{user} 的客户"); after a label that ends in a full-width
    // bracket ("王五（wangwu）") that space is one too many: "王五（wangwu）的客户".
    return locale === 'en' ? text : text.replace(FULL_WIDTH_CLOSE_SPACE, '$1');
  }

  /** A list of strings at `key` (examples), in `locale`, falling back to zh-Hans; empty when absent. */
  tList(locale: Locale, key: string): string[] {
    const found = this.lookup(locale, key) ?? this.lookup('zh-Hans', key);
    return Array.isArray(found) ? [...found] : [];
  }

  /** This catalog with the strings of `dirs` besides (commands kept outside `commands/`); this one when none. */
  with(dirs: readonly string[]): Catalog {
    return dirs.length === 0 ? this : new Catalog([...this.dirs, ...dirs]);
  }
}
