import { expect } from 'chai';
import { startChat, type Chat } from '../helpers/chat.js';

/** Calls of the contacts (department/simplelist, user/list) made so far. */
const contactCalls = (chat: Chat) => chat.sim.requests.filter((r) => r.path === 'department/simplelist' || r.path === 'user/list').length;

describe('the member directory of a corp of 1,000 members in 200 departments (issue 30)', function () {
  this.timeout(30_000);
  let chat: Chat;
  afterEach(() => chat.close());

  it('is read once (each department once), then serves; a change_contact event renames a member without reading the contacts again', async () => {
    chat = await startChat({ admins: ['zhangsan'], managers: ['lisi'], sim: { members: 1000, departments: 200, customers: 3000 } });
    await chat.shouldReply('lisi', '/客户 王五', '王五（wangwu）的客户');
    expect(chat.sim.calls('department/simplelist')).to.have.length(1);
    expect(chat.sim.calls('user/list')).to.have.length(200);
    const read = contactCalls(chat);
    await chat.shouldReply('lisi', '/客户 user999', '成员999（user999）的客户');
    expect(contactCalls(chat), 'the second look-up reads no contacts').to.equal(read);

    await chat.sim.deliver({ FromUserName: 'sys', MsgType: 'event', Event: 'change_contact', ChangeType: 'update_user', UserID: 'user999', Name: '新名字' });
    await chat.bot.worker.onIdle();
    await chat.shouldReply('lisi', '/客户 新名字', '新名字（user999）的客户');
    chat.sim.corp.addMember({ userid: 'newhire', name: '新同事', department: [7], status: 'active' });
    await chat.sim.deliver({ FromUserName: 'sys', MsgType: 'event', Event: 'change_contact', ChangeType: 'create_user', UserID: 'newhire', Name: '新同事' });
    await chat.bot.worker.onIdle();
    await chat.shouldReply('lisi', '/客户 新同事', '新同事（newhire）');
    expect(contactCalls(chat), 'events, not reads').to.equal(read);
  });
});
