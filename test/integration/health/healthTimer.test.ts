import { InvocationContext, type Timer } from '@azure/functions';

import { runCli } from '../../../cli/main';
import { alertMaintenanceHandler, type MaintenanceRun } from '../../../functions/alertMaintenance';
import { loadConfig } from '../../../shared/adapters/settings/config';
import { tableClientFrom } from '../../../shared/adapters/storage/clients';
import { TableAlertBook } from '../../../shared/adapters/storage/tableAlertBook';
import { TableExportStatus } from '../../../shared/adapters/storage/tableExportStatus';
import type { ServiceOverrides } from '../../../shared/composition/appServices';
import type { AlertRecord } from '../../../shared/core/alerts/alertRecord';
import { MailSendError } from '../../../shared/core/errors';
import type { SourceHealthReader } from '../../../shared/core/health/sourceHealth';
import type { AlertEmail } from '../../../shared/core/mail/alertEmail';
import type { Mailer, SendReceipt } from '../../../shared/core/mail/mailer';
import type { DeliveredActivity, ExportSource, FailedActivity } from '../../../shared/core/status/exportActivity';
import { testConnectionString, uniqueName } from '../../harness/storage';

// The export watchdog and the health digest as the Functions host runs them: steps of the
// alertMaintenance timer, through its real handler, on Azurite (issue 15 §5).

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2024, 2, 5, 13, 10);
const TIMER: Timer = {
  isPastDue: false,
  schedule: { adjustForDST: false },
  scheduleStatus: { last: '', next: '', lastUpdated: '' },
};

function settings(extra: Record<string, string> = {}): Record<string, string> {
  const name = uniqueName('').replace(/[^a-z0-9]/g, '');
  return {
    AzureWebJobsStorage: testConnectionString(),
    ALERT_RULES_TABLE: `rules${name}`,
    ALERT_STATE_TABLE: `state${name}`,
    EXPORT_STATUS_TABLE: `status${name}`,
    MAIL_TRANSPORT: 'outbox',
    HEALTH_ALERT_RECIPIENTS: 'ops@example.com',
    ...extra,
  };
}

/** A mailer that keeps what it delivered, and fails on cue as SendGrid does (503: retryable). */
class RecordingMailer implements Mailer {
  readonly delivered: AlertEmail[] = [];
  failures = 0;

  async send(email: AlertEmail): Promise<SendReceipt> {
    if (this.failures > 0) {
      this.failures--;
      throw new MailSendError('SendGrid answered 503', { status: 503, retryable: true, attempts: 1 });
    }
    this.delivered.push(email);
    return { provider: 'sendgrid', requests: 1, messageIds: [`m${this.delivered.length}`], acceptedBatches: [0] };
  }
}

class World {
  clock = T0;
  readonly mailer = new RecordingMailer();
  readonly env: Record<string, string>;
  readonly status: TableExportStatus;
  sources: SourceHealthReader | undefined;

  constructor(extra: Record<string, string> = {}) {
    this.env = settings(extra);
    this.status = new TableExportStatus(tableClientFrom(testConnectionString(), this.env['EXPORT_STATUS_TABLE'] ?? ''));
  }

  overrides(): ServiceOverrides {
    return { mailer: this.mailer, now: () => this.clock, ...(this.sources ? { exportSources: this.sources } : {}) };
  }

  /** One tick of the timer, with its log lines; a failing tick's error is returned, not thrown. */
  async tick(): Promise<{ run?: MaintenanceRun; error?: string; logs: string[] }> {
    const logs: string[] = [];
    const handler = alertMaintenanceHandler(this.overrides(), loadConfig(this.env));
    const context = new InvocationContext({
      functionName: 'alertMaintenance',
      logHandler: (level, ...args) => logs.push(`${level}: ${args.join(' ')}`),
    });
    try {
      return { run: await handler(TIMER, context), logs };
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error), logs };
    }
  }

  /** Deliveries of an app and type every 30 minutes for 25 hours up to `last`: a steady export. */
  async steady(app: string, type: string, source: ExportSource, last: number): Promise<void> {
    for (let at = last - 25 * HOUR; at <= last; at += 30 * MIN)
      await this.status.noteDelivered(delivered(app, type, source, at));
  }

  /** The health partitions of the alert book: [PartitionKey, Kind, Status or State, Rule or app and type]. */
  async healthEntities(): Promise<string[][]> {
    const table = tableClientFrom(testConnectionString(), this.env['ALERT_STATE_TABLE'] ?? '');
    const rows: string[][] = [];
    for await (const e of table.listEntities<Record<string, string>>())
      if (e.partitionKey?.startsWith('%23health'))
        rows.push(
          e['Kind'] === 'watch'
            ? [e.partitionKey, 'watch', e['State'] ?? '', `${e['App']} ${e['Type']}`]
            : [e.partitionKey, e['Kind'] ?? '', e['Status'] ?? '', e['Rule'] ?? ''],
        );
    return rows.sort((a, b) => a.join().localeCompare(b.join()));
  }

  book(): TableAlertBook {
    return new TableAlertBook(tableClientFrom(testConnectionString(), this.env['ALERT_STATE_TABLE'] ?? ''));
  }
}

function delivered(app: string, type: string, source: ExportSource, at: number): DeliveredActivity {
  return {
    kind: 'delivered',
    app,
    type,
    source,
    blob: `insights-logs-${type.toLowerCase()}/resourceId=/SUBSCRIPTIONS/S/PROVIDERS/MICROSOFT.INSIGHTS/COMPONENTS/${app.toUpperCase()}/PT1H.json`,
    version: `bytes=0-${at % 100_000}`,
    at,
    records: 2,
    matches: 0,
    emails: 0,
  };
}

function failedTry(at: number): FailedActivity {
  return {
    kind: 'failed',
    app: 'shopfront-prod',
    type: 'Requests',
    source: 'continuousExport',
    blob: 'shopfront-prod_0f1e/Requests/2024-03-05/13/edge.blob',
    version: '"0x8DC"',
    at,
    error: '1 alert e-mail could not be sent: SendGrid answered 503',
    poisonable: true,
  };
}

/** An alert record as a delivery leaves it, before its send. */
function alertRecord(recordKey: string, at: number): AlertRecord {
  return {
    ruleKey: 'shop/checkout-5xx',
    recordKey,
    groupKey: '',
    blobName: 'shop_0f1e/Requests/2024-03-05/13/a.blob',
    deliveryId: recordKey,
    status: 'sending',
    recordedAt: at,
    leaseUntil: at + 5 * MIN,
    attempts: 1,
    acceptedBatches: [],
    email: {
      from: 'alerts@example.com',
      to: ['oncall@example.com'],
      subject: '[Sev2] checkout-5xx: 3 requests in shop',
      text: 'text',
      html: '<p>html</p>',
      customArgs: { ledgerKey: recordKey },
      headers: { 'X-Alert-Ledger-Key': recordKey },
    },
  };
}

const STOPPED = '[export stopped] shop AppRequests (diagnostic settings): no data since 12:40 UTC';

describe('alertMaintenance runs the export watchdog (Azurite)', () => {
  it('e-mails once when a steady export stops and once when it flows again, keeping state only while it matters', async () => {
    // Arrange: shop's AppRequests delivered every 30 minutes for a day, the last at 12:40
    const w = new World();
    await w.steady('shop', 'AppRequests', 'diagnosticSettings', T0 - 30 * MIN);

    // Act: ticks at 13:10 and 13:11; data at 15:00; ticks at 15:01 and 15:02
    const stopped = await w.tick();
    const whileStopped = await w.healthEntities();
    const listed: string[] = [];
    await runCli(
      ['alerts', 'list', '--rule', '#health/watchdog', '--connection', testConnectionString()],
      { out: (l) => listed.push(l), err: (l) => listed.push(l) },
      { env: w.env, now: () => new Date(w.clock) },
    );
    w.clock += MIN;
    const quiet = await w.tick();
    await w.status.noteDelivered(delivered('shop', 'AppRequests', 'diagnosticSettings', T0 + 110 * MIN));
    w.clock = T0 + 111 * MIN;
    const resumed = await w.tick();
    w.clock += MIN;
    const after = await w.tick();
    const afterResumed = await w.healthEntities();

    // Assert
    expect(whileStopped).toEqual([
      ['%23health%2Fwatchdog', 'record', 'sent', '#health/watchdog'],
      ['%23health%2Fwatchdog', 'watch', 'stopped', 'shop AppRequests'],
    ]);
    expect(listed.slice(1)).toEqual([
      expect.stringMatching(
        /^2024-03-05 13:10:00 {2}#health\/watchdog {2}\(all\) {2}- +sent +ops@example\.com +h~\S+ +sendgrid:m1$/,
      ),
      '1 alert in the last 24 h for rule #health/watchdog: 1 sent',
    ]);
    expect(afterResumed).toEqual([
      ['%23health%2Fwatchdog', 'record', 'sent', '#health/watchdog'],
      ['%23health%2Fwatchdog', 'record', 'sent', '#health/watchdog'],
      ['%23health%2Fwatchdog', 'watch', 'resumed', 'shop AppRequests'],
    ]);
    expect(stopped.run?.watchdog).toMatchObject({ sources: 1, watched: 1, stopped: 1, emails: { sent: 1 } });
    expect(stopped.logs).toContainEqual(
      'information: export watchdog: 1 export, 1 watched, 0 delivering but not watched (not steady, or ignored); stopped 1, flowing again 0, recorded by another run 0; e-mails sent 1, failed 0 (retried by alert maintenance), refused 0',
    );
    expect(quiet.run?.watchdog).toMatchObject({ stopped: 0, resumed: 0, emails: { sent: 0 } });
    expect(resumed.run?.watchdog).toMatchObject({ resumed: 1, emails: { sent: 1 } });
    expect(after.run?.watchdog).toMatchObject({ stopped: 0, resumed: 0, emails: { sent: 0 } });
    expect(w.mailer.delivered.map((e) => e.subject)).toEqual([
      STOPPED,
      '[export flowing again] shop AppRequests (diagnostic settings) after 2 h 20 min',
    ]);
    expect(w.mailer.delivered.map((e) => e.to)).toEqual([['ops@example.com'], ['ops@example.com']]);
  });

  it('sends one e-mail when two timers tick at once', async () => {
    // Arrange
    const w = new World();
    await w.steady('shop', 'AppRequests', 'diagnosticSettings', T0 - 30 * MIN);

    // Act
    const ticks = await Promise.all([w.tick(), w.tick(), w.tick()]);

    // Assert
    expect(ticks.map((t) => t.error)).toEqual([undefined, undefined, undefined]);
    expect(ticks.reduce((n, t) => n + (t.run?.watchdog?.stopped ?? 0), 0)).toBe(1);
    expect(w.mailer.delivered.map((e) => e.subject)).toEqual([STOPPED]);
  });

  it('retries a failed e-mail at the next tick, through the alert re-drive, and sends it once', async () => {
    // Arrange: SendGrid fails the first try
    const w = new World();
    await w.steady('shop', 'AppRequests', 'diagnosticSettings', T0 - 30 * MIN);
    w.mailer.failures = 1;

    // Act
    const first = await w.tick();
    w.clock += 5 * MIN;
    const second = await w.tick();

    // Assert
    expect(first.run?.watchdog).toMatchObject({ stopped: 1, emails: { sent: 0, failed: 1 } });
    expect(second.run).toMatchObject({ open: 1, sent: 1, watchdog: { stopped: 0, emails: { sent: 0 } } });
    expect(w.mailer.delivered.map((e) => e.subject)).toEqual([STOPPED]);
  });

  it('writes the stop e-mail in ALERT_TIME_ZONE, in the notice layout', async () => {
    // Arrange
    const w = new World({ ALERT_TIME_ZONE: 'Europe/Berlin' });
    await w.steady('shop', 'AppRequests', 'diagnosticSettings', T0 - 30 * MIN);

    // Act
    await w.tick();

    // Assert: 12:40 UTC is 13:40 CET
    const [email] = w.mailer.delivered;
    expect(email?.subject).toBe('[export stopped] shop AppRequests (diagnostic settings): no data since 13:40 CET');
    expect(email?.text).toContain('Last data:                 2024-03-05 13:40:00 CET (30 min ago)\n');
    expect(email?.html).toContain('letter-spacing:1px">EXPORT STOPPED</div>');
  });

  it('runs every step when one fails: a watchdog that cannot read the status still lets alerts and the digest go out', async () => {
    // Arrange: an alert left failed, a poisoned blob; the status reads fail once (the watchdog's read)
    const w = new World();
    const book = w.book();
    await book.insert(alertRecord('d~left', T0 - 10 * MIN));
    await book.markFailed(alertRecord('d~left', T0 - 10 * MIN), T0 - 9 * MIN, {
      error: 'SendGrid answered 503',
      permanent: false,
      acceptedBatches: [],
    });
    for (let i = 0; i < 5; i++) await w.status.noteFailed(failedTry(T0 - (5 - i) * MIN));
    let reads = 0;
    w.sources = {
      listSources: async () => {
        if (reads++ === 0) throw new Error('status table unreachable');
        return w.status.listSources();
      },
    };

    // Act
    const tick = await w.tick();

    // Assert: the tick fails with the watchdog's error, after the re-drive and the digest ran
    expect(tick.error).toBe('status table unreachable');
    expect(tick.logs).toContainEqual(
      'error: export watchdog failed (the other steps still ran): status table unreachable',
    );
    expect(tick.logs.some((l) => l.startsWith('information: alert maintenance: 1 open records; sent 1,'))).toBe(true);
    expect(tick.logs).toContainEqual('information: health digest: 1 export failing; e-mail sent');
    expect(w.mailer.delivered.map((e) => e.subject)).toEqual([
      '[Sev2] checkout-5xx: 3 requests in shop',
      '[health] insights-export-alerts: 1 export failing',
    ]);
  });
});

describe('alertMaintenance sends the health digest (Azurite)', () => {
  it('lists a poisoned blob, an invalid rule and a refused alert once, at most once per HEALTH_DIGEST_MINUTES', async () => {
    // Arrange: a blob poisoned at 13:05, a rule whose LastError the catalog wrote, an alert refused at 13:09
    const w = new World({ HEALTH_DIGEST_MINUTES: '30' });
    for (let i = 0; i < 5; i++) await w.status.noteFailed(failedTry(T0 - (5 - i) * MIN));
    await tableClientFrom(testConnectionString(), w.env['ALERT_RULES_TABLE'] ?? '').createTable();
    await tableClientFrom(testConnectionString(), w.env['ALERT_RULES_TABLE'] ?? '').createEntity({
      partitionKey: 'shop',
      rowKey: 'slow',
      Query: 'requests | where duration >',
      Recipients: 'dev@example.com',
      LastError: 'rule shop/slow: Query line 1, col 27: expected an expression',
    });
    const book = w.book();
    await book.insert(alertRecord('d~refused', T0 - 2 * MIN));
    await book.markFailed(alertRecord('d~refused', T0 - 2 * MIN), T0 - MIN, {
      error: 'SendGrid 400: The to array is required',
      permanent: true,
      acceptedBatches: [],
    });

    // Act: ticks at 13:10 and 13:20; another refusal at 13:25; a tick at 13:40
    const first = await w.tick();
    w.clock = T0 + 10 * MIN;
    const held = await w.tick();
    await book.insert(alertRecord('d~refused2', T0 + 14 * MIN));
    await book.markFailed(alertRecord('d~refused2', T0 + 14 * MIN), T0 + 15 * MIN, {
      error: 'given up: unsent after 7 days (ALERT_RECORD_DAYS)',
      permanent: true,
      acceptedBatches: [],
    });
    w.clock = T0 + 30 * MIN;
    const second = await w.tick();

    // Assert
    expect(first.run?.digest).toMatchObject({ outcome: 'recorded', items: 3 });
    expect(held.run?.digest).toEqual({ outcome: 'held', nextAt: T0 + 30 * MIN });
    expect(second.run?.digest).toMatchObject({ outcome: 'recorded', items: 1 });
    expect(w.mailer.delivered.map((e) => e.subject)).toEqual([
      '[health] insights-export-alerts: 1 export failing, 1 invalid rule, 1 alert not sent',
      '[health] insights-export-alerts: 1 alert not sent',
    ]);
    const [digest, next] = w.mailer.delivered.map((e) => e.text);
    expect(digest).toContain(
      '  - shopfront-prod Requests (Continuous Export): 5 failed tries (1 blob poisoned: given up by the host); the last at 2024-03-05 13:09:00 UTC on shopfront-prod_0f1e/Requests/2024-03-05/13/edge.blob: 1 alert e-mail could not be sent: SendGrid answered 503; last poisoned: shopfront-prod_0f1e/Requests/2024-03-05/13/edge.blob at 2024-03-05 13:09:00 UTC\n',
    );
    // The rule's LastError as the catalog wrote it (the maintenance timer's RESOLVED step loads the rules too).
    expect(digest).toMatch(/\n {2}- shop\/slow: Query line 1, col \d+: [^\n]+\n/);
    expect(digest).toContain(
      '  - 2024-03-05 13:09:00 UTC: rule shop/checkout-5xx, alert d~refused, blob shop_0f1e/Requests/2024-03-05/13/a.blob: SendGrid 400: The to array is required\n',
    );
    expect(next).toContain(
      '  - 2024-03-05 13:25:00 UTC: rule shop/checkout-5xx, alert d~refused2, blob shop_0f1e/Requests/2024-03-05/13/a.blob: given up: unsent after 7 days (ALERT_RECORD_DAYS)\n',
    );
    expect(next).not.toContain('d~refused,');
  });

  it('says it is off while HEALTH_ALERT_RECIPIENTS is not set, and sends nothing', async () => {
    // Arrange
    const w = new World({ HEALTH_ALERT_RECIPIENTS: '' });
    await w.steady('shop', 'AppRequests', 'diagnosticSettings', T0 - 3 * HOUR);

    // Act
    const tick = await w.tick();

    // Assert
    expect(tick.run).not.toHaveProperty('watchdog');
    expect(tick.logs).toContainEqual(
      'information: export watchdog and health digest: off (HEALTH_ALERT_RECIPIENTS is not set)',
    );
    expect(w.mailer.delivered).toEqual([]);
  });
});
