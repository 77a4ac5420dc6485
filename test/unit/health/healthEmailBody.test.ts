import { escapeHtml, oneLine } from '../../../shared/core/health/healthEmailBody';

describe('oneLine', () => {
  it.each([
    ['keeps a short line', 'shop AppRequests', 40, 'shop AppRequests'],
    ['turns control characters and their runs into one space', 'a\r\n\tb\u0000c', 40, 'a b c'],
    ['cuts a long line with an ellipsis', 'abcdefghij', 5, 'abcd…'],
    ['never ends on half a surrogate pair', 'abc😀def', 5, 'abc…'],
  ])('%s', (_, text, max, expected) => {
    expect(oneLine(text, max)).toBe(expected);
  });
});

describe('escapeHtml', () => {
  it('escapes what could open a tag, an entity or an attribute', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
