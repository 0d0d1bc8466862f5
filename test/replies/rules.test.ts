import { expect } from 'chai';
import type { Locale } from '../../src/config.js';
import type { CapturedMessage } from '../../src/simulator/index.js';
import { lintMessage } from './rules.js';

const markdown = (content: string): CapturedMessage => ({ seq: 1, touser: ['u'], msgtype: 'markdown', content, msgid: 'm', at: 0, dropped: false });
const lint = (content: string, locale: Locale = 'zh-Hans', data: string[] = []) =>
  lintMessage(markdown(content), { locale, data, apiPaths: ['externalcontact/resigned/transfer_customer', 'resigned/transfer_customer', 'transfer_customer'] });

describe('reply lint rules: each catches what issue 16 found, and passes a reply that reads right', () => {
  it('passes a well-formed reply in each script', () => {
    expect(lint('**张三（zhangsan）的客户：29 位**\n<font color="comment">备注：</font>老客户')).to.deep.equal([]);
    expect(lint('**張三（zhangsan）的客戶：29 位**', 'zh-Hant', ['張三'])).to.deep.equal([]);
    expect(lint("**Zhang San (zhangsan)'s customers: 29**\nTags: a, b", 'en')).to.deep.equal([]);
  });

  it('catches placeholders, raw keys and API paths', () => {
    expect(lint('帮助：[object Object]')).to.include('shows "[object Object]"');
    expect(lint('共 undefined 位')).to.include('shows "undefined"');
    expect(lint('回复率 NaN%')).to.include('shows "NaN"');
    expect(lint('转接 {count} 位')).to.include('unfilled placeholder {count}');
    expect(lint('commands.transfer.messages.planTitle')[0]).to.match(/raw message key/);
    expect(lint('方式：离职继承（resigned/transfer_customer）')).to.include('API path resigned/transfer_customer');
    expect(lint('external_userid：wm123')).to.include('API field name "external_userid"');
    expect(lint('客户 ID：`wm123`')).to.deep.equal([]);
  });

  it('catches a bare or repeated errcode, and doubled punctuation', () => {
    expect(lint('拒绝 errcode 41060')).to.deep.equal([]);
    expect(lint('errcode 41060')[0]).to.match(/bare errcode/);
    expect(lint('失败：成员不存在 errcode 41060 errcode 41060').some((p) => p.startsWith('errcode repeated'))).to.equal(true);
    expect(lint('无法恢复。；10 分钟内有效')).to.include('doubled punctuation "。；"');
    expect(lint('Done.; valid for 10 minutes', 'en')).to.include('doubled punctuation ".;"');
  });

  it('catches the wrong script, but not in data (names typed or stored in another script)', () => {
    expect(lint('**客户群：共 31 个**', 'zh-Hant')[0]).to.match(/Simplified characters in zh-Hant: 户个/);
    expect(lint('**客戶群：共 31 個**', 'zh-Hans')[0]).to.match(/Traditional characters in zh-Hans/);
    expect(lint('**張三的客戶群：張三（zhangsan）**', 'zh-Hant', ['张三'])).to.deep.equal([]);
    expect(lint('我是客户联系助手。', 'en')).to.include('Chinese in an English reply: 我是客户联系助手');
    expect(lint('Tags: 重要、普通', 'en', ['重要', '普通'])).to.include('full-width punctuation in English: 、');
    expect(lint('Type：WeChat', 'en')[0]).to.equal('full-width punctuation in English: ：');
    expect(lint('Usage: /help ＜command＞', 'en')[0]).to.equal('full-width punctuation in English: ＜＞');
    expect(lint('Transfer 1 customers', 'en')).to.include('a count that does not agree: "1 customers"');
    expect(lint('All 1 customer of wangwu are already in transfer', 'en')).to.include('a count that does not agree: "All 1"');
    expect(lint('1 customer is waiting; 1 class passed', 'en')).to.deep.equal([]);
  });

  it('catches Chinese without its space before Latin, a message over 2048 bytes, and a cut card title', () => {
    expect(lint('已清除zhangsan的欢迎语')[0]).to.match(/no space between Chinese and Latin/);
    expect(lint('已清除zhangsan的欢迎语', 'zh-Hans', ['zhangsan'])[0], 'a name is data, its spacing is not').to.match(/no space/);
    expect(lint('张三的客户群1 已转给 李四', 'zh-Hans', ['张三的客户群1'])).to.deep.equal([]);
    expect(lint('王五（wangwu） 的客户', 'zh-Hans', ['王五'])[0]).to.match(/a space after a full-width bracket/);
    expect(lint(`**标题**\n${'字'.repeat(700)}`)[0]).to.equal('2111 bytes (more than 2048)');
    const card: CapturedMessage = {
      ...markdown(''),
      content: undefined,
      msgtype: 'template_card',
      card: {
        card_type: 'button_interaction',
        main_title: { title: '转接 zhouba 的全部 113 位客户给 li…' },
        horizontal_content_list: [{ keyname: 'Cust…', value: '1' }],
      },
    } as CapturedMessage;
    const problems = lintMessage(card, { locale: 'en', data: ['zhouba'], apiPaths: [] });
    expect(problems).to.include('card title cut: 转接 zhouba 的全部 113 位客户给 li…');
    expect(problems).to.include('card field name cut: Cust…');
  });
});
