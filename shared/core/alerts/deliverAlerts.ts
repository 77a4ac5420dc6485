import { channelNotice } from '../channels/channelNotice';
import type { ChannelSender } from '../channels/channelSender';
import { summaryChannelNotice } from '../channels/summaryChannelNotice';
import { describeError } from '../describeError';
import { digestKey } from '../digestKey';
import type { Logger } from '../logger';
import { composeSummaryEmail, type SummaryDigest } from '../mail/composeSummaryEmail';
import type { Mailer } from '../mail/mailer';
import type { NoticeSettings } from '../mail/noticeSettings';
import type { AlertRule } from '../rules/alertRule';
import type { AlertBook, Stored } from './alertBook';
import { alertDigestFor, alertEmailFor, type AlertSource, groupLabelOf } from './alertEmailFor';
import { type AlertRecord, deliveryKeyOf, type SummaryLine } from './alertRecord';
import { applyDelivery, type DeliveryMatches, withoutEpisode } from './alertState';
import { channelRecordKeys, channelRecordsFor } from './channelRecords';
import type { MatchBucket } from './matchCollector';
import { ruleMuteAt } from './muting';
import { episodeSourceOf, resolvedRecordsOf } from './resolvedNotice';
import { sendAlertRecord } from './sendAlertRecord';

export interface DeliveryDeps {
  readonly book: AlertBook;
  readonly mailer: Mailer;
  readonly now: () => number;
  readonly logger: Logger;
  readonly from: string;
  /** How long a claim protects a send in progress; past it a retry or the maintenance timer may send. */
  readonly leaseMs: number;
  /** E-mails one rule sends for one delivery at most; the groups past it share one summary. */
  readonly maxEmailsPerRule: number;
  /** Waits between tries; the composition passes a real timer, tests an instant one. */
  readonly pause: (ms: number) => Promise<void>;
  /** Senders of the configured Teams, Slack and webhook channels, by `teams:OPS`. */
  readonly channels?: ReadonlyMap<string, ChannelSender>;
  /** The e-mails' time zone and resource ids for links (ALERT_TIME_ZONE, APPINSIGHTS_RESOURCE_ID_*); UTC and none when not given. */
  readonly notice?: NoticeSettings;
}

/**
 * One delivery of telemetry: a blob version today; a byte range of an append blob later. Its key is
 * `blob name NUL version` (`deliveryKeyOf`): the version is the blob's ETag for a blob written once,
 * so a redelivery of the same content has the same key and changed content a new one.
 */
export interface Delivery extends AlertSource {
  readonly version: string;
  /** When the data arrived (blob Last-Modified, else processing time), epoch ms: anchors windows. */
  readonly depositedAt: number;
}

export type AlertResult =
  /** `channel`: a notice to Teams, Slack or a webhook (`teams:OPS`) rather than the e-mail. */
  | { readonly kind: 'sent'; readonly location?: string; readonly channel?: string }
  | { readonly kind: 'alreadySent' | 'suppressed' | 'belowThreshold' | 'summarized' }
  /** Another invocation holds a live claim: this one fails, so the alert is tried again. */
  | { readonly kind: 'inFlight'; readonly error: string }
  | { readonly kind: 'failed'; readonly error: string }
  /** SendGrid refused the message itself; recorded and logged, never retried. */
  | { readonly kind: 'rejected'; readonly error: string };

/** The record key of a rule-and-group's alert for a delivery. */
export function recordKeyOf(delivery: Pick<Delivery, 'blobName' | 'version'>, groupKey: string): string {
  return `d~${digestKey(`${deliveryKeyOf(delivery.blobName, delivery.version)}\u0000${groupKey}`, 32)}`;
}

/** The key of the summary record that stands for a rule's groups past its e-mail cap in a delivery. */
export function summaryKeyOf(delivery: Pick<Delivery, 'blobName' | 'version'>): string {
  return `d~${digestKey(`${deliveryKeyOf(delivery.blobName, delivery.version)}\u0000#summary`, 32)}`;
}

export function deliveryIdOf(delivery: Pick<Delivery, 'blobName' | 'version'>): string {
  return digestKey(deliveryKeyOf(delivery.blobName, delivery.version), 22);
}

/**
 * Takes one delivery's matches to e-mails: each rule-and-group's matches are applied to its state
 * exactly once (the record written with the state is the redelivery marker), and what fires is sent
 * through its record. Within a rule, groups are taken most matches first, so the same delivery always
 * gives the same e-mails; past `maxEmailsPerRule - 1` firing groups the rest share one summary.
 *
 * Every bucket is tried, whatever another one did. The caller fails the invocation when any result is
 * `failed` or `inFlight`, so the host tries the delivery again; the maintenance timer re-drives what a
 * dead invocation left.
 */
export async function deliverAlerts(
  buckets: readonly MatchBucket[],
  delivery: Delivery,
  deps: DeliveryDeps,
): Promise<AlertResult[]> {
  const byRule = new Map<AlertRule, MatchBucket[]>();
  for (const bucket of buckets) {
    const list = byRule.get(bucket.rule);
    if (list) list.push(bucket);
    else byRule.set(bucket.rule, [bucket]);
  }
  const results: AlertResult[] = [];
  for (const [rule, ruleBuckets] of byRule) results.push(...(await deliverRule(rule, ruleBuckets, delivery, deps)));
  return results;
}

async function deliverRule(
  rule: AlertRule,
  buckets: MatchBucket[],
  delivery: Delivery,
  deps: DeliveryDeps,
): Promise<AlertResult[]> {
  const ruleKey = `${rule.scope}/${rule.id}`;
  const ordered = [...buckets].sort(
    (a, b) =>
      b.weighted - a.weighted || b.rows - a.rows || (a.groupKey < b.groupKey ? -1 : a.groupKey > b.groupKey ? 1 : 0),
  );
  const individual = Math.max(0, deps.maxEmailsPerRule - 1);
  const summaryKey = summaryKeyOf(delivery);
  const deliveryId = deliveryIdOf(delivery);
  const results: AlertResult[] = [];
  const covered: SummaryLine[] = [];
  let fired = 0;
  let undecided = false;

  // Read once per rule and delivery: a mute's edge a second later changes nothing anyone could tell.
  const ruleMuted = ruleMuteAt(rule.notifications, deps.now()) !== undefined;
  for (const bucket of ordered) {
    const recordKey = recordKeyOf(delivery, bucket.groupKey);
    let stored: Stored;
    // Set by the decision that wrote the record: the channel records it wrote with it.
    let channels: AlertRecord[] = [];
    try {
      stored = await deps.book.decide(ruleKey, bucket.groupKey, recordKey, (state) => {
        const now = deps.now();
        const applied = applyDelivery(state, matchesOf(bucket, delivery), rule, now, ruleMuted);
        // An episode found over before this delivery: its RESOLVED record goes in the same transaction.
        const notices = applied.resolved
          ? resolvedRecordsOf(rule, bucket.groupKey, state, applied.resolved, {
              now,
              from: deps.from,
              ...noticeOf(deps),
            })
          : [];
        channels = [];
        const base = {
          ruleKey,
          recordKey,
          groupKey: bucket.groupKey,
          blobName: delivery.blobName,
          deliveryId,
          recordedAt: now,
          leaseUntil: 0,
          attempts: 0,
          acceptedBatches: [],
          rows: bucket.rows,
          weighted: bucket.weighted,
        };
        const { outcome } = applied;
        if (outcome.kind !== 'fired')
          return { state: applied.state, record: { ...base, status: outcome.kind }, notices };
        if (fired >= individual) {
          const line = { label: groupLabelOf(bucket) || '(all)', rows: bucket.rows, weighted: bucket.weighted };
          // A group that fired only as a line of the summary opens no episode: RESOLVED answers an e-mail of its own.
          const state = applied.openedEpisode ? withoutEpisode(applied.state) : applied.state;
          return { state, record: { ...base, status: 'covered', summaryKey, line }, notices };
        }
        const email = alertEmailFor(bucket, delivery, recordKey, outcome, deps.from, deps.notice);
        const record: AlertRecord = { ...base, status: 'sending', leaseUntil: now + deps.leaseMs, attempts: 1, email };
        // The channels' records are claimed with the e-mail's, by this invocation, in the same transaction.
        channels =
          rule.notifications.notify.length === 0
            ? []
            : channelRecordsFor(
                record,
                rule,
                channelNotice(alertDigestFor(bucket, delivery, recordKey, outcome, deps.notice), 'FIRING'),
              );
        return { state: applied.state, record, notices: [...notices, ...channels] };
      });
    } catch (error) {
      undecided = true;
      results.push({
        kind: 'failed',
        error: `alert ${ruleKey} for ${delivery.blobName}: could not record the decision: ${describeError(error)}`,
      });
      deps.logger.error(
        `alert ${ruleKey} group ${bucket.groupKey || '(none)'} for ${delivery.blobName}: could not record the decision: ${describeError(error)}`,
      );
      continue;
    }
    const { record } = stored;
    if (record.status === 'covered' || record.status === 'summarized') {
      fired++;
      if (record.line) covered.push(record.line);
      results.push({ kind: 'summarized' });
      continue;
    }
    if (record.status === 'counted' || record.status === 'suppressed') {
      results.push({ kind: record.status === 'counted' ? 'belowThreshold' : 'suppressed' });
      continue;
    }
    fired++;
    results.push(await sendStored(stored, deps));
    results.push(...(await sendChannels(stored, channels, rule, deps)));
  }

  // NOTE: with a decision missing the summary would list too few groups; the retry writes it whole.
  if (covered.length > 0 && !undecided) {
    try {
      const now = deps.now();
      const digest = {
        rule,
        appName: delivery.appName,
        blobName: delivery.blobName,
        groups: covered,
        individualEmails: fired - covered.length,
        ledgerKey: summaryKey,
      };
      const email = composeSummaryEmail(digest, deps.from);
      const summary: AlertRecord = {
        ruleKey,
        recordKey: summaryKey,
        groupKey: '#summary',
        blobName: delivery.blobName,
        deliveryId,
        status: 'sending',
        recordedAt: now,
        leaseUntil: now + deps.leaseMs,
        attempts: 1,
        acceptedBatches: [],
        email,
        rows: covered.reduce((n, line) => n + line.rows, 0),
        weighted: covered.reduce((n, line) => n + line.weighted, 0),
      };
      const channels = summaryChannelsOf(summary, digest, deps.notice?.timeZone);
      const stored = await deps.book.insert(summary, channels);
      results.push(await sendStored(stored, deps));
      results.push(...(await sendChannels(stored, channels, rule, deps)));
    } catch (error) {
      results.push({
        kind: 'failed',
        error: `summary of ${ruleKey} for ${delivery.blobName}: ${describeError(error)}`,
      });
    }
  }
  return results;
}

/** Sends a stored e-mail record: at once when this call created (and so claimed) it, else after claiming it. */
export async function sendStored(
  stored: Stored,
  deps: Omit<DeliveryDeps, 'from' | 'maxEmailsPerRule'>,
): Promise<AlertResult> {
  let record = stored.record;
  const name = `alert ${record.ruleKey} (${record.recordKey})`;
  try {
    if (!stored.created) {
      if (record.status === 'sent') return { kind: 'alreadySent' };
      if (record.status === 'rejected') return { kind: 'rejected', error: record.lastError ?? 'refused earlier' };
      const claim = await deps.book.claim(record.ruleKey, record.recordKey, deps.now(), deps.leaseMs);
      if (claim.kind === 'done')
        return claim.record.status === 'sent'
          ? { kind: 'alreadySent' }
          : { kind: 'rejected', error: claim.record.lastError ?? '' };
      if (claim.kind === 'busy') {
        return {
          kind: 'inFlight',
          error: `${name} is being sent by another invocation until ${new Date(claim.record.leaseUntil).toISOString()}`,
        };
      }
      record = claim.record;
    }
    const outcome = await sendAlertRecord(record, deps);
    if (outcome.kind !== 'sent') return { kind: outcome.kind, error: `${name}: ${outcome.error}` };
    return record.channel === undefined ? outcome : { kind: 'sent', channel: record.channel.name };
  } catch (error) {
    return { kind: 'failed', error: `${name}: ${describeError(error)}` };
  }
}

/**
 * Sends an alert's channel notices after its e-mail: those its decision wrote (claimed with it), or on
 * a redelivery the stored ones of the rule's channels, claimed like any record; a channel already sent
 * is not sent again. Channels named since the alert was decided have no record and get nothing.
 */
async function sendChannels(
  stored: Stored,
  written: readonly AlertRecord[],
  rule: AlertRule,
  deps: DeliveryDeps,
): Promise<AlertResult[]> {
  const results: AlertResult[] = [];
  if (stored.created) {
    for (const record of written) results.push(await sendStored({ record, created: true }, deps));
    return results;
  }
  for (const key of channelRecordKeys(stored.record.recordKey, rule)) {
    try {
      const record = await deps.book.get(stored.record.ruleKey, key);
      if (record !== undefined) results.push(await sendStored({ record, created: false }, deps));
    } catch (error) {
      results.push({ kind: 'failed', error: `alert ${stored.record.ruleKey} (${key}): ${describeError(error)}` });
    }
  }
  return results;
}

/** The channel records of a rule's summary e-mail record: one notice naming the groups, per channel. */
export function summaryChannelsOf(summary: AlertRecord, digest: SummaryDigest, timeZone?: string): AlertRecord[] {
  const { rule } = digest;
  return rule.notifications.notify.length === 0
    ? []
    : channelRecordsFor(summary, rule, summaryChannelNotice(digest, timeZone));
}

/** A bucket's matches as the group's state takes them, with where they came from for an episode they open. */
function matchesOf(bucket: MatchBucket, delivery: Delivery): DeliveryMatches {
  return {
    rows: bucket.rows,
    weighted: bucket.weighted,
    minutes: bucket.minutes,
    depositedAt: delivery.depositedAt,
    firstEventAt: bucket.firstEventAt,
    lastEventAt: bucket.lastEventAt,
    source: episodeSourceOf(bucket, delivery),
  };
}

function noticeOf(deps: DeliveryDeps): { notice?: NoticeSettings } {
  return deps.notice === undefined ? {} : { notice: deps.notice };
}
