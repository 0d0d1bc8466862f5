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
    await page.getByText(/张三（zhangsan）的客户：\d+ 位/).waitFor();
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

  it('keeps the whole conversation over a reload, labels itself in the chosen script, and shows what customers received', async () => {
    const page = await browser.newPage({ viewport: { width: 420, height: 900 } });
    await page.goto(demo.playgroundUrl);
    await page.selectOption('#member', 'zhangsan');
    await page.fill('#text', '/欢迎语 设置 --text 您好，我是张三');
    await page.press('#text', 'Enter');
    await page.getByText('已设置').first().waitFor();
    await page.reload();
    await page.selectOption('#member', 'zhangsan');
    // The member's own line is still there after the reload, beside the bot's answer.
    await page.locator('.msg.me', { hasText: '/欢迎语 设置 --text 您好，我是张三' }).waitFor();
    // A customer adds zhangsan: the welcome message is what that customer received.
    await page.click('#add-contact');
    await page.click('#received summary');
    await page.locator('#received-list li', { hasText: '您好，我是张三' }).waitFor();
    expect(await page.locator('#received-list .kind').first().textContent()).to.equal('欢迎语');
    // The page's own words follow the chosen script.
    await page.selectOption('#ui', 'zh-Hant');
    expect(await page.locator('h1').textContent()).to.contain('客戶聯絡助手');
    expect(await page.locator('#confirm-broadcasts').textContent()).to.equal('模擬：成員確認群發');
    expect(await page.locator('#received-list .kind').first().textContent()).to.equal('歡迎語');
    await page.selectOption('#ui', 'en');
    expect(await page.locator('form button[type=submit]').textContent()).to.equal('Send');
    expect(await page.locator('#member option[value=zhangsan]').textContent()).to.contain('admin');
  });

  // A transfer as an admin would hold it in each script: the bare command, the bot's two questions answered by
  // button, the confirmation card confirmed, and the summary. The screenshots are docs/playground-<script>.png.
  const TRANSFER_TALK = [
    { locale: 'zh-Hans', command: '/转接', from: '从哪位成员转出？', to: '转给谁？', confirm: '确认执行', done: /转接已提交：成功 \d+ 位，失败 0 位/ },
    { locale: 'zh-Hant', command: '/轉接', from: '從哪位成員轉出？', to: '轉給誰？', confirm: '確認執行', done: /轉接已送出：成功 \d+ 位，失敗 0 位/ },
    {
      locale: 'en',
      command: '/transfer',
      from: 'Whose customers are to be handed over?',
      to: 'Who takes them over?',
      confirm: 'Confirm',
      done: /Transfer submitted: \d+ accepted, 0 failed/,
    },
  ] as const;
  for (const talk of TRANSFER_TALK) {
    it(`holds a transfer conversation in ${talk.locale}: two questions by button, a card, the summary`, async () => {
      // Tall enough that the screenshot shows the whole conversation, from the command to the summary.
      const page = await browser.newPage({ viewport: { width: 420, height: 1500 } });
      await page.goto(demo.playgroundUrl);
      await page.selectOption('#ui', talk.locale);
      await page.selectOption('#member', 'zhangsan');
      await page.fill('#text', talk.command);
      await page.press('#text', 'Enter');
      await page.locator('.card', { hasText: talk.from }).waitFor();
      await page.locator('.card button', { hasText: '周八' }).first().click();
      await page.locator('.card', { hasText: talk.to }).waitFor();
      await page.locator('.card', { hasText: talk.to }).locator('button').nth(1).click();
      const confirm = page.locator('.card button', { hasText: talk.confirm });
      await confirm.waitFor();
      await confirm.click();
      await page.getByText(talk.done).waitFor();
      const transcript = (await page.locator('#log').textContent()) ?? '';
      expect(transcript).not.to.match(/undefined|\[object Object\]|NaN|resigned\/transfer_customer/);
      mkdirSync(artifacts, { recursive: true });
      await page.screenshot({ path: `${artifacts}playground-${talk.locale}.png`, fullPage: false });
    });
  }
});
