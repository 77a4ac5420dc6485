import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { type AppConfig, checkConfig, FUNCTION_TIMEOUT_MS, loadConfig } from '../../shared/adapters/settings/config';
import { ConfigError } from '../../shared/core/errors';

type Env = Record<string, string>;

/** Settings of a deployed app that pass every check; tests change one thing at a time. */
const DEPLOYED: Env = {
  WEBSITE_INSTANCE_ID: 'a1b2c3',
  AzureWebJobsStorage: 'UseDevelopmentStorage=true',
  SENDGRID_API_KEY: 'SG.fake-key',
};

function problemsOf(env: Env): readonly string[] {
  const checked = checkConfig(env);
  if (checked.ok) throw new Error('expected the settings to be refused');
  return checked.error.problems;
}

function valid(env: Env): AppConfig {
  const checked = checkConfig(env);
  if (!checked.ok) throw new Error(`expected valid settings, got:\n${checked.error.message}`);
  return checked.value;
}

describe('checkConfig', () => {
  it('uses the defaults when nothing is set', () => {
    expect(valid({})).toEqual({
      exportContainer: 'export',
      triggerSource: 'LogsAndContainerScan',
      maxLineBytes: 4 * 1024 * 1024,
      rulesPrefilter: true,
      maxBlobBytes: 268_435_456,
      maxItemsPerRow: 10_000,
      maxEmailsPerRule: 10,
      maxEmailsPerRecipientPerHour: 60,
      alertRecordDays: 7,
      maintenanceSchedule: '0 * * * * *',
      exportConnection: undefined,
      rulesConnection: undefined,
      rulesTable: 'AlertRules',
      rulesCacheMs: 60_000,
      stateConnection: undefined,
      stateTable: 'AlertState',
      ledgerTable: 'AlertLedger',
      statusTable: 'ExportStatus',
      ledgerLeaseMs: 300_000,
      mail: {
        from: 'alerts@example.com',
        transport: 'outbox',
        sendGridApiKey: undefined,
        sendGridBaseUrl: undefined,
        outboxDir: undefined,
        requestTimeoutMs: 10_000,
        retryBudgetMs: 60_000,
      },
      retention: {
        policy: { defaultDays: 30, daysByType: {} },
        schedule: '0 0 * * * *',
        dryRun: true,
        maxDeletesPerRun: 50_000,
        maxSeconds: 240,
        batchConcurrency: 4,
        connection: undefined,
        container: 'export',
      },
      notice: { timeZone: 'UTC', appResourceIds: {} },
      channels: { targets: [] },
      health: {
        recipients: [],
        digestMinutes: 60,
        watch: {
          staleMinutes: { continuousExport: 120, diagnosticSettings: 30, dataExport: 60 },
          steadyHours: 24,
          ignore: [],
        },
      },
      scan: {
        schedule: '0 * * * * *',
        containers: [],
        cursorTable: 'ExportCursors',
        leaseMs: 300_000,
        maxRangeBytes: 64 * 1024 * 1024,
      },
    });
  });

  it('reads set values', () => {
    expect(
      valid({
        EXPORT_CONTAINER: 'telemetry',
        EXPORT_MAX_LINE_BYTES: '1024',
        AzureWebJobsStorage: 'UseDevelopmentStorage=true',
        ALERT_RULES_TABLE: 'MyRules',
        RULES_CACHE_SECONDS: '5',
        ALERT_MAX_EMAILS_PER_RULE: '1000',
        ALERT_RECORD_DAYS: '365',
        EXPORT_MAX_BLOB_BYTES: '1048576',
        EXPORT_MAX_ITEMS_PER_ROW: '50',
        ALERT_MAINTENANCE_SCHEDULE: '0 0 * * * *',
        RETENTION_DAYS: '90',
      }),
    ).toMatchObject({
      exportContainer: 'telemetry',
      maxLineBytes: 1024,
      exportConnection: 'UseDevelopmentStorage=true',
      rulesConnection: 'UseDevelopmentStorage=true',
      rulesTable: 'MyRules',
      rulesCacheMs: 5000,
      maxEmailsPerRule: 1000,
      alertRecordDays: 365,
      maxBlobBytes: 1_048_576,
      maxItemsPerRow: 50,
      maintenanceSchedule: '0 0 * * * *',
      retention: { policy: { defaultDays: 90 }, connection: 'UseDevelopmentStorage=true', container: 'telemetry' },
    });
  });

  it('reads the mail settings', () => {
    expect(
      valid({
        ALERT_EMAIL_FROM: 'ops@shop.example',
        SENDGRID_API_KEY: 'k',
        OUTBOX_DIR: '/tmp/o',
        SENDGRID_REQUEST_TIMEOUT_SECONDS: '5',
        SENDGRID_BASE_URL: 'http://127.0.0.1:3000',
      }).mail,
    ).toEqual({
      from: 'ops@shop.example',
      transport: 'sendgrid',
      sendGridApiKey: 'k',
      sendGridBaseUrl: 'http://127.0.0.1:3000',
      outboxDir: '/tmp/o',
      requestTimeoutMs: 5000,
      retryBudgetMs: 60_000,
    });
  });

  it('prefers ALERT_RULES_STORAGE over AzureWebJobsStorage for the rules table', () => {
    expect(valid({ AzureWebJobsStorage: 'a', ALERT_RULES_STORAGE: 'b' }).rulesConnection).toBe('b');
  });

  it('returns a configuration frozen all the way down', () => {
    // Act
    const config = valid({ RETENTION_DAYS_Requests: '7' });

    // Assert
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.mail)).toBe(true);
    expect(Object.isFrozen(config.retention)).toBe(true);
    expect(Object.isFrozen(config.retention.policy.daysByType)).toBe(true);
  });

  describe('EXPORT_TRIGGER_SOURCE', () => {
    it.each([
      ['EventGrid', 'EventGrid'],
      ['eventgrid', 'EventGrid'],
      [' EVENTGRID ', 'EventGrid'],
      ['LogsAndContainerScan', 'LogsAndContainerScan'],
      ['logsandcontainerscan', 'LogsAndContainerScan'],
    ])('reads %j as %s', (value, source) => {
      expect(valid({ EXPORT_TRIGGER_SOURCE: value }).triggerSource).toBe(source);
    });

    it.each(['Polling', 'Event Grid', ''])('refuses %j', (value) => {
      expect(problemsOf({ EXPORT_TRIGGER_SOURCE: value })).toEqual([
        `EXPORT_TRIGGER_SOURCE must be LogsAndContainerScan, EventGrid or Scan (any case), found '${value}'`,
      ]);
    });
  });

  describe('MAIL_TRANSPORT', () => {
    const NO_KEY_UNSET =
      'SENDGRID_API_KEY must be set when MAIL_TRANSPORT is sendgrid (MAIL_TRANSPORT is unset, which means sendgrid in a deployed app), found nothing; set it, or set MAIL_TRANSPORT=outbox to write .eml files instead';
    const NO_KEY_CHOSEN =
      'SENDGRID_API_KEY must be set when MAIL_TRANSPORT is sendgrid, found nothing; set it, or set MAIL_TRANSPORT=outbox to write .eml files instead';

    it.each<[string, Env, 'sendgrid' | 'outbox']>([
      ['locally, without a key, unset', {}, 'outbox'],
      ['locally, with a key, unset', { SENDGRID_API_KEY: 'SG.k' }, 'sendgrid'],
      ['locally, with a blank key, unset', { SENDGRID_API_KEY: '  ' }, 'outbox'],
      ['locally, with a key, outbox chosen', { SENDGRID_API_KEY: 'SG.k', MAIL_TRANSPORT: 'outbox' }, 'outbox'],
      [
        'locally, with an outbox folder and a key, unset',
        { SENDGRID_API_KEY: 'SG.k', OUTBOX_DIR: './mail' },
        'sendgrid',
      ],
      ['deployed, with a key, unset', DEPLOYED, 'sendgrid'],
      ['deployed, with a key, SendGrid chosen in capitals', { ...DEPLOYED, MAIL_TRANSPORT: 'SendGrid' }, 'sendgrid'],
      [
        'deployed, without a key, outbox chosen explicitly',
        { WEBSITE_INSTANCE_ID: 'a1', AzureWebJobsStorage: 'x', MAIL_TRANSPORT: 'outbox' },
        'outbox',
      ],
    ])('%s: %s', (_, env, transport) => {
      expect(valid(env).mail.transport).toBe(transport);
    });

    it.each<[string, Env, string]>([
      [
        'deployed without a key and MAIL_TRANSPORT unset',
        { WEBSITE_INSTANCE_ID: 'a1', AzureWebJobsStorage: 'x' },
        NO_KEY_UNSET,
      ],
      [
        'deployed with a blank key and an outbox folder, MAIL_TRANSPORT unset',
        { WEBSITE_INSTANCE_ID: 'a1', AzureWebJobsStorage: 'x', SENDGRID_API_KEY: '', OUTBOX_DIR: '/tmp/o' },
        NO_KEY_UNSET,
      ],
      ['sendgrid chosen locally without a key', { MAIL_TRANSPORT: 'sendgrid' }, NO_KEY_CHOSEN],
      [
        'an unknown transport',
        { MAIL_TRANSPORT: 'smtp' },
        "MAIL_TRANSPORT must be sendgrid or outbox (any case), found 'smtp'",
      ],
    ])('refuses %s', (_, env, problem) => {
      expect(problemsOf(env)).toEqual([problem]);
    });
  });

  it('refuses a deployed app without an export storage connection', () => {
    expect(problemsOf({ WEBSITE_INSTANCE_ID: 'a1', SENDGRID_API_KEY: 'SG.k' })).toEqual([
      'EXPORT_STORAGE (or AzureWebJobsStorage) must hold the export storage connection string or name its account (EXPORT_STORAGE__accountName), found neither',
    ]);
  });

  describe('whole-number settings', () => {
    it.each([
      ['ALERT_MAX_EMAILS_PER_RULE', '0', 'from 1 to 1000'],
      ['ALERT_MAX_EMAILS_PER_RULE', '1001', 'from 1 to 1000'],
      ['ALERT_MAX_EMAILS_PER_RULE', '2.5', 'from 1 to 1000'],
      ['ALERT_MAX_EMAILS_PER_RECIPIENT_PER_HOUR', '10001', 'from 1 to 10000'],
      ['ALERT_MAX_EMAILS_PER_RECIPIENT_PER_HOUR', '-1', 'from 1 to 10000'],
      ['ALERT_MAX_EMAILS_PER_RECIPIENT_PER_HOUR', '1.5', 'from 1 to 10000'],
      ['ALERT_RECORD_DAYS', '366', 'from 1 to 365'],
      ['ALERT_RECORD_DAYS', '0x1E', 'from 1 to 365'],
      ['SENDGRID_REQUEST_TIMEOUT_SECONDS', '0', 'at least 1'],
      ['SENDGRID_RETRY_BUDGET_SECONDS', '1e2', 'at least 1'],
      ['ALERT_LEASE_SECONDS', '-300', 'at least 1'],
    ])('refuses %s=%s', (key, value, allowed) => {
      expect(problemsOf({ [key]: value })).toEqual([`${key} must be a whole number ${allowed}, found '${value}'`]);
    });

    it.each(['1.5', 'abc', '0', '0x10', '1e3', '-3'])('refuses EXPORT_MAX_LINE_BYTES=%s', (value) => {
      expect(problemsOf({ EXPORT_MAX_LINE_BYTES: value })).toEqual([
        `EXPORT_MAX_LINE_BYTES must be a positive whole number, found '${value}'`,
      ]);
    });

    it.each(['EXPORT_MAX_BLOB_BYTES', 'EXPORT_MAX_ITEMS_PER_ROW', 'RULES_CACHE_SECONDS'])('refuses %s=0x1E', (key) => {
      expect(problemsOf({ [key]: '0x1E' })).toEqual([`${key} must be a positive whole number, found '0x1E'`]);
    });
  });

  it.each([
    ['', 60],
    ['0', 60],
    ['1', 1],
    ['10000', 10_000],
  ])('reads ALERT_MAX_EMAILS_PER_RECIPIENT_PER_HOUR=%s as %i (empty and 0: the default)', (value, expected) => {
    expect(valid({ ALERT_MAX_EMAILS_PER_RECIPIENT_PER_HOUR: value }).maxEmailsPerRecipientPerHour).toBe(expected);
  });

  describe('schedules', () => {
    it.each([
      [
        'ALERT_MAINTENANCE_SCHEDULE',
        'x y z a b c',
        "ALERT_MAINTENANCE_SCHEDULE must be a six-field NCRONTAB expression like '0 * * * * *': 'x y z a b c': second field 'x' is not a value, range or step within 0-59",
      ],
      [
        'RETENTION_SCHEDULE',
        'x y z a b c',
        "RETENTION_SCHEDULE must be a six-field NCRONTAB expression like '0 0 * * * *': 'x y z a b c': second field 'x' is not a value, range or step within 0-59",
      ],
      [
        'RETENTION_SCHEDULE',
        '0 * * * *',
        "RETENTION_SCHEDULE must be a six-field NCRONTAB expression like '0 0 * * * *': '0 * * * *' has 5 fields; NCRONTAB needs six: {second} {minute} {hour} {day} {month} {day-of-week}",
      ],
      [
        'RETENTION_SCHEDULE',
        '0 0 25 * * *',
        "RETENTION_SCHEDULE must be a six-field NCRONTAB expression like '0 0 * * * *': '0 0 25 * * *': hour field '25' is not a value, range or step within 0-23",
      ],
    ])('refuses %s=%j', (key, value, problem) => {
      expect(problemsOf({ [key]: value })).toEqual([problem]);
    });

    it('accepts month and weekday names', () => {
      expect(valid({ RETENTION_SCHEDULE: '0 30 2 * Jan-Mar Mon' }).retention.schedule).toBe('0 30 2 * Jan-Mar Mon');
    });
  });

  describe('the append-blob scanner', () => {
    it('reads the containers to scan, and refuses names that cannot be containers', () => {
      expect(valid({ EXPORT_SCAN_CONTAINERS: 'insights-logs-apprequests, am-appexceptions' }).scan.containers).toEqual([
        'insights-logs-apprequests',
        'am-appexceptions',
      ]);
      expect(problemsOf({ EXPORT_SCAN_CONTAINERS: 'am-AppRequests' })).toEqual([
        "EXPORT_SCAN_CONTAINERS: 'am-AppRequests' is not a container name (3-63 lower-case letters, digits and single hyphens)",
      ]);
    });

    it('refuses a range smaller than a MiB', () => {
      expect(problemsOf({ EXPORT_SCAN_MAX_RANGE_BYTES: '1000' })).toEqual([
        expect.stringMatching(/^EXPORT_SCAN_MAX_RANGE_BYTES must be a whole number/),
      ]);
    });
  });

  describe('cross-checks of the SendGrid timing settings', () => {
    it.each<[Env, string]>([
      [
        { SENDGRID_REQUEST_TIMEOUT_SECONDS: '60' },
        'SENDGRID_REQUEST_TIMEOUT_SECONDS (60) must be less than SENDGRID_RETRY_BUDGET_SECONDS (60), so a retry fits in the budget after a request that timed out',
      ],
      [
        { SENDGRID_RETRY_BUDGET_SECONDS: '300', EXPORT_SCAN_LEASE_SECONDS: '900' },
        'SENDGRID_RETRY_BUDGET_SECONDS (300) must be less than ALERT_LEASE_SECONDS (300), so no other worker takes over an alert while it is still being sent',
      ],
      [
        { SENDGRID_RETRY_BUDGET_SECONDS: '600', ALERT_LEASE_SECONDS: '900', EXPORT_SCAN_LEASE_SECONDS: '900' },
        'SENDGRID_RETRY_BUDGET_SECONDS (600) must be less than the function timeout (host.json functionTimeout, 600 s), so the host never stops a send midway',
      ],
      [
        { SENDGRID_RETRY_BUDGET_SECONDS: '120', EXPORT_SCAN_LEASE_SECONDS: '100' },
        'SENDGRID_RETRY_BUDGET_SECONDS (120) must be less than EXPORT_SCAN_LEASE_SECONDS (100), so no other scanner takes over a range while its alerts are still being sent',
      ],
    ])('refuses %j, naming both settings', (env, problem) => {
      expect(problemsOf(env)).toEqual([problem]);
    });

    it('accepts a budget between the request timeout and the lease', () => {
      expect(
        valid({
          SENDGRID_REQUEST_TIMEOUT_SECONDS: '20',
          SENDGRID_RETRY_BUDGET_SECONDS: '120',
          ALERT_LEASE_SECONDS: '600',
        }).mail,
      ).toMatchObject({
        requestTimeoutMs: 20_000,
        retryBudgetMs: 120_000,
      });
    });

    it('skips a cross-check whose setting is itself invalid, so each problem is reported once', () => {
      expect(problemsOf({ SENDGRID_RETRY_BUDGET_SECONDS: 'soon' })).toEqual([
        "SENDGRID_RETRY_BUDGET_SECONDS must be a whole number at least 1, found 'soon'",
      ]);
    });
  });

  it('rejects a table name the Table service would refuse', () => {
    expect(problemsOf({ ALERT_RULES_TABLE: 'alert-rules' })).toEqual([
      "ALERT_RULES_TABLE must be a table name (3-63 letters and digits, starting with a letter), found 'alert-rules'",
    ]);
  });

  it('rejects a SendGrid endpoint that is not a URL', () => {
    expect(problemsOf({ SENDGRID_BASE_URL: 'localhost:3000' })).toEqual([
      "SENDGRID_BASE_URL must be an http:// or https:// URL, found 'localhost:3000'",
    ]);
  });

  it('lists every invalid setting at once', () => {
    // Act
    const problems = problemsOf({
      WEBSITE_INSTANCE_ID: 'a1',
      AzureWebJobsStorage: 'UseDevelopmentStorage=true',
      EXPORT_CONTAINER: '  ',
      EXPORT_TRIGGER_SOURCE: 'Polling',
      ALERT_MAINTENANCE_SCHEDULE: 'x y z a b c',
      RETENTION_DAYS: '1e-300',
      RETENTION_DAYS_Requests: '0x1E',
      SENDGRID_REQUEST_TIMEOUT_SECONDS: '90',
    });

    // Assert
    expect(problems).toEqual([
      "EXPORT_CONTAINER is set but blank; remove it to use the default 'export'",
      "EXPORT_TRIGGER_SOURCE must be LogsAndContainerScan, EventGrid or Scan (any case), found 'Polling'",
      "ALERT_MAINTENANCE_SCHEDULE must be a six-field NCRONTAB expression like '0 * * * * *': 'x y z a b c': second field 'x' is not a value, range or step within 0-59",
      'SENDGRID_API_KEY must be set when MAIL_TRANSPORT is sendgrid (MAIL_TRANSPORT is unset, which means sendgrid in a deployed app), found nothing; set it, or set MAIL_TRANSPORT=outbox to write .eml files instead',
      "RETENTION_DAYS must be a whole number of days from 1 to 36500, found '1e-300'",
      "RETENTION_DAYS_Requests must be a whole number of days from 1 to 36500, found '0x1E'",
      'SENDGRID_REQUEST_TIMEOUT_SECONDS (90) must be less than SENDGRID_RETRY_BUDGET_SECONDS (60), so a retry fits in the budget after a request that timed out',
    ]);
  });
});

describe('loadConfig', () => {
  it('returns what checkConfig accepts', () => {
    expect(loadConfig(DEPLOYED)).toEqual(valid(DEPLOYED));
  });

  it('throws one ConfigError listing every problem', () => {
    // Act
    let error: unknown;
    try {
      loadConfig({ EXPORT_CONTAINER: '  ', EXPORT_MAX_LINE_BYTES: '-3' });
    } catch (e) {
      error = e;
    }

    // Assert
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      "EXPORT_CONTAINER is set but blank; remove it to use the default 'export'",
      "EXPORT_MAX_LINE_BYTES must be a positive whole number, found '-3'",
    ]);
  });
});

describe('FUNCTION_TIMEOUT_MS', () => {
  it('agrees with functionTimeout in host.json', () => {
    // Arrange
    const host = JSON.parse(readFileSync(join(__dirname, '../../host.json'), 'utf8')) as { functionTimeout?: unknown };
    const [hours, minutes, seconds] = String(host.functionTimeout).split(':').map(Number);

    // Assert
    expect(((hours ?? NaN) * 3600 + (minutes ?? NaN) * 60 + (seconds ?? NaN)) * 1000).toBe(FUNCTION_TIMEOUT_MS);
  });
});

describe('local.settings.example.json', () => {
  const example = (
    JSON.parse(readFileSync(join(__dirname, '../../local.settings.example.json'), 'utf8')) as { Values: Env }
  ).Values;

  it('passes every check and writes e-mail to the outbox', () => {
    expect(valid(example).mail).toMatchObject({ transport: 'outbox', outboxDir: './outbox' });
  });

  it('lists every setting the configuration reads', () => {
    // Arrange: record each key checkConfig asks for
    const read = new Set<string>();
    const recording = new Proxy(example, {
      get: (target, key) => {
        if (typeof key === 'string') read.add(key);
        return target[key as string];
      },
    });

    // Act
    checkConfig(recording);

    // Assert: WEBSITE_INSTANCE_ID is Azure's own; NAME__accountName and the like are the identity forms of a connection
    const missing = [...read].filter(
      (key) => key !== 'WEBSITE_INSTANCE_ID' && !key.includes('__') && !(key in example),
    );
    expect(read).toContain('SENDGRID_REQUEST_TIMEOUT_SECONDS');
    expect(missing).toEqual([]);
  });
});
