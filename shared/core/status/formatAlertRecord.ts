import type { AlertRecord } from '../alerts/alertRecord';
import { plural } from '../plural';
import { groupLabel, matchesText } from './alertLine';
import { formatUtc } from './utcTime';

/**
 * One delivery record in full for `alerts show`: what was decided and when, who holds or held the
 * send, what the provider said, and the stored e-mail (headers, subject and text; the HTML part is
 * the same content and is left to --json).
 */
export function formatAlertRecord(record: AlertRecord, now: number): string[] {
  const email = record.email;
  const lines = [
    `alert ${record.recordKey}: rule ${record.ruleKey}, group ${groupLabel(record.groupKey)}`,
    ...fields([
      ['Status', record.status],
      ['Recorded', formatUtc(record.recordedAt)],
      ['Sent', record.sentAt === undefined ? '-' : formatUtc(record.sentAt)],
      ['Attempts', String(record.attempts)],
      ['Lease until', leaseText(record, now)],
      ['Matches', matchesText(record)],
      ['Blob', record.blobName],
      ['Delivery', record.deliveryId],
      ['Provider', record.provider ?? '-'],
      ['Message ids', record.messageIds === undefined ? '-' : record.messageIds.join(' ')],
      [record.channel === undefined ? 'Outbox file' : 'Taken by', record.location ?? '-'],
      ['Batches taken', record.acceptedBatches.length === 0 ? '-' : record.acceptedBatches.join(' ')],
      ...(record.heldBack === undefined
        ? []
        : [
            [
              'Held back',
              `${plural(record.heldBack, 'recipient')} over ALERT_MAX_EMAILS_PER_RECIPIENT_PER_HOUR: in their hourly digest`,
            ] as const,
          ]),
      [
        'Summary',
        record.summaryKey === undefined
          ? '-'
          : `listed in ${record.summaryKey}${record.line === undefined ? '' : ` as ${record.line.label} (${plural(record.line.rows, 'match', 'matches')})`}`,
      ],
      ['Last error', record.lastError ?? '-'],
    ]),
  ];
  const { channel } = record;
  if (channel !== undefined) {
    lines.push(
      '',
      `Notice to ${channel.name} (the alert's e-mail is record ${record.recordKey.slice(0, record.recordKey.lastIndexOf('~'))})`,
      ...fields([
        ['Subject', channel.subject],
        [
          'Payload',
          `${plural(channel.payload.bytes, 'byte')}, ${plural(channel.payload.eventsShown, 'event')} shown (--json has it whole)`,
        ],
      ]),
    );
    return lines;
  }
  if (email === undefined) {
    lines.push('', 'no e-mail: this record counted or suppressed matches, or its group went into a summary');
    return lines;
  }
  lines.push(
    '',
    'E-mail',
    ...fields([
      ['From', email.from],
      ['To', email.to.join(', ')],
      ['Subject', email.subject],
      ...Object.entries(email.headers).map(([name, value]): [string, string] => [name, value]),
      ...Object.entries(email.customArgs).map(([name, value]): [string, string] => [`custom_args.${name}`, value]),
    ]),
    '',
    ...email.text.split(/\r?\n/).map((line) => (line === '' ? '' : `  ${line}`)),
  );
  return lines;
}

function leaseText(record: AlertRecord, now: number): string {
  if (record.status !== 'sending') return '-';
  return record.leaseUntil > now
    ? `${formatUtc(record.leaseUntil)} (a live claim)`
    : `${formatUtc(record.leaseUntil)} (lapsed: a retry or alertMaintenance sends it)`;
}

function fields(pairs: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(...pairs.map(([name]) => name.length));
  return pairs.map(([name, value]) => `  ${name.padEnd(width)}  ${value}`);
}
