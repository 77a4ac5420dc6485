import { oneLine, renderHealthBody } from '../../../shared/core/health/healthEmailBody';

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

describe('renderHealthBody', () => {
  const hostile = `<a href="https://evil.example/x">'&'</a>`;
  const body = {
    banner: { label: 'EXPORT STOPPED', tone: 'critical' as const },
    title: hostile,
    subtitle: hostile,
    why: hostile,
    sections: [
      { kind: 'facts' as const, heading: 'Details', facts: [{ label: 'Last blob', value: hostile }] },
      { kind: 'list' as const, heading: 'Likely causes', items: [hostile, 'https://evil.example/y'] },
    ],
    footer: [hostile],
  };

  it('escapes what could open a tag, an entity or an attribute, and makes no link of anything', () => {
    // Act
    const { html } = renderHealthBody(body);

    // Assert
    expect(html).toContain('&lt;a href=&quot;https://evil.example/x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(html).not.toMatch(/<a\b|href="/);
  });

  it('writes the same content as text, the banner first and the causes as a list', () => {
    // Act
    const { text } = renderHealthBody({ ...body, title: 'An export stopped', subtitle: 'shop', why: 'Quiet.' });

    // Assert
    expect(text.split('\n').slice(0, 3)).toEqual(['EXPORT STOPPED', 'An export stopped', 'shop']);
    expect(text).toContain(`Likely causes\n  - ${hostile}\n  - https://evil.example/y\n`);
    expect(text).toContain(`-- \n${hostile}\n`);
  });
});
