import { checkSlack } from '../../../scripts/channelContracts';
import type { ChannelNotice } from '../../../shared/core/channels/channelNotice';
import { escapeSlack, SLACK_LIMITS, SLACK_MAX_EVENTS, slackMessage } from '../../../shared/core/channels/slackMessage';
import { HOSTILE, LOGS_URL, notice, request } from './channelHelpers';

interface TextObject {
  type: string;
  text: string;
  verbatim?: boolean;
}
interface Block {
  type: string;
  text?: TextObject;
  fields?: TextObject[];
  elements?: (TextObject & { url?: string })[];
}
function messageOf(body: string): { text: string; blocks: Block[] } {
  return JSON.parse(body) as { text: string; blocks: Block[] };
}
function textObjects(blocks: readonly Block[]): TextObject[] {
  return blocks.flatMap((b) => [
    ...(b.text ? [b.text] : []),
    ...(b.fields ?? []),
    ...(b.type === 'context' ? (b.elements ?? []) : []),
  ]);
}

describe('slackMessage', () => {
  it('builds a text fallback and Block Kit blocks for a sample alert', () => {
    // Act
    const payload = slackMessage(notice());

    // Assert
    expect(payload).toMatchObject({ kind: 'slack', headers: {}, eventsShown: 2 });
    const field = (text: string): TextObject => ({ type: 'mrkdwn', text, verbatim: true });
    expect(JSON.parse(payload.body)).toEqual({
      text: 'FIRING · Sev1: checkout-5xx fired for shop-prod',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'FIRING · Sev1 · checkout-5xx', emoji: false } },
        {
          type: 'section',
          text: field('*checkout-5xx fired for shop-prod*\n12 requests matched in 5 minutes (threshold 10).'),
        },
        {
          type: 'section',
          fields: [
            field('*Rule*\nshop-prod/checkout-5xx'),
            field('*App*\nshop-prod'),
            field('*Matched*\n12 records; 2 shown'),
            field('*When*\n2024-03-05 13:05–13:06 UTC'),
            field('*Window*\n5 minutes: 12 matches, threshold 10'),
            field('*Query*\nrequests | where toint(resultCode) &gt;= 500'),
          ],
        },
        {
          type: 'section',
          text: field(
            '*First 2 of 12 events*\n```timestamp · name · resultCode · duration · url · operation_Id · cloud_RoleName\n' +
              '13:05:01 UTC · POST /checkout · 503 · 1234.5 ms · https://shop.example.com/checkout · op0 · web\n' +
              '13:06:01 UTC · POST /checkout · 503 · 1234.5 ms · https://shop.example.com/checkout · op1 · web```',
          ),
        },
        { type: 'context', elements: [field('Ledger key d~ledger-1 · insights-export-alerts')] },
        {
          type: 'actions',
          elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open in Log Analytics' }, url: LOGS_URL }],
        },
      ],
      unfurl_links: false,
      unfurl_media: false,
    });
    expect(checkSlack(JSON.parse(payload.body)).problems).toEqual([]);
  });

  it.each(Object.entries(HOSTILE))('escapes &, < and > of a hostile %s value in every mrkdwn text', (_, value) => {
    // Arrange
    const subject = notice({
      appName: value,
      group: { label: value, values: { v: value } },
      events: [request(0, { name: value, url: value })],
      ledgerKey: value,
    });

    // Act
    const payload = slackMessage(subject);
    const message = messageOf(payload.body);

    // Assert: the receiver's check is Slack's own escaping rule; no link or mention markup survives
    expect(checkSlack(message).problems).toEqual([]);
    for (const object of textObjects(message.blocks).filter((t) => t.type === 'mrkdwn')) {
      expect(object.verbatim).toBe(true);
      expect(object.text).not.toMatch(/<[^>]*>|<!|<@|<#/);
    }
    expect(message.text).not.toMatch(/[<>]/);
  });

  it('keeps the events in one code block that a backtick in a value cannot end', () => {
    const payload = slackMessage(notice({ events: [request(0, { name: HOSTILE.backticks })] }));
    const events = messageOf(payload.body).blocks[3]?.text?.text ?? '';
    expect(events.match(/```/g)).toHaveLength(2);
    expect(events).toContain('ˋˋˋˋ end of code ˋ ˋ');
  });

  it.each([
    ['&', '&amp;'],
    ['<https://x|y>', '&lt;https://x|y&gt;'],
    ['a &lt; b', 'a &amp;lt; b'],
  ])('escapes %j as %j', (text, escaped) => {
    expect(escapeSlack(text)).toBe(escaped);
  });

  it(`stays within Block Kit's limits for a notice whose every text is huge, listing at most ${SLACK_MAX_EVENTS} events`, () => {
    // Arrange: a hand-built notice, beyond what channelNotice would let through
    const huge = '&<>'.repeat(20_000);
    const base = notice({ events: Array.from({ length: 30 }, (_, i) => request(i % 50)) });
    const subject: ChannelNotice = {
      ...base,
      app: huge,
      summary: huge,
      ledgerKey: huge,
      rule: { ...base.rule, id: huge, query: huge },
      group: { label: huge, values: {} },
    };

    // Act
    const payload = slackMessage(subject);
    const message = messageOf(payload.body);

    // Assert
    expect(checkSlack(message).problems).toEqual([]);
    expect(message.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    expect(message.blocks[0]?.text?.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
    expect(JSON.stringify(message.blocks).length).toBeLessThanOrEqual(SLACK_LIMITS.blockChars);
    expect(payload.eventsShown).toBeLessThanOrEqual(SLACK_MAX_EVENTS);
    for (const object of textObjects(message.blocks).filter((t) => t.type === 'mrkdwn')) {
      expect(object.text).not.toMatch(/&(?!(amp|lt|gt);)/);
    }
  });

  it('drops events until the events section fits 3,000 characters, and one more would not', () => {
    // Arrange: 4 values of 120 characters and 3 separators: 490 characters a line, so 6 fit in 3,000
    const base = notice({ events: Array.from({ length: 10 }, () => request(0)) });
    const subject: ChannelNotice = {
      ...base,
      events: {
        headings: ['h'],
        rows: Array.from({ length: 10 }, () => Array.from({ length: 4 }, () => 'v'.repeat(120))),
        times: [],
      },
    };

    // Act
    const payload = slackMessage(subject);

    // Assert
    const events = messageOf(payload.body).blocks[3]?.text?.text ?? '';
    expect(payload.eventsShown).toBe(6);
    expect(events.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    expect(events.length + 490).toBeGreaterThan(SLACK_LIMITS.sectionText);
    expect(events.endsWith('```')).toBe(true);
  });

  it('says RESOLVED and TEST in the header and the fallback', () => {
    const message = messageOf(slackMessage(notice({}, 'RESOLVED', true)).body);
    expect(message.text).toBe('TEST · RESOLVED · Sev1: checkout-5xx is resolved for shop-prod');
    expect(message.blocks[0]?.text?.text).toBe('TEST · RESOLVED · Sev1 · checkout-5xx');
  });

  it('carries no button whose target is not an allowed https host', () => {
    const subject: ChannelNotice = { ...notice(), links: [{ title: 'x', url: 'https://evil.example/' }] };
    expect(messageOf(slackMessage(subject).body).blocks.map((b) => b.type)).not.toContain('actions');
  });
});
