import type { AibotOrigin } from '../wecom/types/aibot.js';
import { children, leaf, type XmlRecord } from './xml.js';

/** Fields every message and event carries. */
interface InboundBase {
  /** The CorpID. */
  toUserName: string;
  /** The member's UserID, or `sys` for customer-contact system events. */
  fromUserName: string;
  /** Unix seconds. */
  createTime: number;
  agentId: number | undefined;
}

/** A text message a member typed to the app. */
export interface TextMessage extends InboundBase {
  kind: 'text';
  msgId: string;
  content: string;
}

/** Any other message type (image, voice, video, location, link): acknowledged, not understood. */
export interface OtherMessage extends InboundBase {
  kind: 'message';
  msgType: string;
  msgId: string | undefined;
  fields: Record<string, string>;
}

/** `change_external_contact` ChangeTypes of doc 92130. */
export type ExternalContactChangeType =
  | 'add_external_contact'
  | 'edit_external_contact'
  | 'add_half_external_contact'
  | 'del_external_contact'
  | 'del_follow_user'
  | 'transfer_fail'
  | 'msg_audit_approved';

/** A customer-contact change (a customer added, removed, a transfer that failed …). */
export interface ExternalContactEvent extends InboundBase {
  kind: 'external_contact';
  changeType: ExternalContactChangeType | (string & {});
  userId: string | undefined;
  externalUserId: string | undefined;
  /** The 「联系我」 state, when the customer came through one. */
  state: string | undefined;
  /** Valid 20 s, single use: the key to send_welcome_msg. */
  welcomeCode: string | undefined;
  /** e.g. `DELETE_BY_TRANSFER` on del_external_contact. */
  source: string | undefined;
  /** `customer_refused` or `customer_limit_exceed` on transfer_fail. */
  failReason: string | undefined;
}

/** A customer group chat created, updated or dismissed. */
export interface ExternalChatEvent extends InboundBase {
  kind: 'external_chat';
  changeType: 'create' | 'update' | 'dismiss' | (string & {});
  chatId: string | undefined;
  /** add_member, del_member, change_owner, change_name, change_notice. */
  updateDetail: string | undefined;
  joinScene: number | undefined;
  quitScene: number | undefined;
  memChangeCnt: number | undefined;
  memChangeList: string[];
  lastMemVer: string | undefined;
  curMemVer: string | undefined;
}

/** A corp tag or tag group created, updated, deleted or reordered. */
export interface ExternalTagEvent extends InboundBase {
  kind: 'external_tag';
  changeType: 'create' | 'update' | 'delete' | 'shuffle' | (string & {});
  id: string | undefined;
  tagType: 'tag' | 'tag_group' | (string & {}) | undefined;
  strategyId: string | undefined;
}

/** A click on a template card (confirm / cancel buttons). */
export interface TemplateCardEvent extends InboundBase {
  kind: 'template_card';
  eventKey: string;
  taskId: string;
  cardType: string | undefined;
  /** Single-use code for update_template_card. */
  responseCode: string | undefined;
  selectedItems: { questionKey: string; optionIds: string[] }[];
}

/** Any other event (enter_agent, subscribe …): acknowledged, not understood. */
export interface OtherEvent extends InboundBase {
  kind: 'event';
  event: string;
  fields: Record<string, string>;
}

/** A member's text to the 智能机器人 (in a group, with the `@名字` mention taken off). */
export interface AibotTextMessage extends InboundBase {
  kind: 'aibot_text';
  msgId: string;
  content: string;
  aibot: AibotOrigin;
}

/** A click on a card the 智能机器人 sent; `fromUserName` is the member who clicked. */
export interface AibotCardClick extends InboundBase {
  kind: 'aibot_click';
  msgId: string;
  eventKey: string;
  taskId: string;
  aibot: AibotOrigin;
}

/** What the callback hands to the bot. */
export type Inbound =
  | TextMessage
  | OtherMessage
  | ExternalContactEvent
  | ExternalChatEvent
  | ExternalTagEvent
  | TemplateCardEvent
  | OtherEvent
  | AibotTextMessage
  | AibotCardClick;

/** The inner XML does not describe a message or event we can read. */
export class InboundFormatError extends Error {}

function optionalInt(value: string | undefined): number | undefined {
  if (value === undefined || !/^-?\d+$/.test(value)) return undefined;
  return Number(value);
}

function flatFields(record: XmlRecord): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(record)) {
    const value = leaf(record, key);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

function selectedItems(record: XmlRecord): TemplateCardEvent['selectedItems'] {
  const container = record.SelectedItems;
  if (!container || typeof container !== 'object' || Array.isArray(container)) return [];
  return children(container, 'SelectedItem').flatMap((item) => {
    if (!item || typeof item !== 'object' || Array.isArray(item)) return [];
    const ids = item.OptionIds;
    const optionIds = ids && typeof ids === 'object' && !Array.isArray(ids) ? children(ids, 'OptionId').filter((x): x is string => typeof x === 'string') : [];
    return [{ questionKey: leaf(item, 'QuestionKey') ?? '', optionIds }];
  });
}

function memChangeList(record: XmlRecord): string[] {
  const node = record.MemChangeList;
  if (typeof node === 'string') return node === '' ? [] : [node];
  if (!node || typeof node !== 'object' || Array.isArray(node)) return [];
  return children(node, 'Item').filter((x): x is string => typeof x === 'string');
}

/** A member's UserID is at most 64 bytes of letters, digits and _-.@ (doc 90196): anything else is never answered. */
export function isUserId(value: string): boolean {
  return value.length > 0 && value.length <= 64 && /^[A-Za-z0-9_.@-]+$/.test(value);
}

/**
 * Turns the decrypted inner XML into a typed {@link Inbound}.
 * @throws InboundFormatError when MsgType, FromUserName or CreateTime is missing or malformed.
 */
export function toInbound(record: XmlRecord): Inbound {
  const msgType = leaf(record, 'MsgType');
  const fromUserName = leaf(record, 'FromUserName');
  const createTime = optionalInt(leaf(record, 'CreateTime'));
  if (!msgType || !fromUserName || createTime === undefined) {
    throw new InboundFormatError('MsgType, FromUserName and CreateTime are required');
  }
  if (!isUserId(fromUserName)) {
    throw new InboundFormatError('FromUserName is not a UserID');
  }
  const base: InboundBase = {
    toUserName: leaf(record, 'ToUserName') ?? '',
    fromUserName,
    createTime,
    agentId: optionalInt(leaf(record, 'AgentID')),
  };
  if (msgType !== 'event') {
    const msgId = leaf(record, 'MsgId');
    if (msgType === 'text') {
      if (!msgId) throw new InboundFormatError('a text message needs a MsgId');
      return { ...base, kind: 'text', msgId, content: leaf(record, 'Content') ?? '' };
    }
    return { ...base, kind: 'message', msgType, msgId, fields: flatFields(record) };
  }
  const event = leaf(record, 'Event');
  if (!event) throw new InboundFormatError('an event needs an Event');
  const changeType = leaf(record, 'ChangeType') ?? '';
  switch (event) {
    case 'change_external_contact':
      return {
        ...base,
        kind: 'external_contact',
        changeType,
        userId: leaf(record, 'UserID'),
        externalUserId: leaf(record, 'ExternalUserID'),
        state: leaf(record, 'State'),
        welcomeCode: leaf(record, 'WelcomeCode'),
        source: leaf(record, 'Source'),
        failReason: leaf(record, 'FailReason'),
      };
    case 'change_external_chat':
      return {
        ...base,
        kind: 'external_chat',
        changeType,
        chatId: leaf(record, 'ChatId'),
        updateDetail: leaf(record, 'UpdateDetail'),
        joinScene: optionalInt(leaf(record, 'JoinScene')),
        quitScene: optionalInt(leaf(record, 'QuitScene')),
        memChangeCnt: optionalInt(leaf(record, 'MemChangeCnt')),
        memChangeList: memChangeList(record),
        lastMemVer: leaf(record, 'LastMemVer'),
        curMemVer: leaf(record, 'CurMemVer'),
      };
    case 'change_external_tag':
      return {
        ...base,
        kind: 'external_tag',
        changeType,
        id: leaf(record, 'Id'),
        tagType: leaf(record, 'TagType'),
        strategyId: leaf(record, 'StrategyId'),
      };
    case 'template_card_event': {
      const eventKey = leaf(record, 'EventKey');
      const taskId = leaf(record, 'TaskId');
      if (!eventKey || !taskId) throw new InboundFormatError('template_card_event needs EventKey and TaskId');
      return {
        ...base,
        kind: 'template_card',
        eventKey,
        taskId,
        cardType: leaf(record, 'CardType'),
        responseCode: leaf(record, 'ResponseCode'),
        selectedItems: selectedItems(record),
      };
    }
    default:
      return { ...base, kind: 'event', event, fields: flatFields(record) };
  }
}
