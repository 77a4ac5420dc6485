import { oneLine } from '../mail/displayValue';
import { plural } from '../plural';
import type { ChannelNotice } from './channelNotice';

/** `TEST · FIRING · Sev1`: what a notice is, in the words every channel leads with. */
export function noticeHeadline(notice: ChannelNotice): string {
  return `${notice.test ? 'TEST · ' : ''}${notice.state} · Sev${notice.rule.severity}`;
}

/** `checkout-5xx fired for shop-prod`, or `… is resolved for …`. */
export function noticeTitle(notice: ChannelNotice): string {
  return `${notice.rule.id} ${notice.state === 'FIRING' ? 'fired' : 'is resolved'} for ${notice.app}`;
}

/** `12 records` or `12 records, sum(itemCount) 40 (sampled)`, then how many are shown. */
export function matchedText(notice: ChannelNotice, shown: number): string {
  const { rows, weighted } = notice.matched;
  const sampled = rows === weighted ? '' : `, sum(itemCount) ${weighted} (sampled)`;
  return `${plural(rows, 'record')}${sampled}; ${shown} shown`;
}

/** `5 minutes, 12 matches reached 10`, for a windowed rule. */
export function windowText(window: NonNullable<ChannelNotice['window']>): string {
  return `${plural(window.minutes, 'minute')}: ${plural(window.weighted, 'match', 'matches')}, threshold ${window.threshold}`;
}

/** An ISO 8601 UTC time, or null for an invalid Date (for JSON payloads). */
export function isoOrNull(date: Date): string | null {
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** A value in a chat card's event line; the webhook payload carries the longer text. */
export const CARD_VALUE_CHARS = 120;

/**
 * The first `shown` events as a chat card writes them: a lead (the event's zoned time, else its first
 * value) and the other values, each one line of at most CARD_VALUE_CHARS, `–` for none.
 */
export function eventParts(notice: ChannelNotice, shown: number): [string, string[]][] {
  const { rows, times } = notice.events;
  return rows.slice(0, shown).map((row, i) => {
    const [first = '', ...rest] = row.map((value) => oneLine(value, CARD_VALUE_CHARS) || '–');
    const time = times[i] ?? '';
    return [time === '' ? first : time, rest];
  });
}
