import { composeResumedEmail, composeStoppedEmail } from '../../../shared/core/health/composeWatchEmail';
import type { StoredWatch } from '../../../shared/core/health/planWatch';
import type { SourceHealth } from '../../../shared/core/health/sourceHealth';
import { MemoryExportStatus } from '../../helpers/memoryExportStatus';
import { HOUR, MIN, T0 } from './healthWorld';

const CONTEXT = { from: 'alerts@example.com', to: ['ops@example.com'], ledgerKey: 'h~key', now: T0 };

async function source(app: string, type: string, source: SourceHealth['status']['source'], last: number, failures = 0) {
  const status = new MemoryExportStatus();
  await status.deliverEvery(app, type, source, last, last, MIN);
  for (let i = 0; i < failures; i++)
    await status.noteFailed({
      kind: 'failed',
      app,
      type,
      source,
      blob: 'shop_0f/Requests/2024-03-05/12/a.blob',
      version: '"0x1"',
      at: last + (i + 1) * MIN,
      error: 'storage refused the request (HTTP 403 AuthorizationPermissionMismatch)',
      poisonable: true,
    });
  const health = (await status.listSources()).sources[0];
  if (!health) throw new Error('no source');
  return health;
}

const PREVIOUS: StoredWatch = {
  app: 'shop',
  type: 'AppRequests',
  source: 'diagnosticSettings',
  state: { kind: 'stopped', since: T0 - 4 * HOUR },
  version: 'v1',
};

describe('composeStoppedEmail', () => {
  it('names what stopped, since when, and the likely causes of a Continuous Export', async () => {
    // Arrange
    const health = await source('shopfront', 'Requests', 'continuousExport', T0 - 2 * HOUR - 5 * MIN);

    // Act
    const email = composeStoppedEmail([{ health, since: health.status.last?.at ?? 0, staleMinutes: 120 }], CONTEXT);

    // Assert
    expect(email.subject).toBe('[export stopped] shopfront Requests (Continuous Export): no data since 11:05 UTC');
    expect(email.to).toEqual(['ops@example.com']);
    expect(email.headers).toEqual({ 'X-Alert-Ledger-Key': 'h~key' });
    expect(email.customArgs).toEqual({ ledgerKey: 'h~key', rule: '#health/watchdog' });
    expect(email.text).toBe(
      [
        'An export stopped delivering data',
        '',
        'Nothing new arrived from this export for longer than its threshold, although it delivered steadily before.',
        '',
        'shopfront Requests (Continuous Export)',
        '  Last data:                 2024-03-05 11:05:00 UTC (2 h 5 min ago)',
        '  Threshold:                 120 min (EXPORT_STALE_MINUTES_CONTINUOUS_EXPORT or EXPORT_STALE_MINUTES)',
        `  Last blob or range:        shopfront_0f1e/Requests/blob-${T0 - 2 * HOUR - 5 * MIN}.blob`,
        '  Failures reading it, 24 h: 0',
        '  Likely causes:',
        '  - the storage account key was regenerated, or the container renamed: open Continuous Export and save its destination again (data of the last few days then still arrives)',
        '  - Continuous Export was disabled or deleted, or the resource was migrated to workspace-based Application Insights, which needs it off: export with diagnostic settings instead',
        '  - a firewall or virtual network rule on the storage account: Continuous Export cannot write through one',
        '  - the app sent no Requests telemetry',
        '  - this app stopped reading it: check that exportBlobReceived (or exportLogScan with EXPORT_TRIGGER_SOURCE=Scan) runs',
        '',
        'You get one e-mail when data flows again. `export-alerts status` shows the age of every export.',
        'An export that is quiet by nature at times can be left out: add app or app/type to EXPORT_WATCH_IGNORE.',
        'Sent by insights-export-alerts (export watchdog) at 2024-03-05 13:10:00 UTC.',
        '',
      ].join('\n'),
    );
  });

  it.each([
    [
      'diagnostic settings',
      'diagnosticSettings',
      ['the diagnostic setting was removed', 'the category AppTraces was unchecked', 'the app is idle'],
    ],
    [
      'data export',
      'dataExport',
      ['the data export rule was deleted or disabled', 'the table AppTraces was removed from the rule'],
    ],
  ] as const)('gives the likely causes of %s', async (_, kind, causes) => {
    // Arrange
    const health = await source('shop', 'AppTraces', kind, T0 - HOUR);

    // Act
    const { text } = composeStoppedEmail([{ health, since: T0 - HOUR, staleMinutes: 30 }], CONTEXT);

    // Assert
    for (const cause of causes) expect(text).toContain(`  - ${cause}`);
  });

  it('puts the app’s own failures to read the export first among the causes', async () => {
    // Arrange: three failed tries after the last delivery
    const health = await source('shop', 'AppRequests', 'diagnosticSettings', T0 - HOUR, 3);

    // Act
    const { text } = composeStoppedEmail([{ health, since: T0 - HOUR, staleMinutes: 30 }], CONTEXT);

    // Assert
    expect(text).toContain(
      '  Failures reading it, 24 h: 3\n  Likely causes:\n  - this app failed to read it: 3 failed tries in the last 24 h, the last at 2024-03-05 12:13:00 UTC: storage refused the request (HTTP 403 AuthorizationPermissionMismatch)\n',
    );
  });

  it('escapes every value in the HTML and keeps the subject on one line', async () => {
    // Arrange: a component name as hostile as a resource id can be
    const health = await source(
      '<b>shop</b>\r\nBcc: x@evil.example',
      "App<Requests>&'",
      'diagnosticSettings',
      T0 - HOUR,
    );

    // Act
    const email = composeStoppedEmail([{ health, since: T0 - HOUR, staleMinutes: 30 }], CONTEXT);

    // Assert
    expect(email.subject).toBe(
      "[export stopped] <b>shop</b> Bcc: x@evil.example App<Requests>&' (diagnostic settings): no data since 12:10 UTC",
    );
    expect(email.html).toContain(
      '<h3>&lt;b&gt;shop&lt;/b&gt; Bcc: x@evil.example App&lt;Requests&gt;&amp;&#39; (diagnostic settings)</h3>',
    );
    expect(email.html).not.toContain('<b>shop');
  });
});

describe('composeResumedEmail', () => {
  it('says the export flows again, after how long a gap', async () => {
    // Arrange
    const health = await source('shop', 'AppRequests', 'diagnosticSettings', T0 - 40 * MIN);

    // Act
    const email = composeResumedEmail(
      [{ health, since: T0 - 4 * HOUR, resumedAt: T0 - 40 * MIN, previous: PREVIOUS }],
      CONTEXT,
    );

    // Assert
    expect(email.subject).toBe('[export flowing again] shop AppRequests (diagnostic settings) after 3 h 20 min');
    expect(email.text).toBe(
      [
        'An export delivers data again',
        '',
        'This export was reported stopped; new data has been processed since.',
        '',
        'shop AppRequests (diagnostic settings)',
        '  Flowing again after:      3 h 20 min',
        '  Last data before the gap: 2024-03-05 09:10:00 UTC',
        '  New data by:              2024-03-05 12:30:00 UTC',
        '  Latest blob or range:     insights-logs-apprequests/shop/PT1H.json bytes=0-0',
        '',
        'Data the export wrote during the gap is read when it arrives; data it never wrote is lost to the alerts.',
        'Sent by insights-export-alerts (export watchdog) at 2024-03-05 13:10:00 UTC.',
        '',
      ].join('\n'),
    );
  });
});
