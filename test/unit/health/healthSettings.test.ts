import { checkConfig } from '../../../shared/adapters/settings/config';

type Env = Record<string, string>;

function health(env: Env) {
  const checked = checkConfig(env);
  if (!checked.ok) throw new Error(`expected valid settings, got:\n${checked.error.message}`);
  return checked.value.health;
}

function problemsOf(env: Env): readonly string[] {
  const checked = checkConfig(env);
  if (checked.ok) throw new Error('expected the settings to be refused');
  return checked.error.problems;
}

describe('health settings', () => {
  it('are off with no recipients, and use the documented delays by default', () => {
    expect(health({})).toEqual({
      recipients: [],
      digestMinutes: 60,
      watch: {
        staleMinutes: { continuousExport: 120, diagnosticSettings: 30, dataExport: 60 },
        steadyHours: 24,
        ignore: [],
      },
    });
  });

  it('read every setting', () => {
    expect(
      health({
        HEALTH_ALERT_RECIPIENTS: 'ops@example.com; dev@example.com',
        HEALTH_DIGEST_MINUTES: '5',
        EXPORT_STALE_MINUTES_CONTINUOUS_EXPORT: '180',
        EXPORT_STALE_MINUTES_DIAGNOSTIC_SETTINGS: '15',
        EXPORT_STALE_MINUTES_DATA_EXPORT: '45',
        EXPORT_WATCH_STEADY_HOURS: '6',
        EXPORT_WATCH_IGNORE: 'Night-Batch, shop/AppTraces, shopfront-prod/Requests',
      }),
    ).toEqual({
      recipients: ['ops@example.com', 'dev@example.com'],
      digestMinutes: 5,
      watch: {
        staleMinutes: { continuousExport: 180, diagnosticSettings: 15, dataExport: 45 },
        steadyHours: 6,
        ignore: ['night-batch', 'shop/apptraces', 'shopfront-prod/requests'],
      },
    });
  });

  it.each([
    [
      'EXPORT_STALE_MINUTES alone sets every source',
      { EXPORT_STALE_MINUTES: '2' },
      { continuousExport: 2, diagnosticSettings: 2, dataExport: 2 },
    ],
    [
      'a source’s own setting wins over EXPORT_STALE_MINUTES',
      { EXPORT_STALE_MINUTES: '10', EXPORT_STALE_MINUTES_CONTINUOUS_EXPORT: '90' },
      { continuousExport: 90, diagnosticSettings: 10, dataExport: 10 },
    ],
    [
      'a blank EXPORT_STALE_MINUTES is no setting',
      { EXPORT_STALE_MINUTES: ' ' },
      { continuousExport: 120, diagnosticSettings: 30, dataExport: 60 },
    ],
  ])('%s', (_, env, staleMinutes) => {
    expect(health(env).watch.staleMinutes).toEqual(staleMinutes);
  });

  it('reports every bad value together, naming the setting, the value and what is allowed', () => {
    expect(
      problemsOf({
        HEALTH_ALERT_RECIPIENTS: 'ops@example.com, not-an-address',
        HEALTH_DIGEST_MINUTES: '0',
        EXPORT_STALE_MINUTES: '1h',
        EXPORT_STALE_MINUTES_DATA_EXPORT: '1381',
        EXPORT_WATCH_STEADY_HOURS: '25',
        EXPORT_WATCH_IGNORE: 'shop/Requestz, a/b/c, /AppTraces',
      }),
    ).toEqual([
      "EXPORT_STALE_MINUTES must be a whole number from 1 to 1380, found '1h'",
      "EXPORT_STALE_MINUTES_DATA_EXPORT must be a whole number from 1 to 1380, found '1381'",
      "HEALTH_ALERT_RECIPIENTS: invalid recipient address: 'not-an-address'",
      "HEALTH_DIGEST_MINUTES must be a whole number from 1 to 1440, found '0'",
      "EXPORT_WATCH_STEADY_HOURS must be a whole number from 1 to 24, found '25'",
      "EXPORT_WATCH_IGNORE: 'shop/Requestz' is not an app or app/type (a Continuous Export type such as Requests, or a table such as AppRequests)",
      "EXPORT_WATCH_IGNORE: 'a/b/c' is not an app or app/type (a Continuous Export type such as Requests, or a table such as AppRequests)",
      "EXPORT_WATCH_IGNORE: '/AppTraces' is not an app or app/type (a Continuous Export type such as Requests, or a table such as AppRequests)",
    ]);
  });
});
