import type { AibotOrigin } from '../../wecom/types/aibot.js';
import { fitBytes } from '../../render/bot-markdown.js';
import { AIBOT_MAX_CONTENT_BYTES, AIBOT_STREAM_LIFETIME_MS, type AibotTemplateCard } from '../../wecom/types/aibot.js';
import type { AibotLink } from './link.js';

/**
 * A stream is finished this long after it began, before WeCom's six minutes (doc 100719) end it: what is still to come
 * (a job's summary) then goes by another way.
 */
export const STREAM_SAFE_MS = AIBOT_STREAM_LIFETIME_MS - 30_000;

/** The id of the stream that answers message `messageId`: the same on every instance and every run. */
export function streamIdOf(messageId: string): string {
  return `s-${messageId.replace(/[^0-9A-Za-z_\-@]/g, '').slice(0, 100)}`;
}

/** What a stream is told at its end: finished in time, or cut at the limit with work still holding it. */
export interface StreamEnd {
  /** A job or a card still held it when the time ran out. */
  cut: boolean;
  /** The jobs that held it (their further messages go another way). */
  jobs: string[];
}

/** Options of a {@link LiveStream}. */
export interface LiveStreamOptions {
  link: AibotLink;
  origin: AibotOrigin;
  messageId: string;
  asker: string;
  /** What it shows until the first reply ("处理中…"). */
  placeholder: string;
  /** The transport sent the placeholder already (the first frame leaves before the turn is queued). */
  shown: boolean;
  startedAt: number;
  /** When the stream must end by (default {@link STREAM_SAFE_MS} after its start). */
  safeMs?: number;
  /** Said when the time runs out while a job still reports into it ("continuing, I'll tell you when done"). */
  continuing: string;
  onEnd(stream: LiveStream, end: StreamEnd): void;
}

/**
 * One message of the 智能机器人 that grows in place: the replies of a turn one under the other, a job's latest
 * progress below them, a card (once). Every change sends the whole content so far; changes made while a frame is on its
 * way are sent together in the next one. It stays open while something holds it (a card waiting for its click, a job
 * reporting), and is finished in time before WeCom's limit.
 */
export class LiveStream {
  readonly streamId: string;
  private readonly blocks: string[] = [];
  private tail: string | undefined;
  private card: AibotTemplateCard | undefined;
  private cardShown = false;
  private readonly holds = new Set<string>();
  private finished = false;
  private finishSent = false;
  private sending: Promise<void> | undefined;
  private dirty: boolean;
  private readonly timer: NodeJS.Timeout;
  /** The first failure of a frame: the stream is no longer used. */
  failure: Error | undefined;

  constructor(private readonly options: LiveStreamOptions) {
    this.streamId = streamIdOf(options.messageId);
    this.dirty = !options.shown;
    const left = options.startedAt + (options.safeMs ?? STREAM_SAFE_MS) - Date.now();
    this.timer = setTimeout(() => this.timeUp(), Math.max(0, left));
    this.timer.unref();
  }

  get origin(): AibotOrigin {
    return this.options.origin;
  }

  get messageId(): string {
    return this.options.messageId;
  }

  get asker(): string {
    return this.options.asker;
  }

  /** Whether a reply can still be shown in it. */
  get writable(): boolean {
    return !this.finished && !this.failure;
  }

  /**
   * The whole content so far, within the stream's limit: past it, the first reply (what was asked) and the newest ones
   * that fit (a job's progress and summary), with an ellipsis between.
   */
  content(): string {
    const body = [...this.blocks, ...(this.tail !== undefined ? [this.tail] : [])];
    if (body.length === 0) return this.options.placeholder;
    const whole = body.join('\n\n');
    if (Buffer.byteLength(whole, 'utf8') <= AIBOT_MAX_CONTENT_BYTES) return whole;
    const [first = '', ...rest] = body;
    const head = fitBytes(first, AIBOT_MAX_CONTENT_BYTES / 4);
    let room = AIBOT_MAX_CONTENT_BYTES - Buffer.byteLength(`${head}\n\n…\n\n`, 'utf8');
    const newest: string[] = [];
    for (const block of rest.reverse()) {
      const size = Buffer.byteLength(block, 'utf8') + 2;
      if (size > room) {
        if (newest.length === 0) newest.unshift(fitBytes(block, room - 2));
        break;
      }
      newest.unshift(block);
      room -= size;
    }
    return [head, '…', ...newest].join('\n\n');
  }

  /** Adds a reply below the earlier ones; resolves once WeCom took the frame that shows it. */
  add(markdown: string): Promise<void> {
    this.blocks.push(markdown);
    return this.flush();
  }

  /** Shows `markdown` as the latest progress of a job (it replaces the one before). */
  setTail(markdown: string): Promise<void> {
    this.tail = markdown;
    return this.flush();
  }

  /** Shows `card` with the stream; false when a card was shown already (a message carries one card). */
  attachCard(card: AibotTemplateCard, title: string): Promise<void> | false {
    if (this.card) return false;
    this.card = card;
    if (this.blocks.length === 0) this.blocks.push(title);
    return this.flush();
  }

  /** Sends the first frame ("处理中…") unless one left already; resolves once WeCom took it. */
  begin(): Promise<void> {
    if (!this.dirty) return this.sending ?? Promise.resolve();
    return this.flush();
  }

  /** Keeps the stream open for `reason` (a card's task_id, a job's id). */
  hold(reason: string): void {
    this.holds.add(reason);
  }

  /** Lets go of `reason`; the stream ends at the next {@link settle} when nothing holds it. */
  release(reason: string): void {
    this.holds.delete(reason);
  }

  /** The cards that hold it open (their task_ids). */
  cardHolds(): string[] {
    return [...this.holds].filter((h) => h.startsWith('card:')).map((h) => h.slice(5));
  }

  /** Lets go of every card that holds it (a newer message of its asker answers or replaces their question). */
  releaseCards(): void {
    for (const reason of [...this.holds]) if (reason.startsWith('card:')) this.holds.delete(reason);
  }

  /** Ends the stream unless something holds it. */
  settle(): Promise<void> {
    if (this.holds.size > 0 || this.finished) return this.sending ?? Promise.resolve();
    return this.finish();
  }

  /** Ends the stream now, with `note` as its last line when given. */
  finish(note?: string): Promise<void> {
    if (this.finished) return this.sending ?? Promise.resolve();
    if (note !== undefined) this.blocks.push(note);
    this.finished = true;
    clearTimeout(this.timer);
    const jobs = [...this.holds].filter((h) => h.startsWith('job:')).map((h) => h.slice(4));
    const cut = this.holds.size > 0;
    this.holds.clear();
    const sent = this.flush();
    this.options.onEnd(this, { cut, jobs });
    return sent;
  }

  private timeUp(): void {
    const jobs = [...this.holds].some((h) => h.startsWith('job:'));
    void this.finish(jobs ? this.options.continuing : undefined).catch(() => undefined);
  }

  /** Sends the latest content; at most one frame on its way, the changes meanwhile sent together after it. */
  private flush(): Promise<void> {
    this.dirty = true;
    if (this.failure) return Promise.reject(this.failure);
    this.sending ??= this.drain();
    return this.sending;
  }

  private async drain(): Promise<void> {
    try {
      await this.sendWhileDirty();
    } finally {
      // In the same turn as the last look at `dirty`: a change after it starts a drain of its own.
      this.sending = undefined;
    }
  }

  private async sendWhileDirty(): Promise<void> {
    while (this.dirty && !this.finishSent) {
      this.dirty = false;
      const finish = this.finished;
      const card = this.card && !this.cardShown ? this.card : undefined;
      try {
        await this.options.link.streamFrame(this.origin, this.messageId, {
          streamId: this.streamId,
          content: this.content(),
          finish,
          ...(card ? { card } : {}),
        });
      } catch (err) {
        this.failure = err instanceof Error ? err : new Error(String(err));
        if (!this.finished) {
          this.finished = true;
          clearTimeout(this.timer);
          this.options.onEnd(this, { cut: true, jobs: [...this.holds].filter((h) => h.startsWith('job:')).map((h) => h.slice(4)) });
        }
        throw this.failure;
      }
      if (card) this.cardShown = true;
      if (finish) this.finishSent = true;
    }
  }
}

/** The streams of this process that are still open: by message, by the card they show, by the job reporting in them. */
export class StreamBook {
  private readonly byMessage = new Map<string, LiveStream>();
  private readonly byTask = new Map<string, LiveStream>();
  private readonly byJob = new Map<string, LiveStream>();

  /** Keeps `stream` until it ends. */
  add(stream: LiveStream): void {
    this.byMessage.set(stream.messageId, stream);
  }

  /** Forgets an ended stream. */
  ended(stream: LiveStream): void {
    this.byMessage.delete(stream.messageId);
    for (const map of [this.byTask, this.byJob]) for (const [key, value] of map) if (value === stream) map.delete(key);
  }

  message(messageId: string): LiveStream | undefined {
    return this.byMessage.get(messageId);
  }

  /** The stream that shows card `taskId`. */
  task(taskId: string): LiveStream | undefined {
    return this.byTask.get(taskId);
  }

  /** The stream job `jobId` reports in. */
  job(jobId: string): LiveStream | undefined {
    return this.byJob.get(jobId);
  }

  showsCard(taskId: string, stream: LiveStream): void {
    this.byTask.set(taskId, stream);
  }

  reportsJob(jobId: string, stream: LiveStream): void {
    this.byJob.set(jobId, stream);
  }

  /** Every open stream (a stop ends them). */
  open(): LiveStream[] {
    return [...this.byMessage.values()];
  }
}
