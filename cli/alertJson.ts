import type { AlertRecord } from '../shared/core/alerts/alertRecord';
import { type AlertLine, groupLabel } from '../shared/core/status/alertLine';

/** `alerts list --json` and `alerts show --json`: every field, times in ISO 8601 UTC, absent values null. */
function iso(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : new Date(ms).toISOString();
}

export function lineJson(line: AlertLine): object {
  return {
    time: iso(line.recordedAt),
    rule: line.ruleKey,
    group: groupLabel(line.groupKey),
    key: line.recordKey,
    status: line.status,
    rows: line.rows ?? null,
    weighted: line.weighted ?? null,
    recipients: line.to,
    subject: line.subject ?? null,
    provider: line.provider ?? null,
    messageIds: line.messageIds,
    outboxFile: line.location ?? null,
    sentAt: iso(line.sentAt) ?? null,
    attempts: line.attempts,
    lastError: line.lastError ?? null,
    blob: line.blob,
  };
}

export function recordJson(record: AlertRecord): object {
  return {
    key: record.recordKey,
    rule: record.ruleKey,
    group: groupLabel(record.groupKey),
    groupKey: record.groupKey,
    status: record.status,
    recordedAt: iso(record.recordedAt),
    sentAt: iso(record.sentAt) ?? null,
    attempts: record.attempts,
    leaseUntil: record.status === 'sending' ? iso(record.leaseUntil) : null,
    rows: record.rows ?? null,
    weighted: record.weighted ?? null,
    blob: record.blobName,
    deliveryId: record.deliveryId,
    provider: record.provider ?? null,
    messageIds: record.messageIds ?? [],
    outboxFile: record.location ?? null,
    acceptedBatches: record.acceptedBatches,
    heldBack: record.heldBack ?? 0,
    summaryKey: record.summaryKey ?? null,
    summaryLine: record.line ?? null,
    lastError: record.lastError ?? null,
    email: record.email ?? null,
    // The payload as sent: it holds no secret (URLs and the webhook key live in settings).
    channel: record.channel ?? null,
  };
}
