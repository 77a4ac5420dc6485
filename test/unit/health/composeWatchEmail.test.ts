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
        'EXPORT STOPPED',
        'An export stopped delivering data',
        'shopfront Requests (Continuous Export)',
        '='.repeat(60),
        '',
        'Nothing new arrived from this export for longer than its threshold, although it delivered steadily before.',
        '',
        'Details',
        'Export:                    shopfront Requests (Continuous Export)',
        'Last data:                 2024-03-05 11:05:00 UTC (2 h 5 min ago)',
        'Threshold:                 120 min (EXPORT_STALE_MINUTES_CONTINUOUS_EXPORT or EXPORT_STALE_MINUTES)',
        `Last blob or range:        shopfront_0f1e/Requests/blob-${T0 - 2 * HOUR - 5 * MIN}.blob`,
        'Failures reading it, 24 h: 0',
        '',
        'Likely causes',
        '  - the storage account key was regenerated, or the container renamed: open Continuous Export and save its destination again (data of the last few days then still arrives)',
        '  - Continuous Export was disabled or deleted, or the resource was migrated to workspace-based Application Insights, which needs it off: export with diagnostic settings instead',
        '  - a firewall or virtual network rule on the storage account: Continuous Export cannot write through one',
        '  - the app sent no Requests telemetry',
        '  - this app stopped reading it: check that exportBlobReceived (or exportLogScan with EXPORT_TRIGGER_SOURCE=Scan) runs',
        '',
        '-- ',
        'You get one e-mail when data flows again. `export-alerts status` shows the age of every export.',
        'An export that is quiet by nature at times can be left out: add app or app/type to EXPORT_WATCH_IGNORE.',
        'Sent by insights-export-alerts (export watchdog) at 2024-03-05 13:10:00 UTC. Times in UTC.',
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
      'Failures reading it, 24 h: 3\n\nLikely causes\n  - this app failed to read it: 3 failed tries in the last 24 h, the last at 2024-03-05 12:13:00 UTC: storage refused the request (HTTP 403 AuthorizationPermissionMismatch)\n',
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
    const escaped = '&lt;b&gt;shop&lt;/b&gt; Bcc: x@evil.example App&lt;Requests&gt;&amp;&#39; (diagnostic settings)';
    expect(email.html).toContain(`word-break:break-word">${escaped}</div></td></tr>`);
    expect(email.html).toContain(`word-break:break-word">${escaped}</td></tr>`);
    expect(email.html).toContain(
      '<li style="margin:0 0 6px;word-break:break-word">the category App&lt;Requests&gt;&amp;&#39; was',
    );
    expect(email.html).not.toContain('<b>shop');
    expect(email.html).not.toMatch(/<a\b|href=/);
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
        'EXPORT FLOWING AGAIN',
        'An export delivers data again',
        'shop AppRequests (diagnostic settings)',
        '='.repeat(60),
        '',
        'This export was reported stopped; new data has been processed since.',
        '',
        'Details',
        'Export:                   shop AppRequests (diagnostic settings)',
        'Flowing again after:      3 h 20 min',
        'Last data before the gap: 2024-03-05 09:10:00 UTC',
        'New data by:              2024-03-05 12:30:00 UTC',
        'Latest blob or range:     insights-logs-apprequests/shop/PT1H.json bytes=0-0',
        '',
        '-- ',
        'Data the export wrote during the gap is read when it arrives; data it never wrote is lost to the alerts.',
        'Sent by insights-export-alerts (export watchdog) at 2024-03-05 13:10:00 UTC. Times in UTC.',
        '',
      ].join('\n'),
    );
  });
});

describe('the watchdog e-mails in the notice layout', () => {
  it('wears an EXPORT STOPPED banner in the critical colour, and no link', async () => {
    // Arrange
    const health = await source('shop', 'AppRequests', 'diagnosticSettings', T0 - HOUR);

    // Act
    const { html } = composeStoppedEmail([{ health, since: T0 - HOUR, staleMinutes: 30 }], CONTEXT);

    // Assert
    expect(html).toContain('<tr><td bgcolor="#c50f1f"');
    expect(html).toContain('letter-spacing:1px">EXPORT STOPPED</div>');
    expect(html).toContain('<title>EXPORT STOPPED: An export stopped delivering data');
    expect(html).not.toMatch(/<a\b|href=/);
  });

  it('wears an EXPORT FLOWING AGAIN banner in the resolved colour', async () => {
    // Arrange
    const health = await source('shop', 'AppRequests', 'diagnosticSettings', T0 - 40 * MIN);

    // Act
    const { html } = composeResumedEmail(
      [{ health, since: T0 - 4 * HOUR, resumedAt: T0 - 40 * MIN, previous: PREVIOUS }],
      CONTEXT,
    );

    // Assert
    expect(html).toContain('<tr><td bgcolor="#107c10"');
    expect(html).toContain('letter-spacing:1px">EXPORT FLOWING AGAIN</div>');
    expect(html).not.toMatch(/<a\b|href=/);
  });

  it('writes every time in ALERT_TIME_ZONE, as the alert e-mails do', async () => {
    // Arrange: 11:05 UTC is 12:05 CET
    const health = await source('shopfront', 'Requests', 'continuousExport', T0 - 2 * HOUR - 5 * MIN, 1);
    const since = health.status.last?.at ?? 0;

    // Act
    const email = composeStoppedEmail([{ health, since, staleMinutes: 120 }], {
      ...CONTEXT,
      timeZone: 'Europe/Berlin',
    });

    // Assert
    expect(email.subject).toBe('[export stopped] shopfront Requests (Continuous Export): no data since 12:05 CET');
    expect(email.text).toContain('Last data:                 2024-03-05 12:05:00 CET (2 h 5 min ago)\n');
    expect(email.text).toContain('1 failed try in the last 24 h, the last at 2024-03-05 12:06:00 CET:');
    expect(email.text).toContain('at 2024-03-05 14:10:00 CET. Times in Europe/Berlin.\n');
    expect(email.text).not.toContain('UTC (');
  });

  it('numbers the exports of a shared e-mail and names each as it is spelled', async () => {
    // Arrange
    const shop = await source('Shop-Prod', 'AppRequests', 'diagnosticSettings', T0 - HOUR);
    const billing = await source('billing', 'AppTraces', 'dataExport', T0 - 2 * HOUR);

    // Act
    const email = composeStoppedEmail(
      [
        { health: shop, since: T0 - HOUR, staleMinutes: 30 },
        { health: billing, since: T0 - 2 * HOUR, staleMinutes: 60 },
      ],
      CONTEXT,
    );

    // Assert: no subtitle (two exports), a numbered section per export with its name and causes
    expect(email.subject).toBe('[export stopped] 2 exports: Shop-Prod AppRequests, billing AppTraces');
    expect(email.text).toContain(
      '2 exports stopped delivering data\n============================================================\n',
    );
    expect(email.text).toContain(
      'Export 1 of 2\nExport:                    Shop-Prod AppRequests (diagnostic settings)\n',
    );
    expect(email.text).toContain('Export 2 of 2\nExport:                    billing AppTraces (data export)\n');
    expect(email.text).toContain('Likely causes, export 2\n  - the data export rule was deleted or disabled');
  });
});
