import { DIGEST_LEDGER } from '../../../shared/core/health/healthRecord';
import type { ExportSource, FailedActivity } from '../../../shared/core/status/exportActivity';
import { HealthWorld, HOUR, MIN, T0 } from './healthWorld';

function failed(
  app: string,
  type: string,
  source: ExportSource,
  at: number,
  poisonable = false,
  blob = 'b',
): FailedActivity {
  return {
    kind: 'failed',
    app,
    type,
    source,
    blob,
    version: '"0x1"',
    at,
    error: 'storage refused the request (HTTP 500)',
    poisonable,
  };
}

describe('sendHealthDigest', () => {
  it('sends nothing while nothing went wrong', async () => {
    // Arrange
    const w = new HealthWorld();
    await w.steady('shop', 'AppRequests', 'diagnosticSettings', T0);

    // Act
    const run = await w.digest();

    // Assert
    expect(run).toEqual({ outcome: 'quiet' });
    expect(w.mailer.delivered).toEqual([]);
  });

  it('sends at most one digest per HEALTH_DIGEST_MINUTES, listing each item once', async () => {
    // Arrange: a range fails at 13:05, a rule is invalid
    const w = new HealthWorld();
    await w.status.noteFailed(failed('shop', 'AppRequests', 'diagnosticSettings', T0 - 5 * MIN));
    w.digestInputs = {
      ...w.digestInputs,
      invalidRules: [{ rule: 'shop/slow', problem: "Threshold must be a whole number, found 'x'" }],
    };

    // Act: a digest at 13:10; more failures at 13:29 and 13:59; runs every 10 minutes until 14:20
    const runs = [await w.digest()];
    for (const at of [20, 30, 40, 50, 60, 70]) {
      w.clock = T0 + at * MIN;
      if (at === 20 || at === 50)
        await w.status.noteFailed(failed('shop', 'AppRequests', 'diagnosticSettings', w.clock - MIN));
      runs.push(await w.digest());
    }

    // Assert: the second digest (14:10) counts only the two new failures and says nothing of the rule again
    expect(runs.map((r) => r.outcome)).toEqual(['recorded', 'held', 'held', 'held', 'held', 'recorded', 'held']);
    expect(runs[1]).toEqual({ outcome: 'held', nextAt: T0 + HOUR });
    expect(w.mailer.subjects()).toEqual([
      '[health] insights-export-alerts: 1 export failing, 1 invalid rule',
      '[health] insights-export-alerts: 1 export failing',
    ]);
    expect(w.mailer.delivered[1]?.text).toContain(
      'shop AppRequests (diagnostic settings): 2 failed tries; the last at 2024-03-05 13:59:00 UTC',
    );
    expect(w.mailer.delivered[1]?.text).not.toContain('shop/slow');
  });

  it('counts poisoned blobs, naming the last', async () => {
    // Arrange: one blob version fails its five tries
    const w = new HealthWorld();
    for (let i = 0; i < 5; i++)
      await w.status.noteFailed(
        failed(
          'shopfront',
          'Requests',
          'continuousExport',
          T0 - (5 - i) * MIN,
          true,
          'shopfront_0f/Requests/2024-03-05/13/a.blob',
        ),
      );

    // Act
    await w.digest();

    // Assert
    expect(w.mailer.delivered[0]?.text).toContain(
      'shopfront Requests (Continuous Export): 5 failed tries (1 blob poisoned: given up by the host); the last at 2024-03-05 13:09:00 UTC on shopfront_0f/Requests/2024-03-05/13/a.blob: storage refused the request (HTTP 500); last poisoned: shopfront_0f/Requests/2024-03-05/13/a.blob at 2024-03-05 13:09:00 UTC',
    );
  });

  it('says a rule again when it was fixed and broke again, not while it stays broken', async () => {
    // Arrange
    const w = new HealthWorld();
    const broken = { rule: 'shop/slow', problem: 'Query line 1, col 9: unknown column' };
    w.digestInputs = { ...w.digestInputs, invalidRules: [broken] };

    // Act: broken at 13:10, still at 14:20, fixed at 15:30, broken again at 16:40
    const outcomes = [(await w.digest()).outcome];
    for (const [hours, rules] of [
      [1.2, [broken]],
      [2.4, []],
      [3.6, [broken]],
    ] as const) {
      w.clock = T0 + hours * HOUR;
      w.digestInputs = { ...w.digestInputs, invalidRules: rules };
      outcomes.push((await w.digest()).outcome);
    }

    // Assert
    expect(outcomes).toEqual(['recorded', 'quiet', 'quiet', 'recorded']);
    expect(w.mailer.subjects()).toEqual([
      '[health] insights-export-alerts: 1 invalid rule',
      '[health] insights-export-alerts: 1 invalid rule',
    ]);
  });

  it('lists refused alerts and configuration problems, asking for the window since the last digest', async () => {
    // Arrange
    const w = new HealthWorld();
    w.digestInputs = {
      invalidRules: [],
      rejected: {
        alerts: [
          {
            rule: 'shop/5xx',
            recordKey: 'd~abc',
            blob: 'shop_0f/Requests/x.blob',
            at: T0 - MIN,
            error: 'SendGrid 400: does not contain a valid address',
          },
        ],
        total: 3,
      },
      configuration: [
        "container 'am-apprequests' (EXPORT_SCAN_CONTAINERS or EXPORT_CONTAINER) does not exist in the export account",
      ],
    };

    // Act: the first digest, and one 30 minutes after it with HEALTH_DIGEST_MINUTES=30
    const first = await w.digest(30);
    w.clock += 30 * MIN;
    await w.digest(30);

    // Assert
    expect(first).toMatchObject({
      outcome: 'recorded',
      items: 4,
      summary: '3 alerts not sent, 1 configuration problem',
    });
    const text = w.mailer.delivered[0]?.text ?? '';
    expect(text).toContain(
      '2024-03-05 13:09:00 UTC: rule shop/5xx, alert d~abc, blob shop_0f/Requests/x.blob: SendGrid 400: does not contain a valid address',
    );
    expect(text).toContain('and 2 more: export-alerts alerts list --status rejected');
    expect(text).toContain("container 'am-apprequests'");
    expect(w.windows).toEqual([
      [T0 - 24 * HOUR, T0],
      [T0, T0 + 30 * MIN],
    ]);
  });

  it('records one digest when two timers run at once', async () => {
    // Arrange: both read the digest state before either writes
    const w = new HealthWorld();
    await w.status.noteFailed(failed('shop', 'AppRequests', 'diagnosticSettings', T0 - MIN));
    let arrived = 0;
    let release: () => void = () => {};
    const bothRead = new Promise<void>((resolve) => (release = resolve));
    w.health.hook = async (op, when) => {
      if (op !== 'readDigest' || when !== 'before') return;
      if (++arrived === 2) release();
      await bothRead;
    };

    // Act
    const outcomes = (await Promise.all([w.digest(), w.digest()])).map((r) => r.outcome).sort();

    // Assert
    expect(outcomes).toEqual(['contended', 'recorded']);
    expect(w.mailer.delivered).toHaveLength(1);
  });

  it('leaves a failed digest to alert maintenance, which sends it once, and holds the next', async () => {
    // Arrange
    const w = new HealthWorld();
    await w.status.noteFailed(failed('shop', 'AppRequests', 'diagnosticSettings', T0 - MIN));
    w.mailer.script = ['retryable'];

    // Act
    const run = await w.digest();
    w.clock += 5 * MIN;
    const maintenance = await w.maintain();
    const next = await w.digest();

    // Assert
    expect(run).toMatchObject({ outcome: 'recorded', emails: { sent: 0, failed: 1 } });
    expect(maintenance).toMatchObject({ sent: 1 });
    expect(next).toEqual({ outcome: 'held', nextAt: T0 + HOUR });
    expect(w.mailer.subjects()).toEqual(['[health] insights-export-alerts: 1 export failing']);
    expect([...w.book.records.values()].map((r) => [r.ruleKey, r.status])).toEqual([[DIGEST_LEDGER, 'sent']]);
  });
});
