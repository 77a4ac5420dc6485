import type { TableName } from '../export/telemetryTypes';
import { plural } from '../plural';
import { oneLine } from './displayValue';
import { countedItems } from './tableNouns';
import type { ZonedClock } from './zonedTime';

/** Longest group key or value a sentence quotes; the Details and the events show the rest. */
const MAX_GROUP_TEXT = 200;

export interface WhyInput {
  readonly table: TableName;
  /** The weighted matches the threshold was compared with. */
  readonly count: number;
  /** Whether `count` sums itemCount over sampled records (it then differs from the records matched). */
  readonly sampled: boolean;
  /** 0: the threshold applies to one delivery. */
  readonly windowMinutes: number;
  readonly threshold: number;
  /** The GroupBy values, e.g. `{ cloud_RoleName: 'Contoso.Api' }`; telemetry, so cut and kept as text. */
  readonly group: Readonly<Record<string, string>>;
}

/**
 * Why an alert fired, in one sentence: `12 requests matched in 10 minutes (threshold 5) for
 * cloud_RoleName = Contoso.Api.`, or for a threshold per delivery `3 requests matched in one delivery
 * (threshold 1).`
 */
export function whySentence(input: WhyInput): string {
  const counted = `${countedItems(input.count, input.table)}${input.sampled ? ' (sum of itemCount, sampled telemetry)' : ''}`;
  const span = input.windowMinutes > 0 ? `in ${plural(input.windowMinutes, 'minute')}` : 'in one delivery';
  const group = Object.entries(input.group)
    .map(([key, value]) => `${oneLine(key, MAX_GROUP_TEXT)} = ${oneLine(value, MAX_GROUP_TEXT)}`)
    .join(', ');
  return `${counted} matched ${span} (threshold ${input.threshold})${group === '' ? '' : ` for ${group}`}.`;
}

/** Matches that came in and were not e-mailed, and why. */
export interface HeldMatches {
  readonly rows: number;
  readonly weighted: number;
  /** Epoch ms of the first of them, if known. */
  readonly since?: number;
}

/**
 * One line about matches held back: `3 more matches came in while the alert was throttled, since 12:50
 * UTC; no e-mail was sent for them.` A muted rule says `while the rule was muted`.
 */
export function heldLine(held: HeldMatches, reason: 'throttled' | 'muted', clock: ZonedClock): string {
  const sampled = held.weighted === held.rows ? '' : ` (sum of itemCount ${held.weighted})`;
  const when = reason === 'throttled' ? 'the alert was throttled' : 'the rule was muted';
  const since = held.since === undefined ? '' : `, since ${clock.time(new Date(held.since))}`;
  return `${plural(held.rows, 'more match', 'more matches')}${sampled} came in while ${when}${since}; no e-mail was sent for them.`;
}
