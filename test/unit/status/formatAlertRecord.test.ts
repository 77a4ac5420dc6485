import type { AlertRecord } from '../../../shared/core/alerts/alertRecord';
import { formatAlertRecord } from '../../../shared/core/status/formatAlertRecord';

const T0 = Date.UTC(2024, 2, 5, 13, 10);

const FAILED: AlertRecord = {
  ruleKey: 'shop-prod/checkout-5xx',
  recordKey: 'd~abc',
  groupKey: '[["tenant","acme"]]',
  blobName: 'shop-prod_0f1e/Requests/2024-03-05/13/a.blob',
  deliveryId: 'dlv',
  status: 'failed',
  recordedAt: T0,
  leaseUntil: T0 + 5000,
  attempts: 2,
  acceptedBatches: [0],
  rows: 12,
  weighted: 12,
  lastError: 'SendGrid mail/send failed: 503 Service Unavailable',
  email: {
    from: 'alerts@example.com',
    to: ['ops@example.com', 'dev@example.com'],
    subject: '[Sev1] checkout-5xx: 12 requests in shop-prod',
    text: 'Rule checkout-5xx fired.\n\nMatches: 12',
    html: '<p>ignored here</p>',
    customArgs: { ledgerKey: 'd~abc' },
    headers: { 'X-Alert-Ledger-Key': 'd~abc' },
  },
};

describe('alerts show', () => {
  it('prints a channel record with the host that took it and its payload in brief, never the payload', () => {
    // Arrange
    const { email: _email, ...rest } = FAILED;
    const record: AlertRecord = {
      ...rest,
      recordKey: 'd~abc~teams:OPS',
      status: 'sent',
      provider: 'teams',
      location: 'https://prod-12.westus.logic.azure.com (HTTP 202)',
      acceptedBatches: [],
      channel: {
        name: 'teams:OPS',
        subject: '[Sev1] checkout-5xx: 12 requests in shop-prod',
        payload: { kind: 'teams', body: '{"type":"message"}', headers: {}, eventsShown: 5, bytes: 18 },
      },
    };

    // Act
    const lines = formatAlertRecord(record, T0);

    // Assert
    expect(lines).toContain('  Taken by       https://prod-12.westus.logic.azure.com (HTTP 202)');
    expect(lines.slice(-4)).toEqual([
      '',
      "Notice to teams:OPS (the alert's e-mail is record d~abc)",
      '  Subject  [Sev1] checkout-5xx: 12 requests in shop-prod',
      '  Payload  18 bytes, 5 events shown (--json has it whole)',
    ]);
  });

  it('prints a record with its attempts, last error and stored e-mail', () => {
    expect(formatAlertRecord(FAILED, T0 + 60_000)).toEqual([
      'alert d~abc: rule shop-prod/checkout-5xx, group tenant=acme',
      '  Status         failed',
      '  Recorded       2024-03-05 13:10:00 UTC',
      '  Sent           -',
      '  Attempts       2',
      '  Lease until    -',
      '  Matches        12',
      '  Blob           shop-prod_0f1e/Requests/2024-03-05/13/a.blob',
      '  Delivery       dlv',
      '  Provider       -',
      '  Message ids    -',
      '  Outbox file    -',
      '  Batches taken  0',
      '  Summary        -',
      '  Last error     SendGrid mail/send failed: 503 Service Unavailable',
      '',
      'E-mail',
      '  From                   alerts@example.com',
      '  To                     ops@example.com, dev@example.com',
      '  Subject                [Sev1] checkout-5xx: 12 requests in shop-prod',
      '  X-Alert-Ledger-Key     d~abc',
      '  custom_args.ledgerKey  d~abc',
      '',
      '  Rule checkout-5xx fired.',
      '',
      '  Matches: 12',
    ]);
  });

  it('says when a claim is live and when it has lapsed', () => {
    // Arrange
    const sending: AlertRecord = { ...FAILED, status: 'sending', leaseUntil: T0 + 300_000 };

    // Act
    const live = formatAlertRecord(sending, T0 + 60_000);
    const lapsed = formatAlertRecord(sending, T0 + 600_000);

    // Assert
    expect(live[5]).toBe('  Lease until    2024-03-05 13:15:00 UTC (a live claim)');
    expect(lapsed[5]).toBe('  Lease until    2024-03-05 13:15:00 UTC (lapsed: a retry or alertMaintenance sends it)');
  });

  it('says why a record has no e-mail', () => {
    const { email: _email, ...counted } = FAILED;
    expect(formatAlertRecord({ ...counted, status: 'counted' }, T0).slice(-2)).toEqual([
      '',
      'no e-mail: this record counted or suppressed matches, or its group went into a summary',
    ]);
  });
});
