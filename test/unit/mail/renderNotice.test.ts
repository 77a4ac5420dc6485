import { type Notice, renderNotice } from '../../../shared/core/mail/renderNotice';

const PORTAL_LINK =
  'https://portal.azure.com/#blade/Microsoft_Azure_Monitoring_Logs/LogsBlade/resourceId/%2Fsubscriptions%2Fx';

function notice(overrides: Partial<Notice> = {}): Notice {
  return {
    state: 'FIRING',
    severity: 1,
    title: 'checkout-5xx',
    subtitle: 'shop-prod · requests',
    why: '3 requests matched in one delivery (threshold 1).',
    links: [{ label: 'Open in Log Analytics', href: PORTAL_LINK }],
    sections: [
      {
        kind: 'chart',
        heading: 'Matches per minute',
        chart: {
          columns: [
            { label: '13:00 UTC', count: 0 },
            { label: '13:01 UTC', count: 1 },
            { label: '13:02 UTC', count: 2 },
          ],
          startLabel: '13:00 UTC',
          endLabel: '13:02 UTC',
          caption: 'peak 2 per minute',
        },
      },
      {
        kind: 'facts',
        heading: 'Details',
        facts: [
          { label: 'Rule', value: 'shop-prod/checkout-5xx' },
          { label: 'Query', value: 'requests\n| where success == false', code: true },
        ],
      },
      {
        kind: 'records',
        heading: 'Events, earliest first',
        records: [
          {
            title: 'Event 1 of 1 · 13:02:00 UTC',
            fields: [
              ['name', 'GET /'],
              ['resultCode', '500'],
            ],
          },
        ],
      },
      { kind: 'table', heading: 'Groups', headings: ['Group', 'Records'], rows: [['tenant=acme', '3']] },
      { kind: 'notes', lines: ['2 more matching records not shown.'] },
    ],
    footer: [
      { text: 'Rule shop-prod/checkout-5xx, Sev1 Error.' },
      { text: 'Mute it for 2 hours:', command: 'npx export-alerts rules mute checkout-5xx --scope shop-prod --for 2h' },
    ],
    ...overrides,
  };
}

/** Every href in the HTML. */
function hrefs(html: string): string[] {
  return [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1] ?? '');
}

describe('renderNotice text', () => {
  it('writes the banner, the why, the links, each section and the footer, in that order', () => {
    // Act
    const { text } = renderNotice(notice());

    // Assert
    expect(text).toBe(
      [
        'FIRING · Sev1 Error',
        'checkout-5xx',
        'shop-prod · requests',
        '='.repeat(60),
        '',
        '3 requests matched in one delivery (threshold 1).',
        '',
        'Open in Log Analytics:',
        PORTAL_LINK,
        '',
        'Matches per minute',
        '13:00 UTC ·▄█ 13:02 UTC',
        'peak 2 per minute',
        '',
        'Details',
        'Rule:  shop-prod/checkout-5xx',
        'Query: requests',
        '       | where success == false',
        '',
        'Events, earliest first',
        'Event 1 of 1 · 13:02:00 UTC',
        '  name        GET /',
        '  resultCode  500',
        '',
        'Groups',
        '  Group        Records',
        '  tenant=acme  3',
        '',
        '2 more matching records not shown.',
        '',
        '-- ',
        'Rule shop-prod/checkout-5xx, Sev1 Error.',
        'Mute it for 2 hours: npx export-alerts rules mute checkout-5xx --scope shop-prod --for 2h',
        '',
      ].join('\n'),
    );
  });

  it('keeps a value with line breaks on one line, so it cannot fake a section', () => {
    const { text } = renderNotice(notice({ why: 'one\n\n-- \nRule evil', held: ['held\r\nLine'] }));

    expect(text).toContain('\none --  Rule evil\nheld Line\n');
    expect(text.match(/^-- $/gm)).toHaveLength(1);
  });

  it('says how to get a link when there is none', () => {
    const { text } = renderNotice(notice({ links: [], linksNote: 'Set APPINSIGHTS_RESOURCE_ID_SHOP_PROD.' }));

    expect(text).toContain('\n\nSet APPINSIGHTS_RESOURCE_ID_SHOP_PROD.\n\n');
  });
});

describe('renderNotice HTML', () => {
  it.each<[Notice['state'], number, string, string]>([
    ['FIRING', 0, '#c50f1f', 'SEV0 CRITICAL'],
    ['FIRING', 1, '#da3b01', 'SEV1 ERROR'],
    ['FIRING', 2, '#ffb900', 'SEV2 WARNING'],
    ['FIRING', 3, '#0078d4', 'SEV3 INFORMATIONAL'],
    ['FIRING', 4, '#8764b8', 'SEV4 VERBOSE'],
    ['RESOLVED', 0, '#107c10', 'SEV0 CRITICAL'],
    ['RESOLVED', 3, '#107c10', 'SEV3 INFORMATIONAL'],
  ])('colours a %s Sev%i banner %s and names the state and severity', (state, severity, colour, label) => {
    const { html } = renderNotice(notice({ state, severity }));

    expect(html).toContain(`<tr><td bgcolor="${colour}" style="background:${colour};`);
    expect(html).toContain(`>${state} &nbsp;&middot;&nbsp; ${label}</div>`);
  });

  it('colours the chart’s bars like the banner, and empty minutes as a baseline', () => {
    const { html } = renderNotice(notice({ severity: 0 }));

    expect(html.match(/<td height="\d+" bgcolor="#c50f1f"/g)).toHaveLength(2);
    expect(html).toContain('<td height="1" bgcolor="#e1dfdd"');
    expect(html).toContain('title="13:02 UTC: 2"');
  });

  it('is one column of at most 640 px, styled inline only, that a phone narrows', () => {
    const { html } = renderNotice(notice());

    expect(html).not.toMatch(/<style|<link|class=/i);
    expect(html).toContain('style="max-width:640px;');
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toContain('<!--[if mso]><table role="presentation" width="640"');
  });

  it('makes links only of portal addresses, and shows any other as text', () => {
    // Arrange
    const links = [
      { label: 'good', href: PORTAL_LINK },
      { label: 'script', href: 'javascript:alert(1)' },
      { label: 'elsewhere', href: 'https://evil.example/#blade/x' },
      { label: 'quote', href: `${PORTAL_LINK}"onclick="alert(1)` },
    ];
    const records = [{ title: 'Event', link: { label: 'bad', href: 'data:text/html,x' }, fields: [] }];

    // Act
    const { html, text } = renderNotice(notice({ links, sections: [{ kind: 'records', heading: 'E', records }] }));

    // Assert
    expect(hrefs(html)).toEqual([PORTAL_LINK]);
    expect(text).not.toMatch(/javascript:|evil\.example|data:/);
  });

  it.each([
    ['a script', '<script>alert(1)</script>'],
    ['an attribute break', '" onmouseover="alert(1)'],
    ['a javascript: URL', 'javascript:alert(document.cookie)'],
    ['a comment end and a conditional', '--><!--[if mso]><script>x</script><![endif]-->'],
    ['a line break', 'a\r\n<b>b</b>'],
    ['a huge value', `<i>${'x'.repeat(100_000)}`],
  ])('escapes %s wherever a string goes, and never makes it a link', (_, hostile) => {
    // Arrange: the same value in every field
    const { html } = renderNotice({
      state: 'FIRING',
      severity: 2,
      title: hostile,
      subtitle: hostile,
      why: hostile,
      held: [hostile],
      links: [{ label: hostile, href: hostile }],
      linksNote: hostile,
      sections: [
        {
          kind: 'chart',
          heading: hostile,
          chart: { columns: [{ label: hostile, count: 1 }], startLabel: hostile, endLabel: hostile, caption: hostile },
        },
        {
          kind: 'facts',
          heading: hostile,
          facts: [
            { label: hostile, value: hostile },
            { label: hostile, value: hostile, code: true },
          ],
        },
        {
          kind: 'records',
          heading: hostile,
          records: [{ title: hostile, link: { label: hostile, href: hostile }, fields: [[hostile, hostile]] }],
        },
        { kind: 'table', heading: hostile, headings: [hostile], rows: [[hostile]] },
        { kind: 'notes', lines: [hostile] },
      ],
      footer: [{ text: hostile, command: hostile }],
    });

    // Assert: only the layout's own markup, no href at all
    expect(hrefs(html)).toEqual([]);
    expect(html).not.toMatch(/<script|<b>b<\/b>|<i>|onmouseover="/);
    expect(html.match(/<!--/g)).toHaveLength(2);
    expect(html.match(/<table/g)?.length).toBe(html.match(/<\/table>/g)?.length);
  });
});
