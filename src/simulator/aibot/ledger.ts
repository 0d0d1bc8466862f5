import type { AibotCardUpdate, AibotPush, AibotReplyBody, AibotStream, AibotTemplateCard } from '../../wecom/types/aibot.js';
import { AIBOT_CARD_UPDATE_MS, AIBOT_STREAM_LIFETIME_MS } from '../../wecom/types/aibot.js';
import type { SimClock } from '../clock.js';
import { AIBOT_ERR, AibotRefusal } from './errcodes.js';
import { checkPush } from './response-urls.js';
import { checkCard, checkContentSize, ConversationRate } from './rules.js';
import { Waiters } from './waiters.js';

/** A callback the simulator sent, by the kind of answer its req_id allows. */
export interface CallbackRecord {
  kind: 'message' | 'enter_chat' | 'click';
  botId: string;
  msgid: string;
  chatId: string;
  chatType: 'single' | 'group';
  userid: string;
  at: number;
  /** The connection the callback went out on (its answers must come back on it). */
  connection?: object;
  /** The clicked card (clicks only). */
  taskId?: string;
  /** A welcome or a card update was given (one per event), or a card replied (one per message). */
  answered?: boolean;
}

/** A streamed reply as the member sees it: `content` is the latest frame's (cumulative) text. */
export interface AibotStreamView {
  reqId: string;
  msgid: string;
  streamId: string;
  botId: string;
  chatId: string;
  chatType: 'single' | 'group';
  asker: string;
  frames: string[];
  content: string;
  finished: boolean;
  card?: AibotTemplateCard;
  startedAt: number;
  firstFrameAt?: number;
}

/** A message the bot sent on its own (`aibot_send_msg`) or as a welcome. */
export interface AibotPushView {
  botId: string;
  chatId: string;
  msgtype: string;
  content?: string;
  card?: AibotTemplateCard;
  at: number;
}

/** A card update the simulator accepted. */
export interface AibotCardUpdateView {
  taskId: string;
  userids?: string[];
  card: AibotTemplateCard;
  reqId: string;
}

interface CardRecord {
  botId: string;
  chatId: string;
  chatType: 'single' | 'group';
  owner: string;
  forEveryone: AibotTemplateCard;
  perUser: Map<string, AibotTemplateCard>;
}

const REPLY_LIFETIME_MS = 24 * 3_600_000;

/**
 * What the simulated WeCom remembers of one AI bot's conversations, and the rules its replies must keep: which req_id
 * answers what (doc 101463), streams (100719, 101031), cards and their updates (101027, 101031), pushes (101463) and
 * the per-conversation rate. Each method either records the reply or throws an AibotRefusal, leaving nothing changed.
 */
export class AibotLedger {
  readonly waiters = new Waiters();
  private readonly callbacks = new Map<string, CallbackRecord>();
  private readonly streamsByReq = new Map<string, AibotStreamView>();
  private readonly cards = new Map<string, CardRecord>();
  private readonly seenChats = new Map<string, 'single' | 'group'>();
  private readonly pushLog: AibotPushView[] = [];
  private readonly welcomeLog: AibotPushView[] = [];
  private readonly updateLog: AibotCardUpdateView[] = [];
  private readonly rate: ConversationRate;

  constructor(private readonly clock: SimClock) {
    this.rate = new ConversationRate(() => clock.now());
  }

  /** Remembers a callback sent under `reqId`; a message makes its chat one the bot may push to (doc 101463). */
  recordCallback(reqId: string, record: CallbackRecord): void {
    this.callbacks.set(reqId, record);
    if (record.kind === 'message') this.seenChats.set(`${record.botId}\u0000${record.chatId}`, record.chatType);
  }

  /** The connection callback `reqId` went out on, if it was sent over one. */
  connectionOf(reqId: string): object | undefined {
    return this.callbacks.get(reqId)?.connection;
  }

  /** Whether `botId` has sent a card `taskId` (a member can click only an existing card). */
  hasCard(botId: string, taskId: string): boolean {
    return this.cards.has(`${botId}\u0000${taskId}`);
  }

  /** Where card `taskId` of `botId` was sent, if it was. */
  cardChat(botId: string, taskId: string): { chatId: string; chatType: 'single' | 'group' } | undefined {
    const held = this.cards.get(`${botId}\u0000${taskId}`);
    return held && { chatId: held.chatId, chatType: held.chatType };
  }

  /** `aibot_respond_msg`: a stream frame, a card, or both, on a message's req_id. */
  respond(botId: string, reqId: string, body: AibotReplyBody): void {
    const record = this.callbackOf(botId, reqId, 'message');
    const now = this.clock.now();
    if (body?.msgtype === 'template_card') {
      if (now - record.at > REPLY_LIFETIME_MS) throw new AibotRefusal(AIBOT_ERR.expired, 'replies are due within 24 h of the message');
      this.checkNewCard(record, body.template_card);
      this.rate.admit(this.conversation(record));
      record.answered = true;
      this.addCard(record, body.template_card);
      const stream = this.streamsByReq.get(reqId);
      if (stream) stream.card = body.template_card;
      this.waiters.notify();
      return;
    }
    if (body?.msgtype !== 'stream' && body?.msgtype !== 'stream_with_template_card') {
      throw new AibotRefusal(AIBOT_ERR.msgtype, `aibot_respond_msg takes stream, template_card or stream_with_template_card, not ${String(body?.msgtype)}`);
    }
    const frame: AibotStream | undefined = body.stream;
    const existing = this.streamsByReq.get(reqId);
    // Doc 100719 counts the 6 minutes from the user's message, 101463 from the first frame: the earlier start is stricter.
    if (now - record.at > AIBOT_STREAM_LIFETIME_MS) throw new AibotRefusal(AIBOT_ERR.expired, 'stream not finished within 6 min of the message');
    if (existing?.finished) throw new AibotRefusal(AIBOT_ERR.expired, 'stream already finished');
    if (!frame || typeof frame.id !== 'string' || !frame.id) throw new AibotRefusal(AIBOT_ERR.invalid, 'stream.id missing');
    if (existing && frame.id !== existing.streamId) throw new AibotRefusal(AIBOT_ERR.invalid, `stream.id ${frame.id} is not ${existing.streamId}`);
    checkContentSize(frame.content, 'stream.content');
    if ((frame as { msg_item?: unknown }).msg_item !== undefined && !frame.finish) throw new AibotRefusal(AIBOT_ERR.invalid, 'msg_item only with finish');
    const card = body.msgtype === 'stream_with_template_card' ? body.template_card : undefined;
    if (card) this.checkNewCard(record, card);
    if (!existing) this.rate.admit(this.conversation(record));
    const view: AibotStreamView = existing ?? {
      reqId,
      msgid: record.msgid,
      streamId: frame.id,
      botId,
      chatId: record.chatId,
      chatType: record.chatType,
      asker: record.userid,
      frames: [],
      content: '',
      finished: false,
      startedAt: record.at,
      firstFrameAt: now,
    };
    view.frames.push(frame.content ?? '');
    view.content = frame.content ?? '';
    view.finished = frame.finish === true;
    if (card) {
      record.answered = true;
      view.card = card;
      this.addCard(record, card);
    }
    this.streamsByReq.set(reqId, view);
    this.waiters.notify();
  }

  /** `aibot_respond_welcome_msg`: once per `enter_chat`, within 5 s (doc 101027), a text or a card. */
  welcome(botId: string, reqId: string, body: AibotReplyBody): void {
    const record = this.callbackOf(botId, reqId, 'enter_chat');
    this.checkWithin5s(record);
    let view: AibotPushView;
    if (body?.msgtype === 'text') {
      checkContentSize(body.text?.content, 'text.content');
      view = { botId, chatId: record.chatId, msgtype: 'text', content: body.text?.content ?? '', at: this.clock.now() };
    } else if (body?.msgtype === 'template_card') {
      this.checkNewCard(record, body.template_card);
      view = { botId, chatId: record.chatId, msgtype: 'template_card', card: body.template_card, at: this.clock.now() };
    } else {
      throw new AibotRefusal(AIBOT_ERR.msgtype, `a welcome is text or template_card, not ${String(body?.msgtype)}`);
    }
    this.rate.admit(this.conversation(record));
    record.answered = true;
    if (view.card) this.addCard(record, view.card);
    this.welcomeLog.push(view);
    this.waiters.notify();
  }

  /** `aibot_respond_update_msg`: one update per click, within 5 s, of the clicked card (doc 101027). */
  update(botId: string, reqId: string, body: AibotCardUpdate): void {
    const record = this.callbackOf(botId, reqId, 'click');
    this.checkWithin5s(record);
    if (body?.response_type !== 'update_template_card') throw new AibotRefusal(AIBOT_ERR.invalid, 'response_type must be update_template_card');
    const card = checkCard(body.template_card);
    if (card.task_id !== record.taskId) throw new AibotRefusal(AIBOT_ERR.invalid, `task_id ${card.task_id} is not the clicked ${record.taskId}`);
    const userids = body.userids;
    if (userids !== undefined && (!Array.isArray(userids) || userids.length === 0 || userids.some((u) => typeof u !== 'string' || !u))) {
      throw new AibotRefusal(AIBOT_ERR.invalid, 'userids must be a non-empty list of userids');
    }
    const held = this.cards.get(`${botId}\u0000${card.task_id}`)!;
    record.answered = true;
    if (userids) for (const userid of userids) held.perUser.set(userid, card);
    else {
      held.forEveryone = card;
      held.perUser.clear();
    }
    this.updateLog.push({ taskId: card.task_id, ...(userids ? { userids: [...userids] } : {}), card, reqId });
    this.waiters.notify();
  }

  /** `aibot_send_msg`: markdown, or a card to a single chat, into a chat that messaged the bot before (doc 101463). */
  send(botId: string, body: AibotPush & { chatid?: string; chat_type?: number }): void {
    if (typeof body?.chatid !== 'string' || !body.chatid) throw new AibotRefusal(AIBOT_ERR.invalid, 'chatid missing');
    const chatType = this.seenChats.get(`${botId}\u0000${body.chatid}`);
    if (!chatType) throw new AibotRefusal(AIBOT_ERR.chatUnknown, `${body.chatid} never messaged bot ${botId}`);
    const wanted = body.chat_type === 1 ? 'single' : body.chat_type === 2 ? 'group' : undefined;
    if (wanted && wanted !== chatType) throw new AibotRefusal(AIBOT_ERR.invalid, `chat_type ${body.chat_type} but ${body.chatid} is a ${chatType} chat`);
    checkPush(body, chatType);
    const origin: CallbackRecord = {
      kind: 'message',
      botId,
      msgid: '',
      chatId: body.chatid,
      chatType,
      userid: chatType === 'single' ? body.chatid : '',
      at: 0,
    };
    if (body.msgtype === 'template_card') this.checkNewCard(origin, body.template_card);
    this.rate.admit(this.conversation(origin));
    const at = this.clock.now();
    if (body.msgtype === 'template_card') {
      this.addCard(origin, body.template_card);
      this.pushLog.push({ botId, chatId: body.chatid, msgtype: 'template_card', card: body.template_card, at });
    } else {
      this.pushLog.push({ botId, chatId: body.chatid, msgtype: 'markdown', content: body.markdown.content, at });
    }
    this.waiters.notify();
  }

  /** The streams so far, oldest first. */
  streams(filter?: (view: AibotStreamView) => boolean): AibotStreamView[] {
    // Only the matches are copied: a test waits on every frame, the playground looks twice a second.
    return [...this.streamsByReq.values()].filter((v) => !filter || filter(v)).map((v) => ({ ...v, frames: [...v.frames] }));
  }

  /** The pushes so far. */
  pushes(): AibotPushView[] {
    return [...this.pushLog];
  }

  /** The welcomes so far. */
  welcomes(): AibotPushView[] {
    return [...this.welcomeLog];
  }

  /** The card updates accepted so far. */
  updates(): AibotCardUpdateView[] {
    return [...this.updateLog];
  }

  /** The card `userid` sees for `taskId` now (undefined if the card never reached them). */
  cardAsSeenBy(taskId: string, userid: string): AibotTemplateCard | undefined {
    const held = [...this.cards.values()].filter((c) => c.forEveryone.task_id === taskId).at(-1);
    if (!held || (held.chatType === 'single' && held.owner !== userid)) return undefined;
    return held.perUser.get(userid) ?? held.forEveryone;
  }

  private callbackOf(botId: string, reqId: string, kind: CallbackRecord['kind']): CallbackRecord {
    const record = this.callbacks.get(reqId);
    if (!record || record.botId !== botId || record.kind !== kind) {
      throw new AibotRefusal(AIBOT_ERR.wrongReqId, `req_id ${reqId} is not a ${kind} callback of bot ${botId}${record ? ` (it is a ${record.kind})` : ''}`);
    }
    return record;
  }

  private checkWithin5s(record: CallbackRecord): void {
    if (this.clock.now() - record.at > AIBOT_CARD_UPDATE_MS) throw new AibotRefusal(AIBOT_ERR.expired, `${record.kind}: answer due within 5 s`);
    if (record.answered) throw new AibotRefusal(AIBOT_ERR.expired, `${record.kind}: answered already (one answer per event)`);
  }

  /** A card a message or event may still carry, with a task_id the bot never used (doc 101031). */
  private checkNewCard(record: CallbackRecord, card: AibotTemplateCard): void {
    if (record.answered) throw new AibotRefusal(AIBOT_ERR.invalid, 'a message gets at most one template card');
    checkCard(card);
    if (this.hasCard(record.botId, card.task_id)) throw new AibotRefusal(AIBOT_ERR.taskIdReused, `task_id ${card.task_id} used before by this bot`);
  }

  private addCard(record: CallbackRecord, card: AibotTemplateCard): void {
    const { botId, chatId, chatType, userid } = record;
    this.cards.set(`${botId}\u0000${card.task_id}`, { botId, chatId, chatType, owner: userid, forEveryone: card, perUser: new Map() });
  }

  private conversation(record: CallbackRecord): string {
    return `${record.botId}/${record.chatId}`;
  }
}
