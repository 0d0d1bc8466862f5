import type { Locale } from '../config.js';
import type { Catalog } from '../i18n/index.js';
import type { Action, ArgSpec, CommandDefinition, FieldHelp, FieldRef, OptionSpec } from './command.js';

export type { FieldRef } from './command.js';

/** The label of a declared argument or option in `locale` (`commands.<id>.labels.<name>`); its name when none. */
export function labelOf(texts: Catalog, command: CommandDefinition, name: string, locale: Locale): string {
  const key = `commands.${command.id}.labels.${name}`;
  return texts.has(locale, key) ? texts.t(locale, key) : name;
}

/** How an error names a field: an option by its label and flag ("原成员（--from）"), an argument by its label. */
export function fieldName(texts: Catalog, command: CommandDefinition, field: FieldRef, locale: Locale): string {
  const label = labelOf(texts, command, field.name, locale);
  return field.kind === 'option' ? texts.t(locale, 'common.optionField', { label, option: `--${field.name}` }) : label;
}

/**
 * The placeholder of a value: its choices (`1|2`), or its label as the locale writes a placeholder (`<原成员>` in
 * Chinese; `MEMBER` in English, as man pages do, since angle brackets would be escaped to full-width ones), with `,…`
 * for a list.
 */
function placeholder(texts: Catalog, command: CommandDefinition, spec: ArgSpec | OptionSpec, locale: Locale): string {
  if (spec.choices) return spec.choices.join('|');
  const label = labelOf(texts, command, spec.name, locale);
  const written = texts.t(locale, 'common.placeholderCapitals') === 'yes' ? label.toUpperCase().replace(/[\s_]+/g, '-') : label;
  const suffix = spec.type === 'list' ? ',…' : 'rest' in spec && spec.rest ? '…' : '';
  return texts.t(locale, 'common.placeholder', { label: `${written}${suffix}` });
}

function optional(text: string, required: boolean | undefined): string {
  return required ? text : `[${text}]`;
}

/**
 * The usage line of one action, generated from its declaration: `/转接 全部 --from <原成员> --to <接替成员>
 * [--msg <给客户的消息>]` — names and labels in `locale`, optional parts in brackets.
 */
export function usageLine(texts: Catalog, command: CommandDefinition, action: Action, locale: Locale): string {
  const parts = [`/${command.names[locale]}`];
  if (action.sub) parts.push(action.sub[locale]);
  for (const arg of action.args ?? []) parts.push(optional(placeholder(texts, command, arg, locale), arg.required));
  for (const option of action.options ?? []) {
    const text = option.type === 'flag' ? `--${option.name}` : `--${option.name} ${placeholder(texts, command, option, locale)}`;
    parts.push(optional(text, option.required));
  }
  return parts.join(' ');
}

/**
 * Every argument and option a command declares (each name once, in declaration order), with its syntax and its
 * description in `locale` (`commands.<id>.options.<name>`, else its label): the options part of `/帮助 <命令>`.
 */
export function fieldHelp(texts: Catalog, command: CommandDefinition, locale: Locale): FieldHelp[] {
  const seen = new Set<string>();
  const out: FieldHelp[] = [];
  for (const action of command.actions) {
    const specs: [ArgSpec | OptionSpec, boolean][] = [
      ...(action.args ?? []).map((a) => [a, false] as [ArgSpec, boolean]),
      ...(action.options ?? []).map((o) => [o, true] as [OptionSpec, boolean]),
    ];
    for (const [spec, isOption] of specs) {
      if (seen.has(spec.name)) continue;
      seen.add(spec.name);
      const key = `commands.${command.id}.options.${spec.name}`;
      const syntax = isOption ? `--${spec.name}` : placeholder(texts, command, spec, locale);
      out.push({ syntax, description: texts.has(locale, key) ? texts.t(locale, key) : labelOf(texts, command, spec.name, locale) });
    }
  }
  return out;
}
