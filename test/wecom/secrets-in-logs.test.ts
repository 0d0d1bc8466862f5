import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { expect } from 'chai';
import { createLogger } from '../../src/log.js';
import { WeComTransportError, createWeComClient } from '../../src/wecom/index.js';

const SECRET = 'corp-secret-MUST-NOT-APPEAR-1234';
const TOKEN = 'access-token-MUST-NOT-APPEAR-5678';

/** A WeCom stand-in that hands out a token, then drops every other connection mid-request. */
async function droppingWeCom(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/cgi-bin/gettoken')) {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ errcode: 0, errmsg: 'ok', access_token: TOKEN, expires_in: 7200 }));
      return;
    }
    req.socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('no secret in any log', () => {
  let lines: string[];
  const sink = () =>
    new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
  beforeEach(() => {
    lines = [];
  });

  it('a dropped connection is reported with the path only, and logging the error shows no token or secret', async () => {
    const { server, url } = await droppingWeCom();
    const log = createLogger('debug', sink());
    const client = createWeComClient({ corpId: 'wwcorp', agentId: 1, agentSecret: SECRET, apiBase: url, retries: 1, backoffBaseMs: 1, log });
    try {
      let error: unknown;
      try {
        await client.message.send({ touser: 'zhangsan', msgtype: 'text', text: { content: 'hi' } });
      } catch (err) {
        error = err;
      }
      expect(WeComTransportError.is(error)).to.equal(true);
      const err = error as WeComTransportError;
      expect(err.message).to.contain('cgi-bin/message/send').and.not.contain('access_token').and.not.contain(TOKEN);
      // As the bot logs a failed job: message, cause, the whole error object.
      log.error({ event: 'job.failed', err: err.message, cause: err.cause, error: err, stack: err.stack });
      const all = lines.join('');
      expect(all).to.contain('job.failed');
      expect(all).not.to.contain(TOKEN);
      expect(all).not.to.contain(SECRET);
    } finally {
      await client.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('scrubs configured secrets and live tokens by value wherever they appear in a line', async () => {
    const { server, url } = await droppingWeCom();
    const log = createLogger('debug', sink());
    const client = createWeComClient({ corpId: 'wwcorp', agentId: 1, agentSecret: SECRET, apiBase: url, retries: 0, log });
    try {
      await client.message.send({ touser: 'x', msgtype: 'text', text: { content: 'x' } }).catch(() => undefined); // fetches TOKEN
      log.warn({ event: 'oops', detail: `GET /x?access_token=${TOKEN}&corpsecret=${SECRET}`, nested: { note: `token was ${TOKEN}` } });
      log.info(`message with ${SECRET} inside`);
      log.error({ event: 'query', url: 'https://qyapi.weixin.qq.com/cgi-bin/gettoken?corpid=ww1&corpsecret=some-other-secret' });
      const all = lines.join('');
      expect(all).not.to.contain(TOKEN);
      expect(all).not.to.contain(SECRET);
      expect(all).not.to.contain('some-other-secret');
      expect(all).to.contain('[redacted]').and.contain('corpsecret=[redacted]');
    } finally {
      await client.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
