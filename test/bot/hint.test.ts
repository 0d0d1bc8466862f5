import { expect } from 'chai';
import { silentLogger } from '../../src/log.js';
import { startRuntime, type Runtime } from '../../src/runtime.js';
import { createSimulator, type Simulator } from '../../src/simulator/index.js';
import { testConfig } from '../helpers/runtime.js';

describe('bot: until the command framework lands', () => {
  let sim: Simulator;
  let bot: Runtime;
  beforeEach(async () => {
    sim = await createSimulator({ members: 6, customers: 20 });
    const config = testConfig(sim.botEnv());
    bot = await startRuntime(config, { log: silentLogger, wecom: config.wecom! });
    sim.botUrl = bot.url;
  });
  afterEach(async () => {
    await bot.stop();
    await sim.close();
  });

  it('answers a text with a short hint to /帮助 through message/send, once for three deliveries', async () => {
    await sim.sendText('zhangsan', '你好，请问怎么用', 3);
    const reply = await sim.captures.waitForMessage((m) => m.touser.includes('zhangsan'));
    expect(reply.content).to.contain('/帮助');
    await bot.worker.onIdle();
    expect(sim.captures.to('zhangsan')).to.have.length(1);
  });
});
