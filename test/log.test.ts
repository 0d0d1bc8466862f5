import { Writable } from 'node:stream';
import { expect } from 'chai';
import { createLogger } from '../src/log.js';
import { startChat, type Chat } from './helpers/chat.js';

/** A logger whose lines are kept, parsed. */
function keptLogger(): { log: ReturnType<typeof createLogger>; lines: Record<string, unknown>[]; raw: string[] } {
  const raw: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      raw.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const log = createLogger('info', sink);
  return {
    log,
    raw,
    get lines() {
      return raw.map((l) => JSON.parse(l) as Record<string, unknown>);
    },
  };
}

describe('logs an operator can use (issue 27)', () => {
  let chat: Chat;
  afterEach(() => chat.close());

  it('are JSON lines with level names and ISO times; one audit line per command, without what was typed; WeCom refusals with their whole errmsg', async () => {
    const kept = keptLogger();
    chat = await startChat({ admins: ['zhangsan'], log: kept.log });
    await chat.as('wangwu').say('/帮助');
    await chat.as('wangwu').say('/客户 zhaoliu 秘密的备注');
    chat.sim.faults = { errcodeRates: { 60020: 1 }, paths: /^externalcontact\/list$/ };
    await chat.as('lisi').say('/客户');
    const lines = kept.lines;
    for (const line of lines) {
      expect(line.level).to.be.oneOf(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);
      expect(line.time).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
    const audit = lines.filter((l) => l.event === 'audit');
    expect(audit.map((l) => [l.userid, l.command, l.decision])).to.deep.include.members([
      ['wangwu', 'help', 'executed'],
      ['wangwu', 'customers', 'failed'],
      ['lisi', 'customers', 'failed'],
    ]);
    for (const line of audit) {
      if (line.decision === 'executed') expect(line, JSON.stringify(line)).to.have.property('durationMs').that.is.a('number');
      expect(line).not.to.have.property('args');
    }
    expect(audit.find((l) => l.userid === 'wangwu' && l.decision === 'failed')).to.include({ reason: 'input', key: 'errors.parse.extraArgument' });
    expect(kept.raw.join('\n'), 'nothing typed in the logs').not.to.contain('秘密的备注');
    const refused = lines.find((l) => l.event === 'wecom.errcode' && l.errcode === 60020);
    expect(refused?.errmsg, 'WeCom’s whole errmsg').to.match(/from ip/);
  });
});
