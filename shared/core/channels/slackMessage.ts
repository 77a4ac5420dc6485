import { oneLine } from '../mail/displayValue';
import type { ChannelNotice } from './channelNotice';
import { type ChannelPayload, fitEvents, utf8Bytes } from './channelPayload';
import { isSafeLinkTarget } from './noticeLinks';
import { eventParts, matchedText, noticeHeadline, noticeTitle, windowText } from './noticeText';

/**
 * NOTE: Block Kit's limits: 50 blocks per message, a section's text at most 3,000 characters, at most
 * 10 fields of 2,000 each, a header's plain_text at most 150, a context at most 10 elements. Past
 * about 13,000 characters of blocks chat.postMessage answers `msg_blocks_too_long` below every
 * documented limit (slackapi/bolt-js#2509), so the blocks of one notice stay under 12,000.
 */
export const SLACK_LIMITS = {
  blocks: 50,
  sectionText: 3_000,
  fields: 10,
  fieldText: 2_000,
  headerText: 150,
  contextElements: 10,
  blockChars: 12_000,
} as const;
/** Events a Slack notice lists at most, in one code block. */
export const SLACK_MAX_EVENTS = 10;

type Block = Readonly<Record<string, unknown>>;

/**
 * The incoming-webhook message for a notice: a `text` fallback (notifications, screen readers) and
 * Block Kit blocks: a header, the summary, fields, the first events, a context line and link buttons.
 *
 * Every value is escaped for mrkdwn (`&`, `<`, `>` as entities, the three characters Slack reserves
 * for links and mentions), every mrkdwn object is `verbatim` (no auto-linking of URLs, channels or
 * mentions in telemetry), and unfurling is off, so nothing a telemetry value says becomes a link,
 * a mention or a preview. Buttons only take targets `isSafeLinkTarget` allows.
 */
export function slackMessage(notice: ChannelNotice): ChannelPayload {
  const most = Math.min(SLACK_MAX_EVENTS, notice.events.rows.length);
  const { payload, events } = fitEvents(
    most,
    (shown) => messageWith(notice, shown),
    (built) =>
      built.eventsChars <= SLACK_LIMITS.sectionText &&
      built.message.blocks.length <= SLACK_LIMITS.blocks &&
      blockChars(built.message.blocks) <= SLACK_LIMITS.blockChars,
  );
  const body = JSON.stringify(payload.message);
  return { kind: 'slack', body, headers: {}, eventsShown: events, bytes: utf8Bytes(body) };
}

interface SlackMessage {
  readonly text: string;
  readonly blocks: Block[];
  readonly unfurl_links: false;
  readonly unfurl_media: false;
}

/** The message listing `shown` events, and the length of its events section before any cut. */
function messageWith(notice: ChannelNotice, shown: number): { message: SlackMessage; eventsChars: number } {
  // NOTE: plain_text is not parsed for links or mentions, so the header (no telemetry in it) is not escaped.
  const headline = `${noticeHeadline(notice)} · ${notice.rule.id}`;
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: cut(headline, SLACK_LIMITS.headerText), emoji: false } },
    section(`*${cut(escapeSlack(noticeTitle(notice)), 300)}*\n${cut(escapeSlack(notice.summary), 1_000)}`),
    { type: 'section', fields: fields(notice, shown) },
  ];
  const events = shown > 0 ? eventsText(notice, shown) : '';
  if (events !== '') blocks.push(section(events));
  blocks.push({
    type: 'context',
    elements: [mrkdwn(`Ledger key ${cut(escapeSlack(notice.ledgerKey), 300)} · insights-export-alerts`, 400)],
  });
  const buttons = notice.links
    // NOTE: Slack refuses a button whose url is over 3,000 characters.
    .filter((link) => isSafeLinkTarget(link.url) && link.url.length <= 3_000)
    .slice(0, 5)
    .map((link) => ({ type: 'button', text: { type: 'plain_text', text: cut(link.title, 75) }, url: link.url }));
  if (buttons.length > 0) blocks.push({ type: 'actions', elements: buttons });
  const message: SlackMessage = {
    text: cut(escapeSlack(`${noticeHeadline(notice)}: ${noticeTitle(notice)}`), 500),
    blocks,
    // NOTE: a preview would have Slack fetch a URL from the message; none is wanted.
    unfurl_links: false,
    unfurl_media: false,
  };
  return { message, eventsChars: events.length };
}

function fields(notice: ChannelNotice, shown: number): Block[] {
  const list: [string, string][] = [
    ['Rule', `${notice.rule.scope}/${notice.rule.id}`],
    ['App', notice.app],
    ['Matched', matchedText(notice, shown)],
    ['When', oneLine(notice.timeRange, 100)],
  ];
  if (notice.group) list.push(['Group', oneLine(notice.group.label, 300)]);
  if (notice.window) list.push(['Window', windowText(notice.window)]);
  if (notice.suppressed) list.push(['Suppressed', `${notice.suppressed.rows} since last notice`]);
  list.push(['Query', oneLine(notice.rule.query, 1_000)]);
  // Each value well under the field limit, so that all fields together leave room for the events.
  return list
    .slice(0, SLACK_LIMITS.fields)
    .map(([title, value]) =>
      mrkdwn(`*${title}*\n${cut(escapeSlack(value), title === 'Query' ? 1_500 : 600)}`, SLACK_LIMITS.fieldText),
    );
}

/** The first events as lines of a code block: the headings, then one line per event. */
function eventsText(notice: ChannelNotice, shown: number): string {
  const line = (values: readonly string[]): string => values.map((v) => codeSafe(escapeSlack(v))).join(' · ');
  const lines = [
    line(notice.events.headings.map((h) => oneLine(h, 40))),
    ...eventParts(notice, shown).map(([lead, rest]) => line([lead, ...rest])),
  ];
  return `*First ${shown} of ${notice.matched.rows} events*\n\`\`\`${lines.join('\n')}\`\`\``;
}

function section(text: string): Block {
  return { type: 'section', text: mrkdwn(text, SLACK_LIMITS.sectionText) };
}

function mrkdwn(text: string, maxChars: number): Block {
  return { type: 'mrkdwn', text: cut(text, maxChars), verbatim: true };
}

/**
 * Slack's escaping for message text: `&`, `<` and `>` as HTML entities. Unescaped, `<https://x|y>`
 * would be a disguised link and `<!channel>` a mention.
 */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A backtick would end the code block early; U+02CB looks the same and ends nothing. */
function codeSafe(text: string): string {
  return text.replace(/`/g, '\u02cb');
}

/**
 * At most `maxChars` characters, never ending inside an entity (`&am`) or a surrogate pair, with `…`
 * when cut. A code block cut short is closed again.
 */
function cut(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const fence = text.includes('```');
  let end = maxChars - (fence ? 4 : 1);
  const amp = text.lastIndexOf('&', end);
  if (amp !== -1 && amp > end - 5 && text.indexOf(';', amp) >= end) end = amp;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  const head = text.slice(0, end);
  const open = fence && (head.match(/```/g)?.length ?? 0) % 2 === 1;
  return `${head}…${open ? '```' : ''}`;
}

/** The blocks' JSON length: more than the text Slack counts, so a safe bound. */
function blockChars(blocks: readonly Block[]): number {
  return JSON.stringify(blocks).length;
}
