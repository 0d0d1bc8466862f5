import { expect } from 'chai';
import fetch from 'node-fetch';
import { startChat, type Chat } from '../helpers/chat.js';
import { freePort } from '../helpers/process.js';

/** The value of one sample of the Prometheus text, or undefined. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (want.every((w) => line.includes(w))) return Number(line.split(' ').at(-1));
  }
  return undefined;
}

describe('metrics on METRICS_PORT (issue 27)', () => {
  let chat: Chat;
  afterEach(() => chat.close());

  it('counts callbacks, commands with their durations, WeCom calls, token refreshes, messages and the inbox, on 127.0.0.1 only, never on the public port', async () => {
    const port = await freePort();
    chat = await startChat({ admins: ['zhangsan'], env: { METRICS_PORT: String(port) } });
    expect(chat.bot.metricsUrl).to.equal(`http://127.0.0.1:${port}/metrics`);
    await chat.as('wangwu').say('/帮助');
    await chat.as('wangwu').say('/客户');
    await chat.as('wangwu').say('/帮助', 3); // WeCom's retries: two duplicates
    const res = await fetch(chat.bot.metricsUrl!);
    expect(res.headers.get('content-type')).to.contain('text/plain');
    const text = await res.text();
    expect(sample(text, 'wco_callbacks_total', { outcome: 'accepted' })).to.equal(3);
    expect(sample(text, 'wco_callbacks_total', { outcome: 'duplicate' })).to.equal(2);
    expect(sample(text, 'wco_commands_total', { command: 'help', outcome: 'executed' })).to.equal(2);
    expect(sample(text, 'wco_command_duration_seconds_count', { command: 'customers' })).to.equal(1);
    expect(sample(text, 'wco_wecom_calls_total', { path: 'externalcontact/list', errcode: '0' })).to.be.at.least(1);
    expect(sample(text, 'wco_wecom_call_duration_seconds_count', { path: 'message/send' })).to.be.at.least(3);
    expect(sample(text, 'wco_token_refreshes_total')).to.be.at.least(1);
    expect(sample(text, 'wco_messages_total', { outcome: 'sent' })).to.be.at.least(3);
    expect(sample(text, 'wco_inbox_depth')).to.equal(0);
    expect(sample(text, 'wco_inbox_oldest_age_seconds')).to.equal(0);
    expect(text, 'Node’s own process metrics').to.contain('process_cpu_seconds_total');
    // Not on the public port, and nothing but /metrics on the metrics port.
    expect((await fetch(`${chat.bot.url}/metrics`)).status).to.equal(404);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).to.equal(404);
  });

  it('counts refused callbacks by why', async () => {
    const port = await freePort();
    chat = await startChat({ env: { METRICS_PORT: String(port) } });
    const forged = await fetch(`${chat.bot.url}/wecom/callback?msg_signature=x&timestamp=${Math.floor(Date.now() / 1000)}&nonce=1`, {
      method: 'POST',
      body: '<xml><Encrypt><![CDATA[abcd]]></Encrypt></xml>',
    });
    expect(forged.status).to.equal(403);
    const text = await (await fetch(chat.bot.metricsUrl!)).text();
    expect(sample(text, 'wco_callbacks_total', { outcome: 'forged' })).to.equal(1);
  });

  it('is off when METRICS_PORT is unset', async () => {
    chat = await startChat({});
    expect(chat.bot.metricsUrl).to.equal(undefined);
  });
});
