/**
 * The command author's whole API: how a command declares itself ({@link defineCommand}, {@link action}), what its
 * handler gets ({@link CommandContext}), the narrow services it may use, and the errors it may throw. Files in
 * `commands/` import this module, `src/wecom/` and `src/render/`, and nothing else of the bot; its files (`src/bot/command/`)
 * import nothing else from `src/bot/` (the bot's machinery implements these interfaces).
 */

export * from './command/audit.js';
export * from './command/context.js';
export * from './command/definition.js';
export * from './command/errors.js';
export * from './command/fields.js';
export * from './command/jobs.js';
export * from './command/roles.js';

/** A member as the bot knows them (see `ctx.services.members`). */
export type { DirectoryEntry } from '../contacts/members.js';
/** The corp's tags by id and by name (see `ctx.services.tags`). */
export type { TagIndex } from '../contacts/tags.js';
/** A transfer the bot started, as its ledger keeps it (see `ctx.services.transfers`). */
export type { PendingTransfer, TransferOrigin } from '../contacts/transfers.js';
/** A command keeps its own state in a store namespace it declares (its value type fixed), beside its code. */
export { defineNamespace, type Namespace, type NamespaceKey } from '../store/index.js';
/** The locale a word names (`zh-TW`, `繁體`, `English` …), for commands that take a language. */
export { localeFromWord } from '../i18n/index.js';
/** A word folded for matching in either Chinese script (Traditional to Simplified, lower case). */
export { foldScript } from '../i18n/script.js';
/** The items whose names are nearest to a word by edit distance (typos), best first. */
export { nearest } from '../i18n/words.js';
