import { expect } from 'chai';
import { renderBotReply } from '../../src/render/bot-markdown.js';
import { bold, code, color } from '../../src/render/markdown.js';

describe('a reply in the 智能机器人’s markdown', () => {
  it('renders a section with a table as a table (a | in a cell cannot open a column), its lines elsewhere', () => {
    const text = renderBotReply({
      title: '李四（lisi）的客户联系数据',
      sections: [
        {
          heading: '每天',
          lines: [[color('comment', '11-23'), ' 聊天 361']],
          table: {
            head: ['时间', '聊天数'],
            rows: [
              ['11-23', '361'],
              ['a|b', bold(4)],
            ],
          },
        },
      ],
    });
    expect(text).to.equal('**李四（lisi）的客户联系数据**\n\n**每天**\n| 时间 | 聊天数 |\n| --- | --- |\n| 11-23 | 361 |\n| a｜b | **4** |');
  });

  it('renders a list: numbered items, their continuation lines indented, other lines as items; colours as plain text', () => {
    const text = renderBotReply({
      title: '客户：2 位',
      sections: [{ list: true, lines: [['1. ', bold('林娜'), ' ', color('comment', '微信')], ['　', code('wm1')], '没有更多'] }],
      footer: '发送 /客户 --page 2',
    });
    expect(text).to.equal('**客户：2 位**\n\n1. **林娜** 微信  \n   `wm1`\n- 没有更多\n\n> 发送 /客户 --page 2');
  });

  it('marks a warning, and keeps user text from forging markdown', () => {
    expect(renderBotReply({ title: '*不* [能](x)', tone: 'warning' })).to.equal('⚠️ **＊不＊ ［能］(x)**');
  });
});
