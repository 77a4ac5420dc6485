import type { ChannelSender } from '../channels/channelSender';
import { describeError } from '../describeError';
import { ERROR_CODES, hasErrorCode } from '../errors';
import type { Logger } from '../logger';
import { composeSummaryEmail } from '../mail/composeSummaryEmail';
import type { Mailer } from '../mail/mailer';
import type { NoticeSettings } from '../mail/noticeSettings';
import type { AlertRule } from '../rules/alertRule';
import type { AlertBook } from './alertBook';
import type { AlertRecord } from './alertRecord';
import { sendStored, summaryChannelsOf } from './deliverAlerts';
import { sendAlertRecord } from './sendAlertRecord';

export interface MaintenanceDeps {
  readonly book: AlertBook;
  readonly mailer: Mailer;
  readonly now: () => number;
  readonly logger: Logger;
  readonly from: string;
  readonly leaseMs: number;
  /** ALERT_TIME_ZONE, for the channel notice of a summary written here. */
  readonly notice?: NoticeSettings;
  /** Senders of the configured Teams, Slack and webhook channels, by `teams:OPS`. */
  readonly channels?: ReadonlyMap<string, ChannelSender>;
  /** Days a delivery's record is kept: its redelivery marker, and how long an unsent alert is retried. */
  readonly recordDays: number;
  /** The compiled rule of `scope/id`, to compose a summary a dead invocation left unwritten; undefined when removed. */
  readonly ruleFor: (ruleKey: string) => Promise<AlertRule | undefined>;
  /** Time one run may spend sending before it leaves the rest to the next run. */
  readonly budgetMs?: number;
  /** Waits between tries; the composition passes a real timer, tests an instant one. */
  readonly pause: (ms: number) => Promise<void>;
}

export interface MaintenanceSummary {
  /** Open records seen: claimed, failed or covered. */
  open: number;
  sent: number;
  failed: number;
  rejected: number;
  /** Held by a live claim: left to its holder. */
  busy: number;
  /** Summaries a dead invocation left unwritten, written and sent now. */
  summaries: number;
  /** Alerts given up: unsent after ALERT_RECORD_DAYS, or whose rule was removed. Each is logged as an error. */
  givenUp: number;
  /** Left for the next run: the time budget ran out. */
  deferred: number;
  expiredRecords: number;
  expiredStates: number;
}

const DAY_MS = 24 * 60 * 60_000;
/**
 * Idle group state is kept at least this long: past a week-long window, a day of late data and a
 * week-long throttle, nothing in it can matter any more.
 */
export const MIN_STATE_DAYS = 15;
/**
 * Under the timer's minute, so the RESOLVED notices and the export watchdog that follow in the same tick
 * keep their cadence; what is left is re-driven in the next minute.
 */
export const DEFAULT_MAINTENANCE_BUDGET_MS = 40_000;

/**
 * The alert maintenance timer's use case. Re-drives what a dead or failed invocation left: a claim
 * whose lease passed, a retryable failure, a summary never written; so an alert is sent even when the
 * host has stopped retrying its blob. Then drops records and idle states past their age, so the book
 * does not grow with traffic.
 */
export async function maintainAlerts(deps: MaintenanceDeps): Promise<MaintenanceSummary> {
  const started = deps.now();
  const budget = deps.budgetMs ?? DEFAULT_MAINTENANCE_BUDGET_MS;
  const summary: MaintenanceSummary = {
    open: 0,
    sent: 0,
    failed: 0,
    rejected: 0,
    busy: 0,
    summaries: 0,
    givenUp: 0,
    deferred: 0,
    expiredRecords: 0,
    expiredStates: 0,
  };
  const horizon = started - deps.recordDays * DAY_MS;
  const summariesDone = new Set<string>();

  try {
    for await (const record of deps.book.listOpen()) {
      summary.open++;
      const now = deps.now();
      if (now - started > budget) {
        summary.deferred++;
        continue;
      }
      try {
        if (record.recordedAt < horizon) {
          await giveUp(record, `unsent after ${deps.recordDays} days (ALERT_RECORD_DAYS)`, deps);
          summary.givenUp++;
        } else if (record.status === 'covered') {
          await settleCovered(record, deps, summary, summariesDone);
        } else if (record.status === 'sending' && record.leaseUntil > now) {
          summary.busy++;
        } else {
          const result = await sendStored({ record, created: false }, deps);
          if (result.kind === 'sent') summary.sent++;
          else if (result.kind === 'failed') summary.failed++;
          else if (result.kind === 'rejected') summary.rejected++;
          else if (result.kind === 'inFlight') summary.busy++;
        }
      } catch (error) {
        summary.failed++;
        deps.logger.error(
          `alert ${record.ruleKey} (${record.recordKey}): maintenance could not handle it: ${describeError(error)}`,
        );
      }
    }
  } catch (error) {
    // Records that did not read were skipped by the listing and are reported here, once per run; the
    // others were re-driven and expiry below still runs. Any other failure fails the run.
    if (!hasErrorCode(error, ERROR_CODES.STORED_STATE_INVALID)) throw error;
    deps.logger.error(`alert maintenance: ${describeError(error)}`);
  }

  const expired = await deps.book.expire(horizon, started - Math.max(deps.recordDays, MIN_STATE_DAYS) * DAY_MS);
  summary.expiredRecords = expired.records;
  summary.expiredStates = expired.states;
  return summary;
}

/**
 * A group that fired past its rule's e-mail cap is listed in the rule's summary for the delivery. When
 * the invocation died before writing that summary, it is written here from the delivery's records.
 */
async function settleCovered(
  record: AlertRecord,
  deps: MaintenanceDeps,
  summary: MaintenanceSummary,
  done: Set<string>,
): Promise<void> {
  const summaryKey = record.summaryKey;
  const id = `${record.ruleKey}\u0000${summaryKey ?? ''}`;
  // The invocation that covered it may still be writing the summary: leave it a lease's time.
  if (summaryKey === undefined || done.has(id) || deps.now() - record.recordedAt < deps.leaseMs) return;
  done.add(id);
  const members = await deps.book.listDelivery(record.ruleKey, record.deliveryId);
  const covered = members.filter(
    (m) => (m.status === 'covered' || m.status === 'summarized') && m.summaryKey === summaryKey,
  );
  const existing = await deps.book.get(record.ruleKey, summaryKey);
  if (existing === undefined) {
    const rule = await deps.ruleFor(record.ruleKey);
    if (rule === undefined) {
      for (const member of covered)
        await giveUp(member, 'its rule was removed before the summary e-mail was written', deps);
      summary.givenUp += covered.length;
      return;
    }
    const now = deps.now();
    const groups = covered
      .flatMap((m) => (m.line ? [m.line] : []))
      .sort((a, b) => b.weighted - a.weighted || b.rows - a.rows);
    const individualEmails = members.filter((m) => m.email !== undefined && m.recordKey !== summaryKey).length;
    const digest = {
      rule,
      appName: appOf(record.blobName),
      blobName: record.blobName,
      groups,
      individualEmails,
      ledgerKey: summaryKey,
    };
    const email = composeSummaryEmail(digest, deps.from);
    const written: AlertRecord = {
      ruleKey: record.ruleKey,
      recordKey: summaryKey,
      groupKey: '#summary',
      blobName: record.blobName,
      deliveryId: record.deliveryId,
      status: 'sending',
      recordedAt: now,
      leaseUntil: now + deps.leaseMs,
      attempts: 1,
      acceptedBatches: [],
      email,
    };
    const channels = summaryChannelsOf(written, digest, deps.notice?.timeZone);
    const stored = await deps.book.insert(written, channels);
    if (stored.created) {
      summary.summaries++;
      // Claimed with it until the same lease: its channels follow the e-mail.
      for (const sent of [stored.record, ...channels]) {
        const outcome = await sendAlertRecord(sent, deps);
        summary[outcome.kind === 'sent' ? 'sent' : outcome.kind]++;
      }
    }
  }
  for (const member of covered) if (member.status === 'covered') await deps.book.setStatus(member, 'summarized');
}

async function giveUp(record: AlertRecord, why: string, deps: MaintenanceDeps): Promise<void> {
  deps.logger.error(
    `alert ${record.ruleKey} (${record.recordKey}) for ${record.blobName}: given up, ${why}` +
      (record.lastError ? `; last error: ${record.lastError}` : ''),
  );
  await deps.book.markFailed(record, deps.now(), {
    error: `given up: ${why}`,
    permanent: true,
    acceptedBatches: record.acceptedBatches,
  });
}

/** The app of an export blob name, `<app>_<ikey>/…`: for the summary's title only. */
function appOf(blobName: string): string {
  const folder = blobName.split('/')[0] ?? blobName;
  const cut = folder.lastIndexOf('_');
  return cut > 0 ? folder.slice(0, cut) : folder;
}
