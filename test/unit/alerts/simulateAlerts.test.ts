import { AlertSimulator, depositTimeOf } from '../../../shared/core/alerts/simulateAlerts';
import { type ExportBlobRef, parseExportPath } from '../../../shared/core/export/parseExportPath';
import type { AlertRule, RuleEntity } from '../../../shared/core/rules/alertRule';
import { bucketsOf, request, ruleOf } from './alertWorld';

/** The ref of blob `n` in the hour folder `hour` of 2024-03-05. */
function blobIn(hour: number, n: number): ExportBlobRef {
  const parsed = parseExportPath(
    `shop-prod_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Requests/2024-03-05/${String(hour).padStart(2, '0')}/${n}.blob`,
  );
  if (!parsed.ok) throw new Error(parsed.error.reason);
  return parsed.value;
}

/** One blob of a back-test: its hour folder, and a match per event time (`null`: no usable time) and visitor. */
interface Blob {
  readonly hour: number;
  readonly events: readonly (readonly [at: string | null, visitor?: string])[];
}

/** Replays the blobs in order through one simulator; each decision as `decision: reason`. */
function replay(rule: AlertRule, blobs: readonly Blob[]): string[] {
  const simulator = new AlertSimulator('alerts@example.com');
  return blobs.flatMap((blob, n) => {
    const ref = blobIn(blob.hour, n + 1);
    const records = blob.events.map(([at, visitor]) =>
      request({
        timestamp: at === null ? null : new Date(`2024-03-05T${at}:00Z`),
        ...(visitor === undefined ? {} : { customDimensions: { visitor } }),
      }),
    );
    return bucketsOf([rule], records, depositTimeOf(ref)).map((bucket) => {
      const simulated = simulator.apply(bucket, { ref, etag: `"0x${n + 1}"` });
      return `${simulated.group} ${simulated.decision}: ${simulated.reason}`;
    });
  });
}

describe('depositTimeOf', () => {
  it('estimates that a blob arrived at the end of its hour folder', () => {
    // Arrange
    const ref = blobIn(13, 1);

    // Act
    const at = depositTimeOf(ref);

    // Assert
    expect(new Date(at).toISOString()).toBe('2024-03-05T14:00:00.000Z');
  });
});

describe('AlertSimulator', () => {
  it('fires with the e-mail production would send for the same blob version', () => {
    // Arrange
    const simulator = new AlertSimulator('alerts@example.com');
    const [bucket] = bucketsOf([ruleOf()], [request()]);

    // Act
    const simulated = simulator.apply(bucket!, { ref: blobIn(13, 1), etag: '"0x1"' });

    // Assert
    expect(simulated).toMatchObject({
      rule: 'shop-prod/errors',
      group: '(no GroupBy)',
      blobName: 'shop-prod_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Requests/2024-03-05/13/1.blob',
      decision: 'fired',
      reason: '1 match reached Threshold 1',
    });
    expect(simulated.email).toMatchObject({
      from: 'alerts@example.com',
      to: ['ops@example.com'],
      subject: '[Sev2] errors: 1 request in shop-prod (13:08–13:08 UTC)',
      headers: { 'X-Alert-Ledger-Key': 'd~7dUCg5VAO29Ely00yiL6lnnq0t8UhqsP' },
    });
  });

  it.each<[string, Partial<RuleEntity>, Blob[], string[]]>([
    [
      'a throttle suppresses the next blob, and says until when',
      { ThrottleMinutes: 15 },
      [
        { hour: 13, events: [['13:08']] },
        { hour: 13, events: [['13:09']] },
      ],
      [
        '(no GroupBy) fired: 1 match reached Threshold 1',
        '(no GroupBy) suppressed: 1 match throttled until 2024-03-05T13:23:00.000Z (ThrottleMinutes 15)',
      ],
    ],
    [
      'fires again once the throttle has passed',
      { ThrottleMinutes: 15 },
      [
        { hour: 13, events: [['13:08']] },
        { hour: 13, events: [['13:30']] },
      ],
      ['(no GroupBy) fired: 1 match reached Threshold 1', '(no GroupBy) fired: 1 match reached Threshold 1'],
    ],
    [
      'a threshold without a window counts each blob on its own',
      { Threshold: 2 },
      [
        { hour: 13, events: [['13:08']] },
        { hour: 13, events: [['13:09']] },
        { hour: 13, events: [['13:10'], ['13:11']] },
      ],
      [
        '(no GroupBy) belowThreshold: 1 match in this blob, Threshold 2',
        '(no GroupBy) belowThreshold: 1 match in this blob, Threshold 2',
        '(no GroupBy) fired: 2 matches reached Threshold 2',
      ],
    ],
    [
      'a windowed threshold adds matches up across blobs',
      { Threshold: 3, WindowMinutes: 10 },
      [
        { hour: 13, events: [['13:01']] },
        { hour: 13, events: [['13:02']] },
        { hour: 13, events: [['13:03']] },
      ],
      [
        '(no GroupBy) belowThreshold: 1 match within 10 minutes, Threshold 3',
        '(no GroupBy) belowThreshold: 2 matches within 10 minutes, Threshold 3',
        '(no GroupBy) fired: 3 matches reached Threshold 3',
      ],
    ],
    [
      'each group keeps a throttle of its own',
      { ThrottleMinutes: 15, GroupBy: 'customDimensions.visitor' },
      [
        { hour: 13, events: [['13:08', 'a']] },
        { hour: 13, events: [['13:09', 'b']] },
        { hour: 13, events: [['13:10', 'a']] },
      ],
      [
        'customDimensions.visitor=a fired: 1 match reached Threshold 1',
        'customDimensions.visitor=b fired: 1 match reached Threshold 1',
        'customDimensions.visitor=a suppressed: 1 match throttled until 2024-03-05T13:23:00.000Z (ThrottleMinutes 15)',
      ],
    ],
  ])('%s', (_, entity, blobs, decisions) => {
    // Arrange
    const rule = ruleOf(entity);

    // Act
    const replayed = replay(rule, blobs);

    // Assert
    expect(replayed).toEqual(decisions);
  });

  // The clock shows in the throttle's end: the last firing's time plus ThrottleMinutes.
  it.each<[string, Blob, Blob, string]>([
    [
      'at its latest event, within its hour folder',
      { hour: 13, events: [['13:08']] },
      { hour: 13, events: [['13:09']] },
      '13:23',
    ],
    [
      'at the start of its hour folder, for late data',
      { hour: 13, events: [['12:30']] },
      { hour: 13, events: [['13:01']] },
      '13:15',
    ],
    [
      'at the end of its hour folder, for an event in the future',
      { hour: 13, events: [['15:00']] },
      { hour: 14, events: [['14:01']] },
      '14:15',
    ],
    [
      'at the end of its hour folder, without a usable event time',
      { hour: 13, events: [[null]] },
      { hour: 14, events: [['14:01']] },
      '14:15',
    ],
  ])('sets the clock of a blob %s', (_, first, second, until) => {
    // Arrange
    const rule = ruleOf({ ThrottleMinutes: 15 });

    // Act
    const replayed = replay(rule, [first, second]);

    // Assert
    expect(replayed[1]).toBe(
      `(no GroupBy) suppressed: 1 match throttled until 2024-03-05T${until}:00.000Z (ThrottleMinutes 15)`,
    );
  });
});
