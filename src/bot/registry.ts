import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LOCALES, type Locale } from '../config.js';
import { hasRole, type Action, type CommandCatalog, type CommandDefinition, type FieldHelp, type FieldRef, type Role } from './command.js';
import { fieldHelp, fieldName, usageLine } from './usage.js';
import { projectCatalog, type Catalog } from '../i18n/index.js';

/** A command word resolved to its definition, and the locales whose name it is. */
export interface Resolved {
  command: CommandDefinition;
  /** Locales in which the typed word is this command's name (empty for an alias). */
  locales: Locale[];
}

/** An action found from the words of a line. */
export interface ResolvedAction {
  action: Action;
  /** Stable id: the command id, or `<id>.<sub>`. */
  actionId: string;
  /** Locales the sub-command word belongs to (empty for the main action). */
  subLocales: Locale[];
  /** The words after the command (and sub-command). */
  rest: string[];
}

const fold = (word: string) => word.normalize('NFKC').toLowerCase();

/** The id of an action: explicit, or `<command>.<English sub word>`, or the command id. */
export function actionId(command: CommandDefinition, action: Action): string {
  return action.id ?? (action.sub ? `${command.id}.${action.sub.en}` : command.id);
}

/**
 * Every command, indexed by each of its names in every locale. Two commands sharing a name is a mistake caught at
 * start.
 */
export class Registry implements CommandCatalog {
  private readonly byName = new Map<string, Resolved>();

  /**
   * @param catalog the strings of these commands: the project's, and the folders of commands kept elsewhere.
   */
  constructor(
    readonly commands: CommandDefinition[],
    readonly catalog: Catalog = projectCatalog,
  ) {
    for (const command of commands) {
      if (!/^[a-z][a-z0-9-]*$/.test(command.id)) throw new Error(`command id must be ASCII lower-case: ${command.id}`);
      const names = new Map<string, Locale[]>();
      for (const locale of LOCALES) {
        const name = fold(command.names[locale]);
        names.set(name, [...(names.get(name) ?? []), locale]);
      }
      for (const alias of command.aliases ?? []) if (!names.has(fold(alias))) names.set(fold(alias), []);
      for (const [name, locales] of names) {
        const taken = this.byName.get(name);
        if (taken) throw new Error(`command name "${name}" is used by both ${taken.command.id} and ${command.id}`);
        this.byName.set(name, { command, locales });
      }
      const subs = new Map<string, number>();
      command.actions.forEach((action, index) => {
        for (const word of new Set(action.sub ? LOCALES.map((l) => fold(action.sub![l])) : [])) {
          if (subs.has(word)) throw new Error(`sub-command "${word}" appears twice in ${command.id}`);
          subs.set(word, index);
        }
      });
    }
  }

  /** The command named `word` (any locale, any case), if any. */
  resolve(word: string): Resolved | undefined {
    return this.byName.get(fold(word));
  }

  /** The commands a member with `role` may run at least one action of. */
  permitted(role: Role): CommandDefinition[] {
    return this.commands.filter((command) => command.actions.some((a) => hasRole(role, a.role)));
  }

  /** The action with this id (as recorded in proposals, questions and the audit log) and its command. */
  action(id: string): { command: CommandDefinition; action: Action } | undefined {
    for (const command of this.commands) {
      const action = command.actions.find((a) => actionId(command, a) === id);
      if (action) return { command, action };
    }
    return undefined;
  }

  /** Every name of every command, with the command (for suggestions). */
  names(): [string, CommandDefinition][] {
    return [...this.byName.entries()].map(([name, r]) => [name, r.command]);
  }

  /** The action a line means: a sub-command when the first word is one, else the main action. */
  resolveAction(command: CommandDefinition, words: string[]): ResolvedAction | undefined {
    const [first, ...others] = words;
    if (first !== undefined) {
      for (const action of command.actions) {
        if (!action.sub) continue;
        const locales = LOCALES.filter((l) => fold(action.sub![l]) === fold(first));
        if (locales.length > 0) return { action, actionId: actionId(command, action), subLocales: locales, rest: others };
      }
    }
    const main = command.actions.find((a) => !a.sub);
    return main ? { action: main, actionId: command.id, subLocales: [], rest: words } : undefined;
  }

  /** The usage line of one action of `command`, in `locale`. */
  usageLine(command: CommandDefinition, action: Action, locale: Locale): string {
    return usageLine(this.catalog, command, action, locale);
  }

  /** How an error names `field` of `command` in `locale`. */
  fieldNameOf(command: CommandDefinition, field: FieldRef, locale: Locale): string {
    return fieldName(this.catalog, command, field, locale);
  }

  usage(command: CommandDefinition, locale: Locale): { action: Action; line: string }[] {
    return command.actions.map((action) => ({ action, line: usageLine(this.catalog, command, action, locale) }));
  }

  fields(command: CommandDefinition, locale: Locale): FieldHelp[] {
    return fieldHelp(this.catalog, command, locale);
  }

  fieldName(id: string, field: FieldRef, locale: Locale): string {
    const command = this.action(id)?.command ?? this.get(id.split('.')[0] ?? '');
    return command ? fieldName(this.catalog, command, field, locale) : field.kind === 'option' ? `--${field.name}` : field.name;
  }

  spoken(id: string, locale: Locale): string | undefined {
    const found = this.action(id);
    return found && `/${found.command.names[locale]}${found.action.sub ? ` ${found.action.sub[locale]}` : ''}`;
  }

  spokenLine(id: string, args: Readonly<Record<string, unknown>>, locale: Locale): string | undefined {
    const action = this.action(id)?.action;
    const words = this.spoken(id, locale);
    if (!action || !words) return undefined;
    const text = (v: unknown) => (Array.isArray(v) ? v.join(',') : String(v));
    const quoted = (v: unknown) => (/\s/.test(text(v)) ? `"${text(v)}"` : text(v));
    const declared = new Set([...(action.args ?? []), ...(action.options ?? [])].map((s) => s.name));
    const parts = [words];
    for (const arg of action.args ?? []) if (args[arg.name] !== undefined) parts.push(quoted(args[arg.name]));
    for (const option of action.options ?? []) {
      const value = args[option.name];
      if (value === undefined || value === false) continue;
      parts.push(option.type === 'flag' ? `--${option.name}` : `--${option.name} ${quoted(value)}`);
    }
    // Anything recorded that the declaration does not name (older entries) still shows, as an option.
    for (const [name, value] of Object.entries(args)) if (!declared.has(name) && value !== undefined) parts.push(`--${name} ${quoted(value)}`);
    return parts.join(' ');
  }

  /** The command with this id. */
  get(id: string): CommandDefinition | undefined {
    return this.commands.find((c) => c.id === id);
  }
}

/** The `commands/` folder beside `src/`. */
export const COMMANDS_DIR = fileURLToPath(new URL('../../commands/', import.meta.url));

/**
 * Imports every command in `dir`: each file, or each folder with an `index` file (a command with sub-command files),
 * default-exports a {@link CommandDefinition}. Names starting with `_` are helpers, not commands.
 */
export async function loadCommands(dir: string = COMMANDS_DIR): Promise<CommandDefinition[]> {
  const entries = readdirSync(dir, { withFileTypes: true })
    .filter((e) => !e.name.startsWith('_'))
    .flatMap((e) => {
      if (e.isDirectory()) {
        const index = ['index.js', 'index.ts'].find((f) => existsSync(join(dir, e.name, f)));
        return index ? [join(e.name, index)] : [];
      }
      return /\.(ts|js)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [e.name] : [];
    })
    .sort();
  const commands: CommandDefinition[] = [];
  for (const entry of entries) {
    const mod = (await import(pathToFileURL(join(dir, entry)).href)) as { default?: CommandDefinition };
    if (!mod.default?.id) throw new Error(`commands/${entry} has no default command definition`);
    commands.push(mod.default);
  }
  return commands;
}
