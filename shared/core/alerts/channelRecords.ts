import type { ChannelNotice } from '../channels/channelNotice';
import { noticePayload } from '../channels/noticePayload';
import type { AlertRule } from '../rules/alertRule';
import { type AlertRecord, channelRecordKey } from './alertRecord';

/**
 * The records of an alert's notices to its rule's channels (Notify), one per channel, to be written in
 * the transaction that writes the e-mail's `record`, in its status and lease: claimed by the same
 * writer, or left for the maintenance timer. Each payload is composed now, so every retry sends the
 * same bytes (and a receiver can deduplicate on the ledger key they carry).
 */
export function channelRecordsFor(record: AlertRecord, rule: AlertRule, notice: ChannelNotice): AlertRecord[] {
  const subject = record.email?.subject ?? '';
  const { email: _email, summaryKey: _summaryKey, line: _line, ...base } = record;
  return rule.notifications.notify.map((ref) => {
    const name = `${ref.kind}:${ref.name}`;
    return {
      ...base,
      recordKey: channelRecordKey(record.recordKey, name),
      acceptedBatches: [],
      channel: { name, subject, payload: noticePayload(ref.kind, notice) },
    };
  });
}

/** The keys of the channel records `channelRecordsFor` writes next to the e-mail record `recordKey`. */
export function channelRecordKeys(recordKey: string, rule: AlertRule): string[] {
  return rule.notifications.notify.map((ref) => channelRecordKey(recordKey, `${ref.kind}:${ref.name}`));
}
