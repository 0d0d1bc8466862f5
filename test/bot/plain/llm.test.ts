import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../../src/config.js';
import { startChat, type Chat } from '../../helpers/chat.js';

/** What the fake endpoint was sent: an OpenAI chat-completions request. */
interface Asked {
  auth?: string;
  body: { model: string; messages: { role: string; content: string }[] };
}

/** A fake OpenAI-compatible endpoint: answers each completion with `answer` (or fails) and keeps what it was asked. */
async function fakeModel(): Promise<{ url: string; asked: Asked[]; answer: string; status: number; close(): Promise<void> }> {
  const state = { asked: [] as Asked[], answer: 'NONE', status: 200 };
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => {
      raw += c;
    });
    req.on('end', () => {
      state.asked.push({ ...(req.headers.authorization ? { auth: req.headers.authorization } : {}), body: JSON.parse(raw) });
      res.writeHead(req.url === '/v1/chat/completions' ? state.status : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content: state.answer } }] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}/v1`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

describe('plain requests: the optional language model (BOT_LLM_*)', () => {
  let chat: Chat;
  let model: Awaited<ReturnType<typeof fakeModel>>;
  beforeEach(async () => {
    model = await fakeModel();
    chat = await startChat({ admins: ['zhangsan'], managers: ['lisi'], env: { BOT_LLM_URL: model.url, BOT_LLM_KEY: 'sk-test', BOT_LLM_MODEL: 'tiny' } });
  });
  afterEach(async () => {
    await chat.close();
    await model.close();
  });

  it('proposes the line the model reads for a sentence the grammar cannot, runs nothing before the member says yes, then runs it', async () => {
    model.answer = '/统计 近7天';
    const before = chat.sim.calls('externalcontact/get_user_behavior_data').length;
    const replies = await chat.shouldReply('lisi', '这周大家加客户加得怎么样', ['你是想这样做吗？', '/统计 近7天', '就这样'], ['按这条命令处理']);
    expect(chat.sim.calls('externalcontact/get_user_behavior_data').length, 'nothing ran').to.equal(before);
    const [asked] = model.asked;
    expect(asked!.auth).to.equal('Bearer sk-test');
    expect(asked!.body.model).to.equal('tiny');
    expect(asked!.body.messages[1]!.content).to.equal('这周大家加客户加得怎么样');
    const card = replies.find((m) => m.msgtype === 'template_card')!;
    const ran = await chat.as('lisi').click(card, 'ask:run');
    expect(ran.map((m) => m.content ?? '').join('\n')).to.match(/位成员 的客户联系数据|的客户联系数据/);
    expect(chat.sim.calls('externalcontact/get_user_behavior_data').length).to.be.greaterThan(before);
  });

  it('a typed yes runs the proposal; anything else drops it and is read afresh', async () => {
    model.answer = '```\n/客户\n```';
    await chat.shouldReply('wangwu', '我那些客户呢都在哪', ['你是想这样做吗？', '/客户']);
    await chat.shouldReply('wangwu', '是', /王五（wangwu）的客户：\d+ 位/);
    await chat.shouldReply('wangwu', '我那些客户呢都在哪', '/客户');
    await chat.shouldReply('wangwu', '帮助', ['`/帮助`', '你可以使用的命令']);
  });

  it('offers only what the member may run, and falls back to the hint when the model proposes nothing the bot has or fails', async () => {
    model.answer = '/rm -rf';
    await chat.shouldReply('wangwu', '删掉所有东西', ['发送 /帮助'], ['你是想这样做吗？']);
    const usage = model.asked[0]!.body.messages[0]!.content;
    expect(usage).to.contain('/客户').and.not.contain('/转接 全部');
    model.status = 500;
    model.answer = '/客户';
    await chat.shouldReply('wangwu', '随便聊聊吧朋友', ['发送 /帮助'], ['你是想这样做吗？']);
  });
});

describe('BOT_LLM_* configuration', () => {
  it('is off unless BOT_LLM_URL is set, and refuses a URL that is not http(s)', () => {
    expect(loadConfig({}).llm).to.equal(undefined);
    expect(loadConfig({ BOT_LLM_URL: 'http://127.0.0.1:1/v1/', BOT_LLM_MODEL: 'm' }).llm).to.deep.equal({
      url: 'http://127.0.0.1:1/v1',
      key: undefined,
      model: 'm',
    });
    expect(() => loadConfig({ BOT_LLM_URL: 'ftp://x' })).to.throw(ConfigError, 'BOT_LLM_URL');
  });
});
