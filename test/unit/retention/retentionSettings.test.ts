import {
  DEFAULT_RETENTION_SCHEDULE,
  loadRetentionSettings,
  parseRetentionDays,
  retentionScheduleFrom,
} from '../../../shared/adapters/settings/retentionSettings';
import { ConfigError } from '../../../shared/core/errors';

const BASE = { EXPORT_STORAGE: 'UseDevelopmentStorage=true' };

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadRetentionSettings(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadRetentionSettings', () => {
  it('uses safe defaults when only the connection is set', () => {
    expect(loadRetentionSettings(BASE)).toEqual({
      policy: { defaultDays: 30, daysByType: {} },
      schedule: '0 0 * * * *',
      dryRun: true,
      maxDeletesPerRun: 50_000,
      maxSeconds: 240,
      batchConcurrency: 4,
      connection: 'UseDevelopmentStorage=true',
      container: 'export',
    });
  });

  it('reads per-type overrides, matching the type name case-insensitively', () => {
    // Act
    const { policy } = loadRetentionSettings({
      ...BASE,
      RETENTION_DAYS: '14',
      RETENTION_DAYS_Requests: '7',
      RETENTION_DAYS_exceptions: '90',
    });

    // Assert
    expect(policy).toEqual({ defaultDays: 14, daysByType: { Requests: 7, Exceptions: 90 } });
  });

  it('reads per-table overrides for the successor formats next to the per-type ones, matching the table case-insensitively', () => {
    // Act
    const { policy } = loadRetentionSettings({
      ...BASE,
      RETENTION_DAYS_Requests: '7',
      RETENTION_DAYS_AppRequests: '14',
      RETENTION_DAYS_appexceptions: '90',
    });

    // Assert
    expect(policy).toEqual({
      defaultDays: 30,
      daysByType: { Requests: 7 },
      daysByTable: { AppRequests: 14, AppExceptions: 90 },
    });
  });

  it('refuses the same table set twice under names that differ only in case', () => {
    expect(problemsOf({ ...BASE, RETENTION_DAYS_AppRequests: '7', RETENTION_DAYS_APPREQUESTS: '8' })).toEqual([
      'RETENTION_DAYS_AppRequests: retention for AppRequests is set twice (setting names differ only in case)',
    ]);
  });

  it('takes the successor containers to sweep from EXPORT_SCAN_CONTAINERS, and leaves them out when it is empty', () => {
    expect(
      loadRetentionSettings({ ...BASE, EXPORT_SCAN_CONTAINERS: ' insights-logs-apprequests, am-appevents ,' })
        .successorContainers,
    ).toEqual(['insights-logs-apprequests', 'am-appevents']);
    expect(loadRetentionSettings({ ...BASE, EXPORT_SCAN_CONTAINERS: ' ' })).not.toHaveProperty('successorContainers');
  });

  it('falls back to AzureWebJobsStorage when EXPORT_STORAGE is not set', () => {
    expect(loadRetentionSettings({ AzureWebJobsStorage: 'UseDevelopmentStorage=true' }).connection).toBe(
      'UseDevelopmentStorage=true',
    );
  });

  it.each([
    ['RETENTION_DRY_RUN', 'TRUE', { dryRun: true }],
    ['RETENTION_DRY_RUN', '0', { dryRun: false }],
    ['RETENTION_SCHEDULE', '0 */30 * * * *', { schedule: '0 */30 * * * *' }],
    ['RETENTION_MAX_DELETES_PER_RUN', '1000', { maxDeletesPerRun: 1000 }],
    ['EXPORT_CONTAINER', 'insights', { container: 'insights' }],
  ])('reads %s=%s', (key, value, expected) => {
    expect(loadRetentionSettings({ ...BASE, [key]: value })).toMatchObject(expected);
  });

  it.each([
    ['RETENTION_DAYS', '0'],
    ['RETENTION_DAYS', '-3'],
    ['RETENTION_DAYS', 'thirty'],
    ['RETENTION_DAYS', ''],
    ['RETENTION_DAYS', ' '],
    ['RETENTION_DAYS', '0.0001'],
    ['RETENTION_DAYS', '1e-300'],
    ['RETENTION_DAYS', '1e3'],
    ['RETENTION_DAYS', '0x1E'],
    ['RETENTION_DAYS', '30.0'],
    ['RETENTION_DAYS', '36501'],
    ['RETENTION_DAYS', 'Infinity'],
    ['RETENTION_DAYS_Requests', 'NaN'],
    ['RETENTION_DAYS_Requests', '7.5'],
  ])('refuses %s=%j', (key, value) => {
    expect(problemsOf({ ...BASE, [key]: value })).toEqual([
      `${key} must be a whole number of days from 1 to 36500, found '${value}'`,
    ]);
  });

  it.each([
    [
      'RETENTION_DAYS_Request',
      '7',
      "RETENTION_DAYS_Request: 'Request' is not an export telemetry type or a workspace table; use one of Requests, Exceptions, Event, Messages, Rdd, PageViews, PageViewPerformance, Availability, Metrics, PerformanceCounters (Continuous Export) or AppRequests, AppExceptions, AppEvents, AppTraces, AppDependencies, AppPageViews, AppBrowserTimings, AppAvailabilityResults, AppMetrics, AppPerformanceCounters (diagnostic settings, data export)",
    ],
    [
      'RETENTION_DAYS_AppRequest',
      '7',
      expect.stringContaining(
        "RETENTION_DAYS_AppRequest: 'AppRequest' is not an export telemetry type or a workspace table",
      ),
    ],
    [
      'RETENTION_DAYS_AppRequests',
      '7.5',
      "RETENTION_DAYS_AppRequests must be a whole number of days from 1 to 36500, found '7.5'",
    ],
    [
      'RETENTION_DAYS_AppTraces',
      '0x1E',
      "RETENTION_DAYS_AppTraces must be a whole number of days from 1 to 36500, found '0x1E'",
    ],
    ['RETENTION_DRY_RUN', 'yes', "RETENTION_DRY_RUN must be true or false, found 'yes'"],
    [
      'RETENTION_SCHEDULE',
      '0 * * * *',
      "RETENTION_SCHEDULE must be a six-field NCRONTAB expression like '0 0 * * * *': '0 * * * *' has 5 fields; NCRONTAB needs six: {second} {minute} {hour} {day} {month} {day-of-week}",
    ],
    [
      'RETENTION_SCHEDULE',
      'x y z a b c',
      "RETENTION_SCHEDULE must be a six-field NCRONTAB expression like '0 0 * * * *': 'x y z a b c': second field 'x' is not a value, range or step within 0-59",
    ],
    ['RETENTION_MAX_SECONDS', '1.5', "RETENTION_MAX_SECONDS must be a positive whole number, found '1.5'"],
    ['RETENTION_BATCH_CONCURRENCY', '65', "RETENTION_BATCH_CONCURRENCY must be at most 64, found '65'"],
  ])('refuses %s=%j', (key, value, message) => {
    expect(problemsOf({ ...BASE, [key]: value })).toEqual([message]);
  });

  it('lists every problem at once', () => {
    // Act
    const problems = problemsOf({
      RETENTION_DAYS: '0',
      RETENTION_DAYS_Exceptions: 'x',
      RETENTION_MAX_DELETES_PER_RUN: '-1',
    });

    // Assert
    expect(problems).toEqual([
      'EXPORT_STORAGE (or AzureWebJobsStorage) must hold the export storage connection string or name its account (EXPORT_STORAGE__accountName)',
      "RETENTION_DAYS must be a whole number of days from 1 to 36500, found '0'",
      "RETENTION_DAYS_Exceptions must be a whole number of days from 1 to 36500, found 'x'",
      "RETENTION_MAX_DELETES_PER_RUN must be a positive whole number, found '-1'",
    ]);
  });

  it('refuses the same type set twice under names that differ only in case', () => {
    expect(problemsOf({ ...BASE, RETENTION_DAYS_Requests: '7', RETENTION_DAYS_requests: '8' })).toEqual([
      'RETENTION_DAYS_requests: retention for Requests is set twice (setting names differ only in case)',
    ]);
  });
});

describe('parseRetentionDays', () => {
  it.each([
    ['30', 30],
    [' 30 ', 30],
    ['1', 1],
    ['36500', 36_500],
    ['007', 7],
  ])('reads %j as %d days', (raw, days) => {
    expect(parseRetentionDays(raw, '--days')).toBe(days);
  });

  it.each(['0.0001', '1e-300', '0x1E', ' ', '36501', '0'])('refuses %j, naming the flag', (raw) => {
    expect(parseRetentionDays(raw, '--days')).toBe(
      `--days must be a whole number of days from 1 to 36500, found '${raw}'`,
    );
  });
});

describe('retentionScheduleFrom', () => {
  it.each([
    [{}, DEFAULT_RETENTION_SCHEDULE],
    [{ RETENTION_SCHEDULE: 'x y z a b c' }, DEFAULT_RETENTION_SCHEDULE],
    [{ RETENTION_SCHEDULE: ' 0 15 2 * * * ' }, '0 15 2 * * *'],
    [{ RETENTION_SCHEDULE: 'hourly' }, DEFAULT_RETENTION_SCHEDULE],
  ])('registers %j as %s', (env, schedule) => {
    expect(retentionScheduleFrom(env)).toBe(schedule);
  });
});
