import { expect } from 'chai';
import type { CapturedMessage } from '../../src/simulator/index.js';
import { startChat, type Chat } from '../helpers/chat.js';
import { tempSqliteUrl } from '../helpers/stores.js';

const card = (messages: CapturedMessage[]) => {
  const found = messages.find((m) => m.msgtype === 'template_card');
  if (!found) throw new Error(`no card in ${JSON.stringify(messages.map((m) => m.content))}`);
  return found;
};

describe('/联系我 (contactway)', () => {
  let chat: Chat;
  let cleanup: () => void;
  beforeEach(async () => {
    const db = tempSqliteUrl();
    cleanup = db.cleanup;
    chat = await startChat({ admins: ['zhangsan'], storeUrl: db.url });
  });
  afterEach(async () => {
    await chat.close();
    cleanup();
  });

  it('creates a way with its QR link, keeps it, and lists it after a restart; view, edit and delete work in both scripts', async () => {
    const [created] = await chat.as('zhangsan').say('/联系我 新增 --user zhangsan,lisi --state expo2026 --remark 「展会 二维码」 --skip-verify');
    expect(created!.content)
      .to.contain('已创建「联系我」')
      .and.match(/\[打开二维码\]\(https:\/\//);
    const configId = /`([0-9a-z]{32})`/.exec(created!.content!)![1]!;
    expect(chat.sim.calls('externalcontact/add_contact_way')[0]!.body).to.deep.include({ type: 2, scene: 2, skip_verify: true, state: 'expo2026' });
    await chat.restart();
    const [list] = await chat.as('zhangsan').say('/联系我 列表');
    expect(list!.content).to.contain(configId).and.contain('展会 二维码').and.contain('机器人留存 1 个');
    const [view] = await chat.as('zhangsan').say(`/聯絡我 查看 ${configId}`);
    expect(view!.content).to.contain('「聯絡我」：展会 二维码').and.contain('免驗證');
    const [edited] = await chat.as('zhangsan').say(`/联系我 修改 ${configId} --user wangwu`);
    expect(edited!.content).to.contain('已修改');
    const plan = card(await chat.as('zhangsan').say(`/聯絡我 刪除 ${configId}`));
    await chat.as('zhangsan').click(plan, 'confirm');
    expect(chat.sim.corp.contactWays.has(configId)).to.equal(false);
    const [after] = await chat.as('zhangsan').say('/联系我 列表');
    expect(after!.content).to.contain('还没有「联系我」');
  });

  it('takes the type and the scene in words, and shows no API field names', async () => {
    const [created] = await chat.as('zhangsan').say('/联系我 新增 --user zhangsan --type 单人 --scene 小程序 --remark 门店');
    expect(created!.content).to.contain('「联系我」ID：').and.not.contain('config_id');
    const added = chat.sim.calls('externalcontact/add_contact_way').at(-1)!.body;
    expect(added).to.deep.include({ type: 1, scene: 1 });
    const [hant] = await chat.as('zhangsan').say('/聯絡我 新增 --user zhangsan,lisi --type 多人 --scene 二維碼');
    expect(hant!.content).to.contain('「聯絡我」ID：');
    expect(chat.sim.calls('externalcontact/add_contact_way').at(-1)!.body).to.deep.include({ type: 2, scene: 2 });
    const [bad] = await chat.as('zhangsan').say('/contactway add --user zhangsan --type triple');
    expect(bad!.content).to.contain('Cannot read the type "triple": write single or multi.');
  });

  it('refuses a state over 30 characters before any call', async () => {
    const [reply] = await chat.as('zhangsan').say(`/联系我 新增 --user zhangsan --state ${'s'.repeat(31)}`);
    expect(reply!.content).to.contain('渠道参数（--state）最多 30 个字');
    expect(chat.sim.calls('externalcontact/add_contact_way')).to.have.length(0);
  });
});
