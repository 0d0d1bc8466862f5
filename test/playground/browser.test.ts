import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { chromium, type Browser } from 'playwright-core';
import { loadConfig } from '../../src/config.js';
import { startDemo, type Demo } from '../../src/demo.js';
import { silentLogger } from '../../src/log.js';

const CHROMIUM = '/usr/bin/chromium';
const artifacts = fileURLToPath(new URL('../artifacts/', import.meta.url));

describe('playground in a browser (Chromium)', function () {
  this.timeout(60_000);
  let demo: Demo;
  let browser: Browser;

  before(function () {
    if (!existsSync(CHROMIUM)) {
      // CI installs Debian's chromium in .ci/run: there the browser test must run, not skip.
      if (process.env.CI) throw new Error(`${CHROMIUM} is missing: .ci/run should have installed it`);
      this.skip();
    }
  });
  beforeEach(async () => {
    demo = await startDemo(loadConfig({ PORT: '0', STORE_URL: 'memory://' }), silentLogger);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  });
  afterEach(async () => {
    await browser?.close();
    await demo?.stop();
  });

  it('asks for customers, confirms a card with its button, answers in all three locales, and saves a screenshot', async () => {
    const page = await browser.newPage({ viewport: { width: 420, height: 860 } });
    await page.goto(demo.playgroundUrl);
    await page.selectOption('#member', 'zhangsan');
    await page.fill('#text', '/客户 zhangsan');
    await page.press('#text', 'Enter');
    await page.getByText(/张三（zhangsan） 的客户：\d+ 位/).waitFor();
    expect(await page.locator('.bubble strong').count()).to.be.greaterThan(1);

    // The bot may delete only a tag it created (WeCom's rule): it creates one first.
    await page.fill('#text', '/标签 新增 临时 待删');
    await page.click('form button[type=submit]');
    await page.getByText('已新建标签组「临时」').waitFor();
    await page.fill('#text', '/标签 删除 待删');
    await page.click('form button[type=submit]');
    const confirm = page.locator('.card button', { hasText: '确认执行' });
    await confirm.waitFor();
    await confirm.click();
    await page.locator('.card .done', { hasText: '已确认' }).waitFor();
    await page.getByText('已删除 1 个标签').waitFor();
    expect(demo.sim.calls('externalcontact/del_corp_tag')).to.have.length(1);

    await page.fill('#text', '/標籤');
    await page.press('#text', 'Enter');
    await page.getByText(/企業標籤：\d+ 組/).waitFor();

    await page.fill('#text', '/help');
    await page.press('#text', 'Enter');
    await page.getByText(/Commands you can use \(\d+\)/).waitFor();
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: `${artifacts}playground.png`, fullPage: false });
  });
});
