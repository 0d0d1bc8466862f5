import { expect } from 'chai';
import { startChat, type Chat } from '../helpers/chat.js';

/** Pages of customers read so far (batch/get_by_user). */
const pages = (chat: Chat) => chat.sim.calls('externalcontact/batch/get_by_user').length;
const nameOf = (chat: Chat, id: string) => chat.sim.corp.customer(id).name;

describe('customers by name in a member’s 2,000 customers (issue 30)', function () {
  this.timeout(30_000);
  let chat: Chat;
  afterEach(() => chat.close());

  it('read once with a word to wait, then looked up without WeCom; kept current by the events; a manager finds anyone’s', async () => {
    chat = await startChat({ admins: ['zhangsan'], managers: ['lisi'] });
    chat.sim.corp.addMember({ userid: 'bigsales', name: '大客户经理', department: [1], status: 'active' });
    chat.sim.corp.addCustomersTo('bigsales', 2000);
    const [first, second] = chat.sim.corp.customersOf('bigsales').slice(-2);

    // lisi (a manager) opens bigsales's customer by name: everyone's customers are read once, bigsales's told of.
    const cold = await chat.shouldReply('lisi', `/客户 ${nameOf(chat, first!.external_userid)}`, [first!.external_userid, '大客户经理（bigsales）']);
    expect(cold.map((m) => m.content ?? '').join('\n')).to.contain('第一次按名字找大客户经理（bigsales）的客户');
    const read = pages(chat);
    expect(read).to.be.at.least(20);

    // The next name reads no page at all.
    await chat.shouldReply('lisi', `/客户 详情 ${nameOf(chat, second!.external_userid)}`, second!.external_userid);
    expect(pages(chat)).to.equal(read);

    // A customer added since (add_external_contact) is found by name, read once by its id.
    const added = await chat.sim.addExternalContact('bigsales', { withWelcomeCode: false });
    await chat.bot.worker.onIdle();
    await chat.shouldReply('lisi', `/客户 ${nameOf(chat, added.externalUserId)}`, added.externalUserId, ['第一次按名字找']);
    // One deleted since is no longer found.
    await chat.sim.memberDeletesCustomer('bigsales', first!.external_userid);
    await chat.bot.worker.onIdle();
    await chat.shouldReply('lisi', `/客户 详情 ${nameOf(chat, first!.external_userid)}`, '没有叫“');
    expect(pages(chat), 'no page read since the first look-up').to.equal(read);
  });
});
