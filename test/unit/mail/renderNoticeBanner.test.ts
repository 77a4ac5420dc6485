import { type Notice, renderNotice } from '../../../shared/core/mail/renderNotice';

function notice(overrides: Partial<Notice> = {}): Notice {
  return {
    state: 'FIRING',
    severity: 2,
    title: 'An export stopped delivering data',
    why: 'Nothing new arrived.',
    links: [],
    sections: [],
    footer: [{ text: 'Sent by insights-export-alerts.' }],
    ...overrides,
  };
}

describe('a notice with a banner of its own', () => {
  it.each([
    ['critical', '#c50f1f'],
    ['resolved', '#107c10'],
    ['neutral', '#605e5c'],
  ] as const)('writes its label in place of state and severity, in the %s colour', (tone, colour) => {
    // Act
    const { html, text } = renderNotice(notice({ banner: { label: 'EXPORT <STOPPED>', tone } }));

    // Assert
    expect(html).toContain(`<tr><td bgcolor="${colour}" style="background:${colour};`);
    expect(html).toContain('letter-spacing:1px">EXPORT &lt;STOPPED&gt;</div>');
    expect(html).toContain('<title>EXPORT &lt;STOPPED&gt;: An export stopped delivering data</title>');
    expect(html).not.toContain('SEV2');
    expect(text.split('\n')[0]).toBe('EXPORT <STOPPED>');
  });

  it('keeps state and severity when it has none', () => {
    const { html, text } = renderNotice(notice());

    expect(html).toContain('FIRING &nbsp;&middot;&nbsp; SEV2 WARNING');
    expect(text.split('\n')[0]).toBe('FIRING · Sev2 Warning');
  });
});

describe('a list section', () => {
  it('is a bulleted list under its heading, each item escaped and on one line', () => {
    // Act
    const { html, text } = renderNotice(
      notice({
        sections: [{ kind: 'list', heading: 'Likely causes', items: ['the key <b>regenerated</b>', 'idle\r\nBcc: x'] }],
      }),
    );

    // Assert
    expect(html).toContain('text-transform:uppercase;padding-bottom:8px">Likely causes</div><ul style=');
    expect(html).toContain(
      '<li style="margin:0 0 6px;word-break:break-word">the key &lt;b&gt;regenerated&lt;/b&gt;</li>',
    );
    expect(html).not.toContain('<b>regenerated');
    expect(text).toContain('Likely causes\n  - the key <b>regenerated</b>\n  - idle Bcc: x\n');
  });
});

describe('a fact label', () => {
  it('keeps a short last word with the one before it, so a unit never wraps alone', () => {
    const { html, text } = renderNotice(
      notice({
        sections: [{ kind: 'facts', heading: 'Details', facts: [{ label: 'Failures reading it, 24 h', value: '0' }] }],
      }),
    );

    expect(html).toContain('>Failures reading it, 24&nbsp;h</td>');
    expect(text).toContain('Failures reading it, 24 h: 0');
  });
});
