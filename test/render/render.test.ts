import { expect } from 'chai';
import { confirmationCard, displayWidth } from '../../src/render/card.js';
import { bold, code, color, escapeText, link, renderLine } from '../../src/render/markdown.js';
import { renderReplyLines, row } from '../../src/render/reply.js';
import { splitIntoParts } from '../../src/render/split.js';

describe('rendering', () => {
  it('escapes user and WeCom text so it cannot break or forge markdown', () => {
    const name = '**假** [点我](http://evil) <font color="info">ok</font>\n# 标题 `x` > q';
    const out = renderLine(['客户：', bold(name)]);
    expect(out).not.to.match(/\*\*假\*\*|\]\(|<font|\n|`x`/);
    expect(out.startsWith('客户：**')).to.equal(true);
    expect(escapeText('a*b')).to.equal('a＊b');
  });

  it('renders the subset: bold, code, colours, http links only', () => {
    expect(renderLine([bold('A'), ' ', code('wm_1[2]'), ' ', color('warning', '注意')])).to.equal('**A** `wm_1[2]` <font color="warning">注意</font>');
    expect(renderLine(link('二维码', 'https://example.com/qr.png'))).to.equal('[二维码](https://example.com/qr.png)');
    expect(renderLine(link('x', 'javascript:alert(1)'))).to.equal('x');
  });

  it('renders a reply: title first, sections, footer', () => {
    const lines = renderReplyLines({ title: '客户 3 位', sections: [{ heading: '第一组', lines: [row('备注', '老客户')] }], footer: '第 1/2 页' });
    expect(lines).to.deep.equal(['**客户 3 位**', '**第一组**', '<font color="comment">备注：</font>老客户', '<font color="comment">第 1/2 页</font>']);
  });

  it('splits on line boundaries within 2048 bytes, numbering parts, and cuts an overlong line between characters', () => {
    const lines = ['**标题**', ...Array.from({ length: 200 }, (_, i) => `第${i}行，中文内容`), '长'.repeat(1000)];
    const parts = splitIntoParts(lines);
    for (const [i, part] of parts.entries()) {
      expect(Buffer.byteLength(part)).to.be.at.most(2048);
      expect(part.startsWith(`**标题** (${i + 1}/${parts.length})\n`)).to.equal(true);
      expect(Buffer.from(part).toString('utf8')).to.equal(part);
    }
    expect(
      parts
        .join('')
        .replace(/\*\*标题\*\* \(\d+\/\d+\)\n/g, '')
        .replace(/\n/g, ''),
    ).to.equal(lines.slice(1).join(''));
    expect(splitIntoParts(['**短**', 'a'])).to.deep.equal(['**短**\na']);
  });

  it('never ends a part with a section heading: the heading goes with its lines', () => {
    // The heading falls exactly where the first part is full.
    const filler = Array.from({ length: 40 }, (_, i) => `第${String(i).padStart(2, '0')}行，中文内容，再多一点`);
    for (let n = 30; n < 40; n++) {
      const parts = splitIntoParts(['**报表**', ...filler.slice(0, n), '**排名**', '第一名', '第二名'], 1024);
      const withHeading = parts.find((p) => p.includes('**排名**'))!;
      expect(withHeading.endsWith('**排名**'), `${n} lines before it`).to.equal(false);
      expect(withHeading).to.contain('**排名**\n第一名');
    }
    // A heading before a line that fills a part by itself stays where it is: no part grows past the limit.
    const parts = splitIntoParts(['**报表**', '短行', '**排名**', '长'.repeat(330)], 1024);
    for (const part of parts) expect(Buffer.byteLength(part)).to.be.at.most(1024);
  });

  it('keeps every part within 2048 bytes even when the title is huge', () => {
    const parts = splitIntoParts([`**${'标'.repeat(1500)}**`, ...Array.from({ length: 50 }, (_, i) => `行 ${i}`)]);
    for (const part of parts) expect(Buffer.byteLength(part)).to.be.at.most(2048);
  });

  it('builds a button card within WeCom’s suggested lengths', () => {
    const card = confirmationCard({
      taskId: 'cf_ABC_1',
      title: '转接 2,300 位客户：张三 → 李四（在职继承，transfer_customer）',
      desc: '或发送 /确认 ABC',
      lines: ['x'.repeat(200)],
      separator: '；',
      fields: [['客户数', '2300']],
      confirmText: '确认执行',
      cancelText: '取消',
    });
    expect(displayWidth(card.main_title!.title!)).to.be.at.most(52);
    expect(card.main_title!.title!.endsWith('…')).to.equal(true);
    expect(displayWidth(card.sub_title_text!)).to.be.at.most(224);
    expect(card.button_list.map((b) => b.key)).to.deep.equal(['confirm', 'cancel']);
  });

  it('measures card texts by display width, so an English field name gets the room of five Chinese characters', () => {
    const card = confirmationCard({
      taskId: 'cf_ABC_2',
      title: 'Transfer 113 customers',
      desc: 'or send /confirm ABC',
      lines: ['Customers will get: hello.', 'valid for 10 minutes'],
      separator: '; ',
      fields: [
        ['Customers', '113'],
        ['客户数客户数', '1'],
      ],
      confirmText: 'Confirm',
      cancelText: 'Cancel',
    });
    expect(card.main_title!.title).to.equal('Transfer 113 customers');
    expect(card.horizontal_content_list!.map((f) => f.keyname)).to.deep.equal(['Customers', '客户数客…']);
    expect(card.sub_title_text, 'each clause loses its stop before the separator').to.equal('Customers will get: hello; valid for 10 minutes');
  });
});
