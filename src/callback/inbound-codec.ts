import { z } from 'zod';
import type { Inbound } from './inbound.js';

/** A field an inbound may lack: absent in the stored JSON, `undefined` in the object. */
const maybe = <T extends z.ZodType>(type: T) => type.optional().transform((v) => v);
const text = z.string();
const base = { toUserName: text, fromUserName: text, createTime: z.number(), agentId: maybe(z.number()) };
const fields = z.record(z.string(), z.string());

/** Where a 智能机器人 message came from. */
const AIBOT_ORIGIN = z.object({
  via: z.enum(['ws', 'webhook']),
  botId: text,
  reqId: maybe(text),
  chatId: maybe(text),
  chatType: z.enum(['single', 'group']),
  responseUrl: maybe(text),
});

/** Every kind of inbound as the inbox keeps it; checked field by field when read back. */
const STORED = z.discriminatedUnion('kind', [
  z.object({ ...base, kind: z.literal('text'), msgId: text, content: text }),
  z.object({ ...base, kind: z.literal('message'), msgType: text, msgId: maybe(text), fields }),
  z.object({
    ...base,
    kind: z.literal('external_contact'),
    changeType: text,
    userId: maybe(text),
    externalUserId: maybe(text),
    state: maybe(text),
    welcomeCode: maybe(text),
    source: maybe(text),
    failReason: maybe(text),
  }),
  z.object({
    ...base,
    kind: z.literal('external_chat'),
    changeType: text,
    chatId: maybe(text),
    updateDetail: maybe(text),
    joinScene: maybe(z.number()),
    quitScene: maybe(z.number()),
    memChangeCnt: maybe(z.number()),
    memChangeList: z.array(text),
    lastMemVer: maybe(text),
    curMemVer: maybe(text),
  }),
  z.object({ ...base, kind: z.literal('external_tag'), changeType: text, id: maybe(text), tagType: maybe(text), strategyId: maybe(text) }),
  z.object({
    ...base,
    kind: z.literal('template_card'),
    eventKey: text,
    taskId: text,
    cardType: maybe(text),
    responseCode: maybe(text),
    selectedItems: z.array(z.object({ questionKey: text, optionIds: z.array(text) })),
  }),
  z.object({ ...base, kind: z.literal('event'), event: text, fields }),
  z.object({ ...base, kind: z.literal('aibot_text'), msgId: text, content: text, aibot: AIBOT_ORIGIN }),
  z.object({ ...base, kind: z.literal('aibot_click'), msgId: text, eventKey: text, taskId: text, aibot: AIBOT_ORIGIN }),
]);

/** An inbound as the durable inbox keeps it. */
export function encodeInbound(inbound: Inbound): string {
  return JSON.stringify(inbound);
}

/**
 * An inbound the inbox kept, read back and checked against its kind: a payload that is no inbound (a store edited by
 * hand, a version that wrote another shape) is refused with what is wrong, not handed on half-read.
 * @throws z.ZodError naming the fields that do not fit.
 */
export function decodeInbound(payload: string): Inbound {
  const decoded: Inbound = STORED.parse(JSON.parse(payload));
  return decoded;
}
