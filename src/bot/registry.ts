import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LOCALES, type Locale } from '../config.js';
import type { Action, CommandDefinition } from './command.js';

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
export class Registry {
  private readonly byName = new Map<string, Resolved>();

  constructor(readonly commands: CommandDefinition[]) {
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

  /** The command with this id. */
  get(id: string): CommandDefinition | undefined {
    return this.commands.find((c) => c.id === id);
  }
}

/** The `commands/` folder beside `src/`. */
export const COMMANDS_DIR = fileURLToPath(new URL('../../commands/', import.meta.url));

/** Imports every command file in `dir` (each default-exports a {@link CommandDefinition}). */
export async function loadCommands(dir: string = COMMANDS_DIR): Promise<CommandDefinition[]> {
  const files = readdirSync(dir)
    .filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts') && !f.startsWith('_'))
    .sort();
  const commands: CommandDefinition[] = [];
  for (const file of files) {
    const mod = (await import(pathToFileURL(`${dir}${file}`).href)) as { default?: CommandDefinition };
    if (!mod.default?.id) throw new Error(`commands/${file} has no default command definition`);
    commands.push(mod.default);
  }
  return commands;
}
