import {
  type AlertLine,
  alertLineRows,
  alertListFooter,
  deliveredAsText,
  groupLabel,
  matchesText,
  NewestLines,
  recipientsText,
} from '../../../shared/core/status/alertLine';

const T0 = Date.UTC(2024, 2, 5, 13, 10);

function line(overrides: Partial<AlertLine> = {}): AlertLine {
  return {
    ruleKey: 'shop-prod/checkout-5xx',
    recordKey: 'd~a',
    groupKey: '',
    status: 'sent',
    recordedAt: T0,
    attempts: 1,
    rows: 12,
    weighted: 12,
    to: ['ops@example.com'],
    messageIds: ['sg-1'],
    provider: 'sendgrid',
    blob: 'shop-prod_0f1e/Requests/2024-03-05/13/a.blob',
    ...overrides,
  };
}

describe('alert lines', () => {
  it.each([
    ['', '(all)'],
    ['#summary', '(summary)'],
    ['(other groups)', '(other groups)'],
    ['[["tenant","acme"],["cloud_RoleName","web"]]', 'tenant=acme, cloud_RoleName=web'],
    ['not json', 'not json'],
  ])('labels the group key %j as %j', (key, label) => {
    expect(groupLabel(key)).toBe(label);
  });

  it.each([
    [{ rows: 12, weighted: 12 }, '12'],
    [{ rows: 3, weighted: 30 }, '3 (weight 30)'],
    [{}, '-'],
  ])('shows the matches %j as %j', (counts, text) => {
    expect(matchesText(counts)).toBe(text);
  });

  it.each([
    [[], '-'],
    [['ops@example.com'], 'ops@example.com'],
    [['ops@example.com', 'dev@example.com', 'qa@example.com'], 'ops@example.com +2 more'],
  ])('shows the recipients %j as %j', (to, text) => {
    expect(recipientsText(to)).toBe(text);
  });

  it.each([
    [{ provider: 'sendgrid' as const, messageIds: ['a', 'b'] }, 'sendgrid:a b'],
    [{ provider: 'outbox' as const, messageIds: ['<m@x>'], location: '/o/1.eml' }, '/o/1.eml'],
    [{ messageIds: [] }, '-'],
  ])('shows how %j was delivered as %j', (delivered, text) => {
    expect(deliveredAsText(delivered)).toBe(text);
  });

  it('keeps only the newest lines however many are read, newest first', () => {
    // Arrange: 1,000 lines in key order, not time order
    const newest = new NewestLines(3);

    // Act
    for (let i = 0; i < 1000; i++) newest.add(line({ recordKey: `d~${i}`, recordedAt: T0 + ((i * 7919) % 1000) }));

    // Assert
    expect(newest.total).toBe(1000);
    expect(newest.newest().map((l) => l.recordedAt - T0)).toEqual([999, 998, 997]);
  });

  it('makes one row per line under the header', () => {
    expect(alertLineRows([line()])).toEqual({
      header: ['TIME (UTC)', 'RULE', 'GROUP', 'MATCHES', 'STATUS', 'RECIPIENTS', 'KEY', 'MESSAGE ID / OUTBOX FILE'],
      rows: [
        [
          '2024-03-05 13:10:00',
          'shop-prod/checkout-5xx',
          '(all)',
          '12',
          'sent',
          'ops@example.com',
          'd~a',
          'sendgrid:sg-1',
        ],
      ],
    });
  });

  it.each([
    [[line()], 1, 'alert', '1 alert in the last 24 h: 1 sent'],
    [[line(), line({ status: 'failed' })], 2, 'alert', '2 alerts in the last 24 h: 1 sent, 1 failed'],
    [[line()], 40, 'alert', '40 alerts in the last 24 h; the newest 1 shown (1 sent); --limit shows more'],
    [[line({ status: 'counted' })], 1, 'record', '1 record in the last 24 h: 1 counted'],
  ])('closes %j with the counts', (shown, total, noun, footer) => {
    expect(alertListFooter(shown, total, noun, 'in the last 24 h')).toBe(footer);
  });
});
