import { expect } from 'chai';
import { dedupKey } from '../../src/callback/dedup.js';
import { InboundFormatError, toInbound } from '../../src/callback/inbound.js';
import { parseWeComXml } from '../../src/callback/xml.js';

const addContact = `<xml><ToUserName><![CDATA[toUser]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>
<CreateTime>1403610513</CreateTime><MsgType><![CDATA[event]]></MsgType>
<Event><![CDATA[change_external_contact]]></Event><ChangeType><![CDATA[add_external_contact]]></ChangeType>
<UserID><![CDATA[zhangsan]]></UserID><ExternalUserID><![CDATA[woAJ2GCAAAXtWyujaWJHDDGi0mAAAA]]></ExternalUserID>
<State><![CDATA[teststate]]></State><WelcomeCode><![CDATA[WELCOMECODE]]></WelcomeCode></xml>`;

const cardClick = `<xml><ToUserName><![CDATA[toUser]]></ToUserName><FromUserName><![CDATA[FromUser]]></FromUserName>
<CreateTime>123456789</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[template_card_event]]></Event>
<EventKey><![CDATA[key111]]></EventKey><TaskId><![CDATA[taskid111]]></TaskId><CardType><![CDATA[text_notice]]></CardType>
<ResponseCode><![CDATA[ResponseCode]]></ResponseCode><AgentID>1</AgentID>
<SelectedItems><SelectedItem><QuestionKey><![CDATA[QuestionKey1]]></QuestionKey>
<OptionIds><OptionId><![CDATA[OptionId1]]></OptionId><OptionId><![CDATA[OptionId2]]></OptionId></OptionIds></SelectedItem></SelectedItems></xml>`;

async function parse(xml: string) {
  return toInbound(await parseWeComXml(xml));
}

describe('inbound XML', () => {
  it('reads a text message and keeps ids as strings', async () => {
    const inbound = await parse(
      '<xml><ToUserName><![CDATA[ww1]]></ToUserName><FromUserName><![CDATA[0012]]></FromUserName><CreateTime>1348831860</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[/客户 0012]]></Content><MsgId>1234567890123456789</MsgId><AgentID>1</AgentID></xml>',
    );
    expect(inbound).to.deep.equal({
      toUserName: 'ww1',
      fromUserName: '0012',
      createTime: 1348831860,
      agentId: 1,
      kind: 'text',
      msgId: '1234567890123456789',
      content: '/客户 0012',
    });
  });

  it('reads add_external_contact with its WelcomeCode and State', async () => {
    const inbound = await parse(addContact);
    expect(inbound.kind).to.equal('external_contact');
    if (inbound.kind !== 'external_contact') return;
    expect(inbound).to.include({
      changeType: 'add_external_contact',
      userId: 'zhangsan',
      externalUserId: 'woAJ2GCAAAXtWyujaWJHDDGi0mAAAA',
      state: 'teststate',
      welcomeCode: 'WELCOMECODE',
      fromUserName: 'sys',
    });
  });

  it('reads transfer_fail with its FailReason', async () => {
    const inbound = await parse(
      addContact.replace('add_external_contact', 'transfer_fail').replace(/<State>.*<\/WelcomeCode>/s, '<FailReason><![CDATA[customer_refused]]></FailReason>'),
    );
    expect(inbound).to.include({ kind: 'external_contact', changeType: 'transfer_fail', failReason: 'customer_refused' });
  });

  it('reads a template card click with its selected items', async () => {
    const inbound = await parse(cardClick);
    expect(inbound).to.deep.include({
      kind: 'template_card',
      eventKey: 'key111',
      taskId: 'taskid111',
      responseCode: 'ResponseCode',
      selectedItems: [{ questionKey: 'QuestionKey1', optionIds: ['OptionId1', 'OptionId2'] }],
    });
  });

  it('reads group chat and tag events', async () => {
    const chat = await parse(
      '<xml><ToUserName>c</ToUserName><FromUserName>sys</FromUserName><CreateTime>1</CreateTime><MsgType>event</MsgType><Event>change_external_chat</Event><ChatId>wrx</ChatId><ChangeType>update</ChangeType><UpdateDetail>add_member</UpdateDetail><JoinScene>3</JoinScene><MemChangeCnt>2</MemChangeCnt><MemChangeList><Item>a</Item><Item>b</Item></MemChangeList></xml>',
    );
    expect(chat).to.deep.include({
      kind: 'external_chat',
      chatId: 'wrx',
      updateDetail: 'add_member',
      joinScene: 3,
      memChangeCnt: 2,
      memChangeList: ['a', 'b'],
    });
    const tag = await parse(
      '<xml><ToUserName>c</ToUserName><FromUserName>sys</FromUserName><CreateTime>1</CreateTime><MsgType>event</MsgType><Event>change_external_tag</Event><Id>et1</Id><TagType>tag</TagType><ChangeType>delete</ChangeType></xml>',
    );
    expect(tag).to.include({ kind: 'external_tag', id: 'et1', tagType: 'tag', changeType: 'delete' });
  });

  it('refuses XML without MsgType or CreateTime', async () => {
    let error: unknown;
    try {
      await parse('<xml><FromUserName>x</FromUserName></xml>');
    } catch (err) {
      error = err;
    }
    expect(error).to.be.instanceOf(InboundFormatError);
  });
});

describe('dedup keys', () => {
  it('uses the MsgId for messages', async () => {
    const record = await parseWeComXml('<xml><MsgId>42</MsgId><MsgType>text</MsgType></xml>');
    expect(dedupKey(record)).to.equal('msg:42');
  });

  it('tells apart events from sys at the same second by their identifying fields', async () => {
    const a = dedupKey(await parseWeComXml(addContact));
    const sameAgain = dedupKey(await parseWeComXml(addContact));
    const otherCustomer = dedupKey(await parseWeComXml(addContact.replace('mAAAA', 'mBBBB')));
    const otherMember = dedupKey(await parseWeComXml(addContact.replace('zhangsan', 'lisi')));
    expect(a).to.equal(sameAgain);
    expect(new Set([a, otherCustomer, otherMember]).size).to.equal(3);
  });
});
