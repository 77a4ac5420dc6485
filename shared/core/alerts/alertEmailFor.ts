import type { AlertDigest, AlertEmail } from '../mail/alertEmail';
import { composeAlertEmail } from '../mail/composeAlertEmail';
import { appResourceIdOf, DEFAULT_NOTICE_SETTINGS, type NoticeSettings } from '../mail/noticeSettings';
import type { Outcome, SuppressedCounts } from './alertState';
import type { MatchBucket } from './matchCollector';

/** Where a bucket's matches came from, as the e-mail names it. */
export interface AlertSource {
  readonly appName: string;
  readonly folder: string;
  readonly blobName: string;
}

/**
 * Most characters of one composed e-mail (subject, text, HTML, recipients) kept in its delivery record,
 * which the maintenance timer sends from when the invocation that composed it died. A Table Storage
 * entity holds 1 MiB (UTF-16), so this leaves room for the record's other properties.
 */
export const MAX_STORED_EMAIL_CHARS = 400_000;

/**
 * The e-mail of a fired alert: the bucket's matches (and their minutes, for the chart) plus what the
 * state said when it fired, its times and links as `notice` sets them. When the message would not fit
 * its record, it lists fewer events (and says how many it left out).
 */
export function alertEmailFor(
  bucket: MatchBucket,
  source: AlertSource,
  ledgerKey: string,
  outcome: Extract<Outcome, { kind: 'fired' }>,
  from: string,
  notice: NoticeSettings = DEFAULT_NOTICE_SETTINGS,
): AlertEmail {
  let events = bucket.events.length;
  for (;;) {
    const email = compose(bucket, source, ledgerKey, outcome, from, notice, events);
    if (events === 0 || storedSize(email) <= MAX_STORED_EMAIL_CHARS) return email;
    events = Math.floor(events / 2);
  }
}

/** Characters an e-mail takes in its record. */
export function storedSize(email: AlertEmail): number {
  return (
    email.subject.length +
    email.text.length +
    email.html.length +
    email.to.reduce((n, a) => n + a.length + 3, 0) +
    1_000
  );
}

function compose(
  bucket: MatchBucket,
  source: AlertSource,
  ledgerKey: string,
  outcome: Extract<Outcome, { kind: 'fired' }>,
  from: string,
  notice: NoticeSettings,
  events: number,
): AlertEmail {
  return composeAlertEmail(alertDigestFor(bucket, source, ledgerKey, outcome, notice, events), from);
}

/**
 * What a fired alert says, before any channel's layout: the e-mail and the Teams, Slack and webhook
 * notices are all made from it.
 * @param events - matches it lists at most (all of the bucket's by default)
 */
export function alertDigestFor(
  bucket: MatchBucket,
  source: AlertSource,
  ledgerKey: string,
  outcome: Extract<Outcome, { kind: 'fired' }>,
  notice: NoticeSettings = DEFAULT_NOTICE_SETTINGS,
  events: number = bucket.events.length,
): AlertDigest {
  const { rule } = bucket;
  const groupEntries = Object.entries(bucket.groupValues);
  const suppressed = outcome.suppressed;
  const appResourceId = appResourceIdOf(notice, source.appName);
  return {
    rule,
    appName: source.appName,
    folder: source.folder,
    blobName: source.blobName,
    ...(groupEntries.length === 0
      ? {}
      : { group: { label: groupEntries.map(([k, v]) => `${k}=${v}`).join(', '), values: bucket.groupValues } }),
    events: events === bucket.events.length ? bucket.events : bucket.events.slice(0, events),
    matched: { rows: bucket.rows, weighted: bucket.weighted },
    ...(suppressed.rows > 0
      ? {
          suppressed: {
            rows: suppressed.rows,
            weighted: suppressed.weighted,
            since: new Date(suppressed.since ?? 0),
          },
        }
      : {}),
    ...(outcome.muted !== undefined && outcome.muted.rows > 0 ? { muted: heldWhileMuted(outcome.muted) } : {}),
    ...(rule.windowMinutes > 0
      ? { window: { minutes: rule.windowMinutes, weighted: outcome.windowWeighted, threshold: rule.threshold } }
      : {}),
    firstEventAt: new Date(Number.isFinite(bucket.firstEventAt) ? bucket.firstEventAt : Number.NaN),
    lastEventAt: new Date(Number.isFinite(bucket.lastEventAt) ? bucket.lastEventAt : Number.NaN),
    minutes: bucket.minutes,
    timeZone: notice.timeZone,
    ...(appResourceId === undefined ? {} : { appResourceId }),
    ledgerKey,
  };
}

/** `tenant=acme, region=eu`; '' without GroupBy. */
export function groupLabelOf(bucket: Pick<MatchBucket, 'groupValues'>): string {
  return Object.entries(bucket.groupValues)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

/** Matches a mute held since the last e-mail, as the digest says them (issue 15 §3). */
function heldWhileMuted(muted: SuppressedCounts): NonNullable<AlertDigest['muted']> {
  const { rows, weighted, since } = muted;
  return { rows, weighted, ...(since === undefined ? {} : { since: new Date(since) }) };
}
