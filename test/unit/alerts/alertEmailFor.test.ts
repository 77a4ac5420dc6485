import { alertEmailFor, storedSize } from '../../../shared/core/alerts/alertEmailFor';
import type { Outcome } from '../../../shared/core/alerts/alertState';
import type { MatchBucket } from '../../../shared/core/alerts/matchCollector';
import type { TelemetryRecord } from '../../../shared/core/export/telemetryRecord';
import type { AlertEmail } from '../../../shared/core/mail/alertEmail';
import type { RuleEntity } from '../../../shared/core/rules/alertRule';
import { bucketsOf, delivery, MIN, request, ruleOf, T0 } from './alertWorld';

type Fired = Extract<Outcome, { kind: 'fired' }>;

const FIRED: Fired = { kind: 'fired', suppressed: { rows: 0, weighted: 0 }, windowWeighted: 1 };

function bucketOf(entity: Partial<RuleEntity>, records: readonly TelemetryRecord[] = [request()]): MatchBucket {
  const [bucket] = bucketsOf([ruleOf(entity)], records);
  if (!bucket) throw new Error('no record matched the rule');
  return bucket;
}

/** The text body's line for a fact (`Shown:          2, earliest first`), if it has one. */
function fact(email: AlertEmail, label: string): string | undefined {
  return email.text.split('\n').find((line) => line.startsWith(`${label}:`));
}

describe('alertEmailFor', () => {
  it('composes the e-mail of the bucket from the sender to the rule, with the ledger key in its headers', () => {
    // Arrange
    const bucket = bucketOf({ Recipients: 'ops@example.com; dev@example.com' });

    // Act
    const email = alertEmailFor(bucket, delivery(1), 'd~key', FIRED, 'alerts@example.com');

    // Assert
    expect(email).toMatchObject({
      from: 'alerts@example.com',
      to: ['ops@example.com', 'dev@example.com'],
      subject: '[Sev2] errors: 1 request in shop-prod (13:08–13:08 UTC)',
      customArgs: { ledgerKey: 'd~key', rule: 'shop-prod/errors', app: 'shop-prod' },
      headers: { 'X-Alert-Ledger-Key': 'd~key' },
    });
    expect(fact(email, 'App')).toBe('App:            shop-prod (shop-prod_0f1e2d3c4b5a69788796a5b4c3d2e1f0)');
    expect(fact(email, 'Blob')).toBe(
      'Blob:           shop-prod_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Requests/2024-03-05/13/000001-6f0b3c-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee_20240305_131000.blob',
    );
    expect(email.text).not.toContain('d~key');
    expect(email.html).not.toContain('d~key');
  });

  it('names the GroupBy values in the subject and the body', () => {
    // Arrange
    const bucket = bucketOf({ GroupBy: 'customDimensions.visitor' }, [request({ customDimensions: { visitor: 'a' } })]);

    // Act
    const email = alertEmailFor(bucket, delivery(1), 'd~key', FIRED, 'alerts@example.com');

    // Assert
    expect(email.subject).toBe('[Sev2] errors: 1 request in shop-prod [customDimensions.visitor=a] (13:08–13:08 UTC)');
    expect(fact(email, 'Group')).toBe('Group:          customDimensions.visitor=a');
    expect(email.text).toContain('1 request matched in one delivery (threshold 1) for customDimensions.visitor = a.');
  });

  it.each<[string, Partial<RuleEntity>, Fired, string]>([
    ['a threshold on one blob', { Threshold: 1 }, FIRED, '1 request matched in one delivery (threshold 1).'],
    [
      "the busiest window against a windowed rule's threshold",
      { WindowMinutes: 10, Threshold: 2 },
      { kind: 'fired', suppressed: { rows: 0, weighted: 0 }, windowWeighted: 4 },
      '4 requests matched in 10 minutes (threshold 2).',
    ],
    [
      'the matches the throttle held back, and since when',
      {},
      { kind: 'fired', suppressed: { rows: 3, weighted: 5, since: T0 - 10 * MIN }, windowWeighted: 1 },
      '1 request matched in one delivery (threshold 1).\n' +
        '3 more matches (sum of itemCount 5) came in while the alert was throttled, since 13:00 UTC; no e-mail was sent for them.',
    ],
  ])('says why it fired: %s', (_, entity, outcome, why) => {
    // Arrange
    const bucket = bucketOf(entity);

    // Act
    const email = alertEmailFor(bucket, delivery(1), 'd~key', outcome, 'alerts@example.com');

    // Assert
    expect(email.text).toContain(`\n\n${why}\n\n`);
  });

  it('charts the bucket’s matches per minute, and writes times in the zone it is given', () => {
    // Arrange: three matches at 13:02 and one at 13:06
    const at = (minute: number) => request({ timestamp: new Date(T0 - 10 * MIN + minute * MIN) });
    const bucket = bucketOf({ WindowMinutes: 5, Threshold: 2 }, [at(2), at(2), at(2), at(6)]);
    const fired: Fired = { kind: 'fired', suppressed: { rows: 0, weighted: 0 }, windowWeighted: 4 };

    // Act
    const email = alertEmailFor(bucket, delivery(1), 'd~key', fired, 'alerts@example.com', {
      timeZone: 'Europe/Berlin',
      appResourceIds: {},
    });

    // Assert
    expect(email.text).toContain('Matches per minute\n14:02 CET █···▃ 14:06 CET\npeak 3 per minute\n');
    expect(email.subject).toBe('[Sev2] errors: 4 requests in shop-prod (14:02–14:06 CET)');
  });

  it('links to Log Analytics on the resource its app’s setting names', () => {
    // Arrange
    const id =
      '/subscriptions/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0/resourceGroups/rg/providers/microsoft.insights/components/shop-prod';
    const bucket = bucketOf({});

    // Act
    const email = alertEmailFor(bucket, delivery(1), 'd~key', FIRED, 'alerts@example.com', {
      timeZone: 'UTC',
      appResourceIds: { SHOP_PROD: id },
    });

    // Assert
    expect(email.html).toContain(`/LogsBlade/resourceId/${encodeURIComponent(id)}/`);
  });

  it('lists every event, earliest first, when the e-mail fits its record', () => {
    // Arrange
    const records = Array.from({ length: 100 }, (_, i) => request({ timestamp: new Date(T0 - (i + 1) * MIN) }));
    const bucket = bucketOf({ MaxEvents: 100 }, records);

    // Act
    const email = alertEmailFor(bucket, delivery(1), 'd~key', FIRED, 'alerts@example.com');

    // Assert
    expect(fact(email, 'Shown')).toBe('Shown:          100, earliest first');
    expect(fact(email, 'Events between')).toBe('Events between: 2024-03-05 11:30–13:09 UTC');
    expect(email.text).toContain('Event 1 of 100 · 11:30:00 UTC\n  timestamp       2024-03-05T11:30:00.000Z');
    expect(email.text).not.toContain('not shown');
  });

  it('halves the events it lists until the e-mail fits its 400,000-character record, and says how many it left out', () => {
    // Arrange: quotes, six characters each once escaped, make each event take about 4,000 characters.
    const quotes = '"'.repeat(300);
    const records = Array.from({ length: 500 }, (_, i) =>
      request({ name: quotes, url: quotes, timestamp: new Date(T0 - 50 * MIN + i * 1_000) }),
    );
    const bucket = bucketOf({ MaxEvents: 500 }, records);

    // Act
    const email = alertEmailFor(bucket, delivery(1), 'd~key', FIRED, 'alerts@example.com');

    // Assert: 500, 250 and 125 events do not fit; 62 do.
    expect(storedSize(email)).toBeLessThanOrEqual(400_000);
    expect(fact(email, 'Shown')).toBe('Shown:          62, earliest first');
    expect(email.text).toContain('438 more matching records not shown.');
  });
});

describe('storedSize', () => {
  it('counts subject, both bodies, each recipient with 3 for its separators, and 1,000 for the rest of the record', () => {
    // Arrange
    const email: AlertEmail = {
      from: 'alerts@example.com',
      to: ['a@b.cd', 'ef@gh.ij'],
      subject: 'ab',
      text: 'abc',
      html: 'abcd',
      customArgs: { ledgerKey: 'd~key' },
      headers: { 'X-Alert-Ledger-Key': 'd~key' },
    };

    // Act
    const size = storedSize(email);

    // Assert
    expect(size).toBe(2 + 3 + 4 + (6 + 3) + (8 + 3) + 1_000);
  });
});

describe('alertEmailFor without event times', () => {
  it('says the time is unknown rather than dating timeless matches at the epoch', () => {
    // Arrange
    const [bucket] = bucketsOf([ruleOf()], [request({ timestamp: null })]);
    const fired = { kind: 'fired', suppressed: { rows: 0, weighted: 0 }, windowWeighted: 1 } as const;

    // Act
    const email = alertEmailFor(bucket as MatchBucket, delivery(1), 'd~key', fired, 'alerts@example.com');

    // Assert
    expect(email.subject).toBe('[Sev2] errors: 1 request in shop-prod (time unknown)');
    expect(email.text).toContain('Events between: unknown: no matching event carried a usable time');
    expect(email.text).not.toContain('1970');
  });
});
