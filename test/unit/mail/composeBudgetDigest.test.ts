import { composeBudgetDigest } from '../../../shared/core/mail/composeBudgetDigest';
import { emptyHour, type RecipientHour } from '../../../shared/core/mail/recipientHour';

const HOUR = Date.UTC(2024, 2, 5, 13);

function hour(fields: Partial<RecipientHour> = {}): RecipientHour {
  return {
    ...emptyHour('ops@example.com', HOUR),
    counted: ['a', 'b', 'c'],
    foldedTotal: 104,
    stage: 'closed',
    lines: [
      { subject: '[Sev2] slow: 3 requests in shop-prod', rule: 'shop-prod/slow', at: HOUR + 5 * 60_000 },
      { subject: '[Sev0] down: <script>x</script>', rule: 'shop-prod/down', at: HOUR + 30 * 60_000 },
    ],
    ...fields,
  };
}

describe('composeBudgetDigest', () => {
  it('addresses the one recipient, keyed in the ledger, with the folded count in the subject', () => {
    // Act
    const email = composeBudgetDigest(
      { hour: hour(), limit: 3, ledgerKey: 'b~1', ledger: '#budget' },
      'alerts@example.com',
    );

    // Assert
    expect(email).toMatchObject({
      from: 'alerts@example.com',
      to: ['ops@example.com'],
      subject: '[digest] 104 alerts held back for you, 2024-03-05 13:00–14:00 UTC',
      customArgs: { ledgerKey: 'b~1', rule: '#budget' },
      headers: { 'X-Alert-Ledger-Key': 'b~1' },
    });
  });

  it('lists each alert as text, counts those not listed, and takes the most severe banner', () => {
    // Act
    const email = composeBudgetDigest(
      { hour: hour(), limit: 3, ledgerKey: 'b~1', ledger: '#budget' },
      'alerts@example.com',
    );

    // Assert
    expect(email.text).toContain('FIRING · Sev0 Critical');
    expect(email.text).toContain('13:05 UTC  shop-prod/slow  [Sev2] slow: 3 requests in shop-prod');
    expect(email.text).toContain('102 more alerts not listed; they are counted in the total.');
    expect(email.html).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(email.html).not.toContain('<script>');
  });

  it('writes times in ALERT_TIME_ZONE', () => {
    // Act
    const email = composeBudgetDigest(
      { hour: hour(), limit: 3, ledgerKey: 'b~1', ledger: '#budget', timeZone: 'Europe/Berlin' },
      'alerts@example.com',
    );

    // Assert
    expect(email.subject).toBe('[digest] 104 alerts held back for you, 2024-03-05 14:00–15:00 CET');
  });
});
