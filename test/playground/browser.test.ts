import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { chromium, type Browser, type Locator } from 'playwright-core';
import { loadConfig } from '../../src/config.js';
import { startDemo, type Demo } from '../../src/demo.js';
import { silentLogger } from '../../src/log.js';

const CHROMIUM = '/usr/bin/chromium';
const artifacts = fileURLToPath(new URL('../artifacts/', import.meta.url));

/** The text of `locator` once `wanted` holds for it (the page redraws a chat with the 智能机器人 as it changes). */
async function textBecomes(locator: Locator, wanted: (text: string | null) => boolean, ms = 10_000): Promise<string | null> {
  const end = Date.now() + ms;
  for (;;) {
    const text = await locator.textContent();
    if (wanted(text)) return text;
    if (Date.now() > end) throw new Error(`the text stayed ${String(text)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

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

  it('the group chat with the 智能机器人: a table that grows in one bubble, a card refused only for the clicker, and the private list in the single chat', async () => {
    await demo.aibot.waitForConnection(5000);
    const page = await browser.newPage({ viewport: { width: 520, height: 1400 } });
    await page.goto(demo.playgroundUrl);
    await page.locator('#tabs button[data-view=group]', { hasText: '销售一组' }).click();
    await page.selectOption('#speaker', 'lisi');
    await page.fill('#text', '/统计 上周');
    await page.press('#text', 'Enter');
    const stats = page.locator('#group-log .aibot', { hasText: '客户联系数据' });
    await stats.locator('table th', { hasText: '时间' }).waitFor();
    expect(await stats.locator('tbody tr').count()).to.equal(7);
    expect(await page.locator('#group-log .msg.me', { hasText: '@客户助手 /统计 上周' }).count()).to.equal(1);
    await page.locator('#group-log .typing').waitFor({ state: 'detached' });
    expect(await page.locator('#group-log .aibot').count(), 'one bubble for the stream').to.equal(1);

    // zhangsan proposes a transfer; wangwu's click is refused in wangwu's copy only.
    await page.selectOption('#speaker', 'zhangsan');
    await page.fill('#text', '/转接 全部 --from 周八 --to 李四');
    await page.press('#text', 'Enter');
    await page.locator('#group-log .card button', { hasText: '确认执行' }).waitFor();
    const before = await page.locator('#group-log .card .sub').textContent();
    await page.selectOption('#speaker', 'wangwu');
    await page.locator('#group-log .card button', { hasText: '确认执行' }).click();
    const sub = page.locator('#group-log .card .sub');
    const refusal = await textBecomes(sub, (text) => text !== before);
    await page.selectOption('#speaker', 'zhangsan');
    await textBecomes(sub, (text) => text === before);
    expect(refusal).not.to.equal(before);
    expect(demo.sim.calls('externalcontact/transfer_customer')).to.have.length(0);
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: `${artifacts}playground-group.png`, fullPage: true });

    // lisi chats with the bot alone, then asks for her customers in the group: the list comes to the single chat.
    await page.selectOption('#member', 'lisi');
    await page.locator('#tabs button[data-view=aibot]').click();
    await page.fill('#text', '/帮助');
    await page.press('#text', 'Enter');
    await page.locator('#aibot-log .aibot', { hasText: '你可以使用的命令' }).waitFor();
    await page.locator('#tabs button[data-view=group]').click();
    await page.selectOption('#speaker', 'lisi');
    await page.fill('#text', '/客户');
    await page.press('#text', 'Enter');
    await page.locator('#group-log .aibot', { hasText: '私下' }).waitFor();
    await page.locator('#tabs button[data-view=aibot]').click();
    await page.locator('#aibot-log .aibot ol li strong').first().waitFor();
    expect(await page.locator('#aibot-log .aibot ol li').count()).to.be.greaterThan(1);
    await page.screenshot({ path: `${artifacts}playground-aibot-single.png`, fullPage: true });
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
