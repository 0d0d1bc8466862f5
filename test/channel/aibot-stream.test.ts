import { expect } from 'chai';
import type { AibotLink, StreamFrame } from '../../src/channel/aibot/link.js';
import { LiveStream } from '../../src/channel/aibot/stream.js';
import { AIBOT_MAX_CONTENT_BYTES } from '../../src/wecom/types/aibot.js';

/** A transport that takes each frame after `ms`, and remembers them. */
function slowLink(ms: number): AibotLink & { frames: StreamFrame[] } {
  const frames: StreamFrame[] = [];
  return {
    via: 'ws',
    frames,
    async streamFrame(_origin, _id, frame) {
      await new Promise((r) => setTimeout(r, ms));
      frames.push(frame);
    },
    async updateCard() {},
    async push() {},
  };
}

function stream(link: AibotLink): LiveStream {
  return new LiveStream({
    link,
    origin: { via: 'ws', botId: 'b', chatType: 'single', reqId: 'r1' },
    messageId: 'm1',
    asker: 'zhangsan',
    placeholder: '处理中…',
    continuing: '仍在进行中',
    shown: false,
    startedAt: Date.now(),
    onEnd: () => undefined,
  });
}

describe('a 智能机器人 stream (one message that grows)', () => {
  it('sends what changed while a frame was on its way in the next one, and each add resolves once its text is out', async () => {
    const link = slowLink(30);
    const s = stream(link);
    const first = s.begin();
    const a = s.add('one');
    const b = s.add('two');
    await Promise.all([first, a, b]);
    expect(link.frames.at(-1)!.content).to.equal('one\n\ntwo');
    expect(link.frames.length, 'the changes made meanwhile went in one frame').to.be.at.most(2);
    // A change right after the last frame still gets a frame of its own.
    await s.add('three');
    expect(link.frames.at(-1)!.content).to.contain('three');
    await s.finish();
    expect(link.frames.at(-1)!.finish).to.equal(true);
  });

  it('past 20,480 bytes keeps the first reply and the newest (a job’s summary is never the part cut)', async () => {
    const link = slowLink(0);
    const s = stream(link);
    await s.add('**/转接 全部**');
    for (let i = 0; i < 40; i++) await s.add(`第 ${i} 段 ${'字'.repeat(300)}`);
    await s.setTail('**转接已提交：成功 450 位**');
    const content = link.frames.at(-1)!.content;
    expect(Buffer.byteLength(content, 'utf8')).to.be.at.most(AIBOT_MAX_CONTENT_BYTES);
    expect(content.startsWith('**/转接 全部**')).to.equal(true);
    expect(content).to.contain('第 39 段').and.contain('成功 450 位').and.contain('…');
    expect(content).not.to.contain('第 0 段');
    await s.finish();
  });

  it('stays open while a card or a job holds it, and ends when the last lets go', async () => {
    const link = slowLink(0);
    const s = stream(link);
    await s.add('plan');
    s.hold('card:t1');
    s.hold('job:j1');
    await s.settle();
    expect(s.writable).to.equal(true);
    s.release('card:t1');
    await s.settle();
    expect(s.writable).to.equal(true);
    s.release('job:j1');
    await s.settle();
    expect(s.writable).to.equal(false);
    expect(link.frames.at(-1)!.finish).to.equal(true);
  });
});
