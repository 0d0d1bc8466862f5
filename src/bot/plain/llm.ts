import fetch from 'node-fetch';
import { z } from 'zod';
import type { LlmConfig } from '../../config.js';
import type { Logger } from '../../log.js';

/** What an OpenAI-compatible chat completion answers (the part read here). */
const Completion = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().nullable() }) })).min(1),
});

/** The endpoint may take this long; a member waits for the answer. */
const TIMEOUT_MS = 8000;

/**
 * An optional language model for plain sentences the grammar cannot read: asked for one command line among the
 * usage lines the member may run. It proposes, never runs: the bot shows the line and the member decides.
 */
export class PlainLlm {
  constructor(
    private readonly config: LlmConfig,
    private readonly log: Logger,
  ) {}

  /**
   * The command line the model proposes for `sentence`, if it proposes one that starts with a slash; undefined when it
   * answers NONE, fails, or is slow. `usage` is the usage lines of what the member may run, in their script.
   */
  async propose(sentence: string, usage: readonly string[]): Promise<string | undefined> {
    const url = /\/chat\/completions$/.test(this.config.url) ? this.config.url : `${this.config.url}/chat/completions`;
    const system = [
      'You turn a WeCom staff member’s request into exactly one command line of a chat bot.',
      'Answer with the command line alone (it starts with "/"), or with NONE when no command fits.',
      'Commands (placeholders in ＜＞ and optional parts in [ ]):',
      ...usage,
    ].join('\n');
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(this.config.key ? { authorization: `Bearer ${this.config.key}` } : {}) },
        body: JSON.stringify({
          model: this.config.model,
          temperature: 0,
          max_tokens: 120,
          messages: [
            { role: 'system', content: system },
            { role: 'user', content: sentence },
          ],
        }),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      if (!res.ok) {
        this.log.warn({ event: 'llm.failed', status: res.status });
        return undefined;
      }
      const parsed = Completion.safeParse(await res.json());
      if (!parsed.success) {
        this.log.warn({ event: 'llm.unreadable' });
        return undefined;
      }
      const content = parsed.data.choices[0]?.message.content ?? '';
      const line = content
        .split('\n')
        .map((l) => l.trim().replace(/^`+|`+$/g, ''))
        .find((l) => /^[/／]\S/.test(l));
      this.log.info({ event: 'llm.proposed', proposed: line !== undefined });
      return line;
    } catch (err) {
      this.log.warn({ event: 'llm.failed', err: (err as Error).name });
      return undefined;
    }
  }
}
