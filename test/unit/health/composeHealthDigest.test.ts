import { composeHealthDigest } from '../../../shared/core/health/composeHealthDigest';
import { MemoryExportStatus } from '../../helpers/memoryExportStatus';
import { HOUR, MIN, T0 } from './healthWorld';

describe('composeHealthDigest', () => {
  it('lists failing exports, invalid rules, alerts not sent and configuration problems', async () => {
    // Arrange
    const status = new MemoryExportStatus();
    await status.noteFailed({
      kind: 'failed',
      app: 'shop',
      type: 'AppRequests',
      source: 'diagnosticSettings',
      blob: 'insights-logs-apprequests/resourceId=/x/PT1H.json',
      version: 'bytes=0-99',
      at: T0 - 3 * MIN,
      error: 'storage refused the request (HTTP 500)\nRequestId: 1',
      poisonable: false,
    });
    const [health] = (await status.listSources()).sources;
    if (!health) throw new Error('no source');

    // Act
    const email = composeHealthDigest(
      {
        failing: [{ health, failures: 4, poisoned: 0 }],
        invalidRules: [{ rule: 'shop/slow', problem: "Threshold must be a whole number, found 'x'" }],
        rejected: {
          alerts: [
            {
              rule: 'shop/5xx',
              recordKey: 'd~abc',
              blob: 'shop_0f/Requests/a.blob',
              at: T0 - MIN,
              error: 'given up: unsent after 7 days (ALERT_RECORD_DAYS)',
            },
          ],
          total: 1,
        },
        configuration: [
          "container 'am-apprequests' (EXPORT_SCAN_CONTAINERS or EXPORT_CONTAINER) does not exist in the export account",
        ],
      },
      {
        from: 'alerts@example.com',
        to: ['ops@example.com', 'dev@example.com'],
        ledgerKey: 'h~digest',
        now: T0,
        since: T0 - HOUR,
        nextAt: T0 + HOUR,
        digestMinutes: 60,
      },
    );

    // Assert
    expect(email.subject).toBe(
      '[health] insights-export-alerts: 1 export failing, 1 invalid rule, 1 alert not sent, 1 configuration problem',
    );
    expect(email.to).toEqual(['ops@example.com', 'dev@example.com']);
    expect(email.customArgs).toEqual({ ledgerKey: 'h~digest', rule: '#health/digest' });
    expect(email.text).toBe(
      [
        'HEALTH DIGEST',
        'insights-export-alerts: what went wrong',
        '1 export failing, 1 invalid rule, 1 alert not sent, 1 configuration problem',
        '='.repeat(60),
        '',
        'What went wrong in the app itself since 2024-03-05 12:10:00 UTC. Each item is listed in one digest only.',
        '',
        'Exports this app failed to read',
        '  - shop AppRequests (diagnostic settings): 4 failed tries; the last at 2024-03-05 13:07:00 UTC on insights-logs-apprequests/resourceId=/x/PT1H.json: storage refused the request (HTTP 500) RequestId: 1',
        '',
        'Rules that do not compile (skipped until fixed; rules validate)',
        "  - shop/slow: Threshold must be a whole number, found 'x'",
        '',
        'Alerts that will not be sent (refused by the mail provider or channel, or given up)',
        '  - 2024-03-05 13:09:00 UTC: rule shop/5xx, alert d~abc, blob shop_0f/Requests/a.blob: given up: unsent after 7 days (ALERT_RECORD_DAYS)',
        '',
        'Configuration',
        "  - container 'am-apprequests' (EXPORT_SCAN_CONTAINERS or EXPORT_CONTAINER) does not exist in the export account",
        '',
        '-- ',
        'The next digest comes no earlier than 2024-03-05 14:10:00 UTC (HEALTH_DIGEST_MINUTES=60), and only when there is something new.',
        '`export-alerts status` and `export-alerts alerts list --status rejected` show the current state.',
        'Sent by insights-export-alerts (health digest) at 2024-03-05 13:10:00 UTC. Times in UTC.',
        '',
      ].join('\n'),
    );
    expect(email.html).toContain(
      '<li style="margin:0 0 6px;word-break:break-word">shop/slow: Threshold must be a whole number, found &#39;x&#39;</li>',
    );
  });

  it('lists at most 50 items of a kind and counts the rest', async () => {
    // Arrange
    const rules = Array.from({ length: 53 }, (_, i) => ({ rule: `shop/r${i}`, problem: 'Query is required' }));

    // Act
    const email = composeHealthDigest(
      { failing: [], invalidRules: rules, rejected: { alerts: [], total: 0 }, configuration: [] },
      {
        from: 'a@example.com',
        to: ['b@example.com'],
        ledgerKey: 'k',
        now: T0,
        since: undefined,
        nextAt: T0 + HOUR,
        digestMinutes: 60,
      },
    );

    // Assert
    expect(email.subject).toBe('[health] insights-export-alerts: 53 invalid rules');
    expect(email.text).toContain('What went wrong in the app itself in the last 24 hours.');
    expect(email.text).toContain('  - shop/r49: Query is required\n  - and 3 more\n');
    expect(email.text).not.toContain('shop/r50');
  });
});

describe('the health digest in the notice layout', () => {
  const items = {
    failing: [],
    invalidRules: [{ rule: 'shop/<slow>', problem: 'Query is required' }],
    rejected: { alerts: [], total: 0 },
    configuration: [],
  };

  it('wears a neutral HEALTH DIGEST banner with what it counts, and no link', () => {
    // Act
    const { html } = composeHealthDigest(items, {
      from: 'a@example.com',
      to: ['b@example.com'],
      ledgerKey: 'k',
      now: T0,
      since: T0 - HOUR,
      nextAt: T0 + HOUR,
      digestMinutes: 60,
    });

    // Assert
    expect(html).toContain('<tr><td bgcolor="#605e5c"');
    expect(html).toContain('letter-spacing:1px">HEALTH DIGEST</div>');
    expect(html).toContain('word-break:break-word">1 invalid rule</div>');
    expect(html).toContain('>shop/&lt;slow&gt;: Query is required</li>');
    expect(html).not.toMatch(/<a\b|href=/);
  });

  it('writes its times in ALERT_TIME_ZONE', () => {
    // Act
    const { text } = composeHealthDigest(items, {
      from: 'a@example.com',
      to: ['b@example.com'],
      ledgerKey: 'k',
      now: T0,
      since: T0 - HOUR,
      nextAt: T0 + HOUR,
      digestMinutes: 60,
      timeZone: 'America/New_York',
    });

    // Assert: 13:10 UTC is 08:10 EST
    expect(text).toContain('What went wrong in the app itself since 2024-03-05 07:10:00 EST.');
    expect(text).toContain('no earlier than 2024-03-05 09:10:00 EST (HEALTH_DIGEST_MINUTES=60)');
    expect(text).toContain('(health digest) at 2024-03-05 08:10:00 EST. Times in America/New_York.\n');
  });
});
