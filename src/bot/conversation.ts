import { randomBytes } from 'node:crypto';
import type { Locale } from '../config.js';
import type { Catalog } from '../i18n/index.js';
import type { Logger } from '../log.js';
import { CHOICE_KEY_PREFIX, choiceCard, MAX_CHOICES, type Choice } from '../render/card.js';
import { code } from '../render/markdown.js';
import { simpleReply } from '../render/reply.js';
import { defineNamespace, type Namespace, type Store } from '../store/index.js';
import type { CommandContext, CommandDefinition } from './command.js';
import type { Channel } from '../channel/channel.js';
import { fieldName, labelOf, type FieldRef } from './usage.js';

/** A question the bot asked a member, waiting for the answer (typed, or a button of its card). */
export interface Conversation {
  commandId: string;
  actionId: string;
  locale: Locale;
  /** The words typed so far after the command (and sub-command). */
  words: string[];
  /** What was asked for: a value left out … */
  field?: FieldRef;
  /** … or which of several meanings a word has: the answer takes its place. */
  replace?: string;
  /** The question card's task_id, when it had buttons. */
  taskId?: string;
  /** From message/send of that card: lets the click update it. */
  responseCode?: string;
  /** What each button said (value → label), so the card can say which one was picked in words. */
  labels?: Record<string, string>;
  /** A command line the bot proposed for a sentence (a language model's reading): a yes runs it. */
  suggested?: string;
  /** The options one of which is wanted (`--to` or `--tag`): the answer picks one, whose value is asked next. */
  options?: string[];
}

/** The value of a suggestion card's button. */
const SUGGESTION_YES = 'run';
/** A yes, in each script. */
const YES = /^(?:是|是的|对|對|好|好的|行|可以|执行|執行|就这样|就這樣|确认|確認|yes|y|ok|okay|sure|run|run it)[!！.。]?$/i;

/** Answers listed beyond the buttons, at most. */
const MORE_LISTED = 20;

/** A question waits this long for its answer. */
export const CONVERSATION_TTL_MS = 10 * 60_000;

/** Open questions, one per member (a new command or /取消 ends it; a restart keeps it). */
const CONVERSATIONS = defineNamespace<Conversation>('conversations');

/** Choices offered for a missing field, when the action can name some. */
export type ChoiceSource = (ctx: CommandContext) => Promise<Choice[]>;

/**
 * Asking instead of failing: when a command misses a required value, the bot asks for it — with the likely answers as
 * buttons when the action can name them — and the member's next message (or click) completes the command.
 */
export class Conversations {
  private readonly open: Namespace<Conversation>;

  constructor(
    store: Store | Namespace<Conversation>,
    private readonly deps: { channel: Channel; log: Logger; texts: Catalog },
  ) {
    this.open = 'namespace' in store ? store.namespace(CONVERSATIONS) : store;
  }

  /** The same questions, asked and updated through `channel` (a delivery's). */
  through(channel: Channel): Conversations {
    return new Conversations(this.open, { ...this.deps, channel });
  }

  /** The member's open question, if any. */
  get(user: string): Promise<Conversation | undefined> {
    return this.open.get(user.toLowerCase());
  }

  /** Ends the member's open question; true when there was one. */
  end(user: string): Promise<boolean> {
    return this.open.delete(user.toLowerCase());
  }

  /**
   * Asks `ctx.user` for `field` of the action, keeping what they typed so far: with the likely answers as buttons
   * when there are some, else in words that name what is missing (its label and flag) and the usage line.
   */
  async ask(
    ctx: CommandContext,
    command: CommandDefinition,
    actionId: string,
    words: string[],
    field: FieldRef,
    choices: ChoiceSource | undefined,
    usage: string,
  ): Promise<void> {
    const label = labelOf(this.deps.texts, command, field.name, ctx.locale);
    const key = `commands.${command.id}.asks.${field.name}`;
    const conversation: Conversation = { commandId: command.id, actionId, locale: ctx.locale, words, field };
    let offered: Choice[] = [];
    try {
      offered = choices ? await choices(ctx) : [];
    } catch (err) {
      this.deps.log.warn({ event: 'conversation.choices_failed', command: command.id, err: (err as Error).message });
    }
    // "请选择…" where there are buttons to pick; "请输入…" where the value is to be typed.
    const question = this.deps.texts.has(ctx.locale, key)
      ? this.deps.texts.t(ctx.locale, key)
      : this.deps.texts.t(ctx.locale, offered.length > 0 ? 'conversation.askFor' : 'conversation.typeFor', { label });
    if (offered.length === 0) {
      await this.open.set(ctx.user.toLowerCase(), conversation, CONVERSATION_TTL_MS);
      const missing = this.deps.texts.t(ctx.locale, field.kind === 'option' ? 'errors.parse.missingOption' : 'errors.parse.missingArgument', {
        field: fieldName(this.deps.texts, command, field, ctx.locale),
      });
      await this.deps.channel.sendReply(ctx.user, {
        ...simpleReply(missing, 'warning', [question, this.deps.texts.t(ctx.locale, 'conversation.typeOrCancelPlain')]),
        footer: [this.deps.texts.t(ctx.locale, 'common.usage'), code(usage)],
      });
      return;
    }
    const taskId = `ask_${randomBytes(6).toString('hex')}`;
    const shown = offered.slice(0, MAX_CHOICES);
    const sent = await this.offer(ctx, taskId, question, offered);
    await this.open.set(
      ctx.user.toLowerCase(),
      {
        ...conversation,
        taskId,
        labels: Object.fromEntries(shown.map((c) => [c.value, c.label])),
        ...(sent.responseCode ? { responseCode: sent.responseCode } : {}),
      },
      CONVERSATION_TTL_MS,
    );
    if (offered.length > MAX_CHOICES && this.deps.channel.capabilities.cards) {
      // More answers than buttons: the next ones are listed, to be typed (a long list is cut, saying how many more).
      const rest = offered.slice(MAX_CHOICES);
      const listed = rest
        .slice(0, MORE_LISTED)
        .map((c) => (c.label === c.value ? c.value : this.deps.texts.t(ctx.locale, 'conversation.choice', { label: c.label, value: c.value })))
        .join(this.deps.texts.t(ctx.locale, 'common.listSeparator'));
      const beyond = rest.length - MORE_LISTED;
      await this.deps.channel.sendReply(
        ctx.user,
        simpleReply(this.deps.texts.t(ctx.locale, 'conversation.more'), 'comment', [
          beyond > 0 ? `${listed} ${this.deps.texts.t(ctx.locale, 'conversation.andMore', { count: beyond })}` : listed,
        ]),
      );
    }
  }

  /**
   * The words of the command once `answer` fills the asked field: an option as `--name answer`, an argument after
   * the words typed so far. The conversation ends.
   */
  async complete(user: string, conversation: Conversation, answer: string): Promise<string[]> {
    await this.end(user);
    const value = answer.trim();
    const { field, replace } = conversation;
    if (replace !== undefined) {
      // The picked value takes the place of the ambiguous word (also in `--from=张三`).
      const at = conversation.words.findIndex((w) => w === replace || w.endsWith(`=${replace}`));
      return conversation.words.map((w, i) => (i === at ? `${w.slice(0, w.length - replace.length)}${value}` : w));
    }
    if (!field) return conversation.words;
    return field.kind === 'option' ? [...conversation.words, `--${field.name}`, value] : [...conversation.words, value];
  }

  /**
   * Asks which of `choices` a word meant (a name several members share), as a card whose title is `question`; the
   * pick takes the word's place and the command runs again.
   */
  async askPick(
    ctx: CommandContext,
    command: CommandDefinition,
    actionId: string,
    words: string[],
    word: string,
    choices: readonly Choice[],
    question: string,
  ): Promise<void> {
    const taskId = `ask_${randomBytes(6).toString('hex')}`;
    const conversation: Conversation = { commandId: command.id, actionId, locale: ctx.locale, words, replace: word, taskId };
    const sent = await this.offer(ctx, taskId, question, choices);
    await this.open.set(ctx.user.toLowerCase(), { ...conversation, ...(sent.responseCode ? { responseCode: sent.responseCode } : {}) }, CONVERSATION_TTL_MS);
  }

  /**
   * Asks which of `options` the member will give (one of them is required), as a card whose buttons are their labels;
   * the pick is then asked for its value. `warning` comes first when a wrong pick is asked again.
   */
  async askOption(
    ctx: CommandContext,
    command: CommandDefinition,
    actionId: string,
    words: string[],
    options: readonly string[],
    missing: string,
  ): Promise<void> {
    const { texts } = this.deps;
    const taskId = `ask_${randomBytes(6).toString('hex')}`;
    const choices = options.map((name) => ({ value: name, label: labelOf(texts, command, name, ctx.locale) }));
    await this.deps.channel.sendReply(ctx.user, simpleReply(missing, 'warning'));
    const sent = await this.offer(ctx, taskId, texts.t(ctx.locale, 'conversation.pickOption'), choices);
    await this.open.set(
      ctx.user.toLowerCase(),
      {
        commandId: command.id,
        actionId,
        locale: ctx.locale,
        words,
        options: [...options],
        taskId,
        labels: Object.fromEntries(choices.map((c) => [c.value, c.label])),
        ...(sent.responseCode ? { responseCode: sent.responseCode } : {}),
      },
      CONVERSATION_TTL_MS,
    );
  }

  /**
   * Proposes `line` for a sentence the member typed, as a card with one button that runs it (or a reply to answer
   * with a yes where the channel shows no cards). Nothing runs until the member says yes.
   */
  async suggest(user: string, locale: Locale, line: string): Promise<void> {
    const { channel, texts } = this.deps;
    const taskId = `ask_${randomBytes(6).toString('hex')}`;
    const conversation: Conversation = { commandId: '', actionId: '', locale, words: [], suggested: line, taskId };
    let responseCode: string | undefined;
    if (channel.capabilities.cards) {
      const card = choiceCard({
        taskId,
        title: texts.t(locale, 'plain.suggested'),
        desc: line,
        choices: [{ value: SUGGESTION_YES, label: texts.t(locale, 'plain.runIt') }],
      });
      responseCode = (await channel.sendCard(user, { ...card, sub_title_text: texts.t(locale, 'plain.suggestedDesc') })).responseCode;
    } else {
      await channel.sendReply(user, simpleReply(texts.t(locale, 'plain.suggested'), undefined, [code(line), texts.t(locale, 'plain.suggestedPlain')]));
    }
    await this.open.set(
      user.toLowerCase(),
      { ...conversation, labels: { [SUGGESTION_YES]: texts.t(locale, 'plain.runIt') }, ...(responseCode ? { responseCode } : {}) },
      CONVERSATION_TTL_MS,
    );
  }

  /** True when `answer` accepts the suggested line: its button, a yes in any script, or the line itself. */
  static acceptsSuggestion(conversation: Conversation, answer: string): boolean {
    const said = answer.trim();
    return said === SUGGESTION_YES || said === conversation.suggested || YES.test(said);
  }

  /**
   * Offers likely answers: as a card's buttons (the first {@link MAX_CHOICES}) where the channel shows cards, else as
   * a reply listing them all, to be typed.
   */
  private async offer(ctx: CommandContext, taskId: string, question: string, choices: readonly Choice[]): Promise<{ responseCode?: string }> {
    const { channel, texts } = this.deps;
    if (channel.capabilities.cards) {
      const desc = texts.t(ctx.locale, 'conversation.typeOrCancel');
      return channel.sendCard(ctx.user, choiceCard({ taskId, title: question, desc, choices: choices.slice(0, MAX_CHOICES) }));
    }
    const listed = choices.map((c) => (c.label === c.value ? c.value : texts.t(ctx.locale, 'conversation.choice', { label: c.label, value: c.value })));
    await channel.sendReply(
      ctx.user,
      simpleReply(question, undefined, [listed.join(texts.t(ctx.locale, 'common.listSeparator')), texts.t(ctx.locale, 'conversation.typeOrCancelPlain')]),
    );
    return {};
  }

  /** After a click on a question card: its buttons say what was picked. */
  async markPicked(conversation: Conversation, user: string, value: string): Promise<void> {
    if (!conversation.responseCode) return;
    const label = conversation.labels?.[value] ?? value;
    try {
      await this.deps.channel.updateCard([user], conversation.responseCode, this.deps.texts.t(conversation.locale, 'conversation.picked', { value: label }));
    } catch (err) {
      this.deps.log.warn({ event: 'card.update_failed', err: (err as Error).message });
    }
  }

  /** The value of a question card's button key, if it is one. */
  static choiceOf(eventKey: string): string | undefined {
    return eventKey.startsWith(CHOICE_KEY_PREFIX) ? eventKey.slice(CHOICE_KEY_PREFIX.length) : undefined;
  }
}
