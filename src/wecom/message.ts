import { WeComRequestError } from './errors.js';
import type { WeComCaller } from './http.js';
import type { SendMessageRequest, SendMessageResponse, UpdateTemplateCardRequest, UpdateTemplateCardResponse } from './types/message.js';

/** Largest text or markdown content message/send accepts, in UTF-8 bytes. */
export const MESSAGE_CONTENT_MAX_BYTES = 2048;

/** App messages: text, markdown and template cards, and updates of interactive cards. */
export class MessageApi {
  constructor(
    private readonly http: WeComCaller,
    private readonly agentId: number,
  ) {}

  /**
   * Sends an app message (doc 90236). Text and markdown over 2048 UTF-8 bytes are refused before any request:
   * splitting is the renderer's job.
   * @throws WeComRequestError when the content is too long.
   */
  async send(message: SendMessageRequest): Promise<SendMessageResponse> {
    const content = message.msgtype === 'text' ? message.text.content : message.msgtype === 'markdown' ? message.markdown.content : undefined;
    if (content !== undefined) {
      const bytes = Buffer.byteLength(content, 'utf8');
      if (bytes > MESSAGE_CONTENT_MAX_BYTES) {
        throw new WeComRequestError('cgi-bin/message/send', `${message.msgtype} content is ${bytes} bytes; WeCom accepts at most ${MESSAGE_CONTENT_MAX_BYTES}`);
      }
      if (bytes === 0) {
        throw new WeComRequestError('cgi-bin/message/send', `${message.msgtype} content is empty`);
      }
    }
    return this.http.call<SendMessageResponse>({
      method: 'POST',
      path: 'cgi-bin/message/send',
      body: { ...message, agentid: this.agentId },
      secret: 'agent',
      kind: 'write',
      resendable: true,
    });
  }

  /** Updates an interactive card after a click (doc 94888), with the response_code of that click. */
  updateTemplateCard(update: UpdateTemplateCardRequest): Promise<UpdateTemplateCardResponse> {
    return this.http.call<UpdateTemplateCardResponse>({
      method: 'POST',
      path: 'cgi-bin/message/update_template_card',
      body: { ...update, agentid: this.agentId },
      secret: 'agent',
      kind: 'write',
      resendable: true,
    });
  }
}
