import { adaptiveCardProblems } from '../../../scripts/adaptiveCardSchema';
import { checkTeams } from '../../../scripts/channelContracts';
import type { ChannelNotice } from '../../../shared/core/channels/channelNotice';
import {
  adaptiveCard,
  factValue,
  TEAMS_MAX_BYTES,
  TEAMS_MAX_EVENTS,
  teamsMessage,
} from '../../../shared/core/channels/teamsCard';
import { channelRule, HOSTILE, LOGS_URL, notice, request } from './channelHelpers';

function cardOf(body: string): Record<string, unknown> {
  const message = JSON.parse(body) as { attachments: { content: Record<string, unknown> }[] };
  return message.attachments[0]?.content ?? {};
}

/** Every string in a JSON value, with the path of the property holding it. */
function strings(value: unknown, path = ''): { path: string; text: string }[] {
  if (typeof value === 'string') return [{ path, text: value }];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) => strings(inner, `${path}/${key}`));
}

describe('teamsMessage', () => {
  it('builds the Workflows envelope around an Adaptive Card 1.5 for a sample alert', () => {
    // Arrange
    const sample = notice();

    // Act
    const payload = teamsMessage(sample);

    // Assert
    expect(payload).toMatchObject({ kind: 'teams', headers: {}, eventsShown: 2 });
    expect(JSON.parse(payload.body)).toEqual({
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          contentUrl: null,
          content: {
            $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
            type: 'AdaptiveCard',
            version: '1.5',
            fallbackText: 'FIRING · Sev1: checkout-5xx fired for shop-prod',
            body: [
              {
                type: 'Container',
                style: 'attention',
                bleed: true,
                items: [
                  { type: 'TextBlock', text: 'FIRING · Sev1', weight: 'Bolder', size: 'Small', wrap: true },
                  {
                    type: 'RichTextBlock',
                    inlines: [
                      { type: 'TextRun', text: 'checkout-5xx fired for shop-prod', weight: 'Bolder', size: 'Large' },
                    ],
                  },
                ],
              },
              {
                type: 'RichTextBlock',
                inlines: [{ type: 'TextRun', text: '12 requests matched in 5 minutes (threshold 10).' }],
                spacing: 'Medium',
              },
              {
                type: 'FactSet',
                facts: [
                  { title: 'Rule', value: 'shop-prod/checkout-5xx' },
                  { title: 'Query', value: 'requests | where toint(resultCode) >= 500' },
                  { title: 'App', value: 'shop-prod' },
                  { title: 'Window', value: '5 minutes: 12 matches, threshold 10' },
                  { title: 'Matched', value: '12 records; 2 shown' },
                  { title: 'When', value: '2024-03-05 13:05–13:06 UTC' },
                ],
              },
              { type: 'TextBlock', text: 'First 2 of 12 events', weight: 'Bolder', spacing: 'Medium', separator: true },
              {
                type: 'RichTextBlock',
                inlines: [
                  {
                    type: 'TextRun',
                    text: 'timestamp · name · resultCode · duration · url · operation_Id · cloud_RoleName',
                    isSubtle: true,
                    size: 'Small',
                  },
                ],
              },
              ...[0, 1].map((minute) => ({
                type: 'RichTextBlock',
                spacing: 'Small',
                inlines: [
                  {
                    type: 'TextRun',
                    text: `13:0${5 + minute}:01 UTC`,
                    fontType: 'Monospace',
                    size: 'Small',
                    weight: 'Bolder',
                  },
                  {
                    type: 'TextRun',
                    text: `  POST /checkout · 503 · 1234.5 ms · https://shop.example.com/checkout · op${minute} · web`,
                    size: 'Small',
                  },
                ],
              })),
              {
                type: 'RichTextBlock',
                inlines: [
                  {
                    type: 'TextRun',
                    text: 'Ledger key d~ledger-1 · insights-export-alerts',
                    isSubtle: true,
                    size: 'Small',
                  },
                ],
                separator: true,
              },
            ],
            actions: [{ type: 'Action.OpenUrl', title: 'Open in Log Analytics', url: LOGS_URL }],
          },
        },
      ],
    });
  });

  it.each([
    ['a firing alert', notice()],
    ['a resolved notice', notice({ events: [] }, 'RESOLVED')],
    ['a test notice', notice({}, 'FIRING', true)],
    [
      'an alert with a group and suppressed matches',
      notice({
        group: { label: 'tenant=acme', values: { tenant: 'acme' } },
        suppressed: { rows: 4, weighted: 4, since: new Date(0) },
      }),
    ],
    [
      'an alert with hostile values everywhere',
      notice({
        appName: HOSTILE.markdownLink,
        group: { label: HOSTILE.html, values: { t: HOSTILE.control } },
        events: [request(0, { name: HOSTILE.unicode, url: HOSTILE.huge })],
      }),
    ],
  ])('makes a card the Adaptive Card 1.5 schema accepts: %s', (_, subject) => {
    // Act
    const payload = teamsMessage(subject);

    // Assert
    expect(adaptiveCardProblems(cardOf(payload.body))).toEqual([]);
    expect(checkTeams(payload.body, JSON.parse(payload.body)).problems).toEqual([]);
  });

  it('is refused by the schema check when the card is not one (the check can fail)', () => {
    expect(
      adaptiveCardProblems({
        type: 'AdaptiveCard',
        version: '1.5',
        msteams: { width: 'Full' },
        body: [{ type: 'TextBlock' }],
      }),
    ).toEqual(expect.arrayContaining(["/ must NOT have additional properties: 'msteams'"]));
  });

  it.each([
    ['resolved', notice({}, 'RESOLVED'), 'good', 'RESOLVED · Sev1'],
    ['Sev2', notice({ rule: channelRule({ severity: 2 }) }), 'warning', 'FIRING · Sev2'],
    ['Sev3', notice({ rule: channelRule({ severity: 3 }) }), 'accent', 'FIRING · Sev3'],
    ['a test', notice({}, 'FIRING', true), 'attention', 'TEST · FIRING · Sev1'],
  ])('colours and labels the header for %s', (_, subject: ChannelNotice, style, headline) => {
    // Act
    const header = (cardOf(teamsMessage(subject).body).body as { style: string; items: { text?: string }[] }[])[0];

    // Assert
    expect(header?.style).toBe(style);
    expect(header?.items[0]?.text).toBe(headline);
  });

  it(`lists at most ${TEAMS_MAX_EVENTS} events however many the notice holds`, () => {
    const payload = teamsMessage(notice({ events: Array.from({ length: 40 }, (_, i) => request(i % 50)) }));
    expect(payload.eventsShown).toBe(TEAMS_MAX_EVENTS);
  });

  it(`drops events until the body fits ${TEAMS_MAX_BYTES} bytes, and one more event would not`, () => {
    // Arrange: 20 columns (the most a rule shows) of 3-byte characters, cut to 120 each in the card:
    // about 7 KB an event
    const base = notice({ events: Array.from({ length: 5 }, () => request(0)) });
    const wide = '漢'.repeat(200);
    const subject: ChannelNotice = {
      ...base,
      events: {
        headings: Array.from({ length: 20 }, (_, i) => `column${i}`),
        rows: base.events.rows.map(() => Array.from({ length: 20 }, () => wide)),
        times: [],
      },
    };

    // Act
    const payload = teamsMessage(subject);

    // Assert
    expect(payload.eventsShown).toBeGreaterThan(0);
    expect(payload.eventsShown).toBeLessThan(TEAMS_MAX_EVENTS);
    expect(payload.bytes).toBe(Buffer.byteLength(payload.body));
    expect(payload.bytes).toBeLessThanOrEqual(TEAMS_MAX_BYTES);
    const oneMore = JSON.stringify({
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          contentUrl: null,
          content: adaptiveCard(subject, payload.eventsShown + 1),
        },
      ],
    });
    expect(Buffer.byteLength(oneMore)).toBeGreaterThan(TEAMS_MAX_BYTES);
    expect(adaptiveCardProblems(cardOf(payload.body))).toEqual([]);
  });

  it('fits the limit for a notice assembled by hand with every text huge', () => {
    // Arrange: channelNotice bounds every field; a notice built elsewhere need not
    const huge = '😀'.repeat(50_000);
    const base = notice({ events: Array.from({ length: 5 }, () => request(0)) });
    const subject: ChannelNotice = {
      ...base,
      app: huge,
      summary: huge,
      ledgerKey: huge,
      rule: { ...base.rule, id: huge, scope: huge, query: huge },
      group: { label: huge, values: {} },
      events: {
        headings: base.events.headings.map(() => huge),
        rows: base.events.rows.map((row) => row.map(() => huge)),
        times: base.events.times.map(() => huge),
      },
    };

    // Act
    const payload = teamsMessage(subject);

    // Assert
    expect(payload.bytes).toBeLessThanOrEqual(TEAMS_MAX_BYTES);
    expect(adaptiveCardProblems(cardOf(payload.body))).toEqual([]);
  });

  it('never turns telemetry into a link: no markdown link survives in a FactSet value, event text stays in TextRuns', () => {
    // Arrange
    const subject = notice({
      appName: HOSTILE.markdownLink,
      group: { label: `![img](https://evil.example/x.png) ${HOSTILE.markdownLink}`, values: {} },
      events: [request(0, { name: HOSTILE.markdownLink, url: 'https://evil.example/steal' })],
    });

    // Act
    const card = cardOf(teamsMessage(subject).body);

    // Assert: the only URLs in link positions are the portal's
    const texts = strings(card);
    const factValues = texts.filter((t) => /\/facts\/\d+\/value$/.test(t.path));
    expect(factValues.some((t) => /\]\s*\(/.test(t.text))).toBe(false);
    expect(factValues.find((t) => t.text.includes('click here'))?.text).toBe(
      '[click here]\u200b(https://evil.example/steal)',
    );
    const markdownHolders = texts.filter((t) => /\/(text|value)$/.test(t.path) && !/inlines/.test(t.path));
    expect(markdownHolders.filter((t) => t.text.includes('evil.example') && /\]\(/.test(t.text))).toEqual([]);
    expect((card.actions as { url: string }[]).map((a) => a.url)).toEqual([LOGS_URL]);
  });

  it('takes no link a notice carries unless its target is an allowed https host', () => {
    // Arrange: links that only a notice assembled outside channelNotice could hold
    const subject: ChannelNotice = {
      ...notice(),
      links: [
        { title: 'evil', url: 'https://evil.example/' },
        { title: 'js', url: 'javascript:alert(1)' },
        { title: 'http', url: 'http://portal.azure.com/' },
        { title: 'creds', url: 'https://user:pw@portal.azure.com/' },
        { title: 'ok', url: 'https://portal.azure.com/#blade/x' },
      ],
    };

    // Act
    const actions = cardOf(teamsMessage(subject).body).actions as { title: string }[];

    // Assert
    expect(actions.map((a) => a.title)).toEqual(['ok']);
  });

  it('shows control characters as spaces and keeps bidi overrides out', () => {
    const body = teamsMessage(notice({ appName: HOSTILE.control })).body;
    expect(body).not.toMatch(/\\u00(0|1)[0-9a-f]|\\r|\\n|\u202e/);
  });

  it.each([
    ['[a](b)', '[a]\u200b(b)'],
    ['[a] (b)', '[a]\u200b(b)'],
    ['no link [here]', 'no link [here]'],
    ['f(x) [y]', 'f(x) [y]'],
  ])('breaks markdown link syntax in a fact value: %j', (text, expected) => {
    expect(factValue(text)).toBe(expected);
  });
});
