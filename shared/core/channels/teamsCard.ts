import { oneLine } from '../mail/displayValue';
import type { ChannelNotice } from './channelNotice';
import { type ChannelPayload, fitEvents, utf8Bytes } from './channelPayload';
import { isSafeLinkTarget } from './noticeLinks';
import { eventParts, matchedText, noticeHeadline, noticeTitle, windowText } from './noticeText';

/**
 * NOTE: Teams refuses messages over 28 KB ("The message size limit is 28 KB", MicrosoftDocs/msteams-docs
 * add-incoming-webhook.md); read as 28,000 bytes of the whole request body, envelope included.
 */
export const TEAMS_MAX_BYTES = 28_000;
/** "The first few events": a card is read on a phone as often as on a desktop. */
export const TEAMS_MAX_EVENTS = 5;
export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

type CardElement = Readonly<Record<string, unknown>>;

/**
 * The Workflows webhook message for a notice: the envelope the Teams "Send webhook alerts to a
 * channel" template reads, holding one Adaptive Card 1.5.
 *
 * NOTE: the template's trigger ("When a Teams webhook request is received") loops over
 * `triggerBody()?['attachments']` and posts each `content` as a card; its documented request body is
 * `{ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive',
 * contentUrl: null, content: <AdaptiveCard> }] }` (learn.microsoft.com/connectors/teams "Request body
 * schema"; the same envelope in prometheus/alertmanager notify/msteamsv2/msteamsv2.go). A body without
 * `attachments` still gets 202 Accepted, and the flow run then fails where nobody sees it
 * ("the result of the evaluation of 'foreach' expression '@triggerOutputs()?['body']?['attachments']'
 * is of type 'Null'", jdcargile/ms-teams-notification#70). Workflows accept Adaptive Cards only, not
 * the connectors' MessageCard (learn.microsoft.com, "Create and send messages", Known issues).
 *
 * Telemetry never reaches markdown or a link: event lines are RichTextBlock TextRuns ("Markdown is not
 * supported", Adaptive Card 1.5 schema), FactSet values (markdown in Teams) have link syntax broken,
 * and Action.OpenUrl only takes targets `isSafeLinkTarget` allows.
 */
export function teamsMessage(notice: ChannelNotice): ChannelPayload {
  const most = Math.min(TEAMS_MAX_EVENTS, notice.events.rows.length);
  const { payload, events } = fitEvents(
    most,
    (shown) => JSON.stringify(envelope(adaptiveCard(notice, shown))),
    (body) => utf8Bytes(body) <= TEAMS_MAX_BYTES,
  );
  return { kind: 'teams', body: payload, headers: {}, eventsShown: events, bytes: utf8Bytes(payload) };
}

/** The Workflows envelope around one card. */
function envelope(card: CardElement): CardElement {
  return {
    type: 'message',
    attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, contentUrl: null, content: card }],
  };
}

/** The Adaptive Card 1.5 of a notice, listing its first `shown` events. */
export function adaptiveCard(notice: ChannelNotice, shown: number): CardElement {
  const body: CardElement[] = [
    header(notice),
    { type: 'RichTextBlock', inlines: [textRun(oneLine(notice.summary, 1_000))], spacing: 'Medium' },
    { type: 'FactSet', facts: facts(notice, shown) },
  ];
  if (shown > 0) body.push(...eventLines(notice, shown));
  body.push({
    type: 'RichTextBlock',
    inlines: [
      textRun(`Ledger key ${oneLine(notice.ledgerKey, 300)} · insights-export-alerts`, {
        isSubtle: true,
        size: 'Small',
      }),
    ],
    separator: true,
  });
  const actions = notice.links
    .filter((link) => isSafeLinkTarget(link.url))
    .map((link) => ({ type: 'Action.OpenUrl', title: oneLine(link.title, 40), url: link.url }));
  return {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.5',
    fallbackText: oneLine(`${noticeHeadline(notice)}: ${noticeTitle(notice)}`, 500),
    body,
    ...(actions.length > 0 ? { actions } : {}),
  };
}

/** A coloured band: the state and severity, then the rule and app. */
function header(notice: ChannelNotice): CardElement {
  return {
    type: 'Container',
    style: headerStyle(notice),
    bleed: true,
    items: [
      { type: 'TextBlock', text: noticeHeadline(notice), weight: 'Bolder', size: 'Small', wrap: true },
      {
        type: 'RichTextBlock',
        inlines: [textRun(oneLine(noticeTitle(notice), 500), { weight: 'Bolder', size: 'Large' })],
      },
    ],
  };
}

/** Red for Sev0-1, amber for Sev2, blue for Sev3-4, green once resolved. */
function headerStyle(notice: ChannelNotice): string {
  if (notice.state === 'RESOLVED') return 'good';
  return notice.rule.severity <= 1 ? 'attention' : notice.rule.severity === 2 ? 'warning' : 'accent';
}

function facts(notice: ChannelNotice, shown: number): { title: string; value: string }[] {
  const list = [
    { title: 'Rule', value: oneLine(`${notice.rule.scope}/${notice.rule.id}`, 400) },
    { title: 'Query', value: oneLine(notice.rule.query, 500) },
    { title: 'App', value: oneLine(notice.app, 200) },
  ];
  if (notice.group) list.push({ title: 'Group', value: oneLine(notice.group.label, 200) });
  if (notice.window) list.push({ title: 'Window', value: windowText(notice.window) });
  list.push({ title: 'Matched', value: matchedText(notice, shown) });
  if (notice.suppressed) list.push({ title: 'Suppressed', value: `${notice.suppressed.rows} since last notice` });
  list.push({ title: 'When', value: oneLine(notice.timeRange, 100) });
  return list.map((fact) => ({ title: fact.title, value: factValue(fact.value) }));
}

/** One compact line per event: its time (or first value) in bold, then the other values. */
function eventLines(notice: ChannelNotice, shown: number): CardElement[] {
  const { headings } = notice.events;
  const lines: CardElement[] = [
    {
      type: 'TextBlock',
      text: `First ${shown} of ${notice.matched.rows} events`,
      weight: 'Bolder',
      spacing: 'Medium',
      separator: true,
    },
    {
      type: 'RichTextBlock',
      inlines: [textRun(headings.map((h) => oneLine(h, 40)).join(' · '), { isSubtle: true, size: 'Small' })],
    },
  ];
  for (const [lead, rest] of eventParts(notice, shown)) {
    lines.push({
      type: 'RichTextBlock',
      spacing: 'Small',
      inlines: [
        textRun(lead, { fontType: 'Monospace', size: 'Small', weight: 'Bolder' }),
        textRun(`  ${rest.join(' · ')}`, { size: 'Small' }),
      ],
    });
  }
  return lines;
}

function textRun(text: string, style: Readonly<Record<string, unknown>> = {}): CardElement {
  return { type: 'TextRun', text, ...style };
}

/**
 * FactSet values are markdown in Teams: a zero-width space between `]` and `(` keeps a value from
 * forming a `[text](url)` link (or image); everything else shows as written.
 */
export function factValue(text: string): string {
  return text.replace(/\]\s*\(/g, ']\u200b(');
}
