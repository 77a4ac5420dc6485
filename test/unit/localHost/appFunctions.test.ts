import { appFunctions, resolveSettings } from '../../../local/appFunctions';
import { blobHostSettingsOf, readBlobHostSettings } from '../../../local/hostJson';
import { localHostSettings } from '../../../local/localSettings';

const STORAGE = 'UseDevelopmentStorage=true';

describe('the functions the local host runs: those the function files register', () => {
  it('takes names, the blob binding and the schedules from the registrations, resolved against the settings map', () => {
    // Arrange
    const settings = localHostSettings({
      AzureWebJobsStorage: STORAGE,
      EXPORT_CONTAINER: 'my-export',
      RETENTION_SCHEDULE: '0 30 2 * * *',
      ALERT_MAINTENANCE_SCHEDULE: '0 */7 * * * *',
      EXPORT_SCAN_SCHEDULE: '0 */3 * * * *',
    });

    // Act
    const app = appFunctions(settings);

    // Assert
    expect(app.blobs.map(({ handler: _, ...b }) => b)).toEqual([
      {
        name: 'exportBlobReceived',
        container: 'my-export',
        connectionSetting: 'EXPORT_STORAGE',
        connection: STORAGE,
        source: 'LogsAndContainerScan',
      },
    ]);
    expect(Object.fromEntries(app.timers.map((t) => [t.name, t.schedule]))).toEqual({
      alertMaintenance: '0 */7 * * * *',
      exportLogScan: '0 */3 * * * *',
      retentionSweep: '0 30 2 * * *',
    });
    expect(app.config.exportContainer).toBe('my-export');
  });

  it('registers no blob function with EXPORT_TRIGGER_SOURCE=Scan, and the Event Grid source when asked', () => {
    const scan = appFunctions(localHostSettings({ AzureWebJobsStorage: STORAGE, EXPORT_TRIGGER_SOURCE: 'Scan' }));
    const eventGrid = appFunctions(
      localHostSettings({ AzureWebJobsStorage: STORAGE, EXPORT_TRIGGER_SOURCE: 'EventGrid' }),
    );
    expect(scan.blobs).toEqual([]);
    expect(eventGrid.blobs.map((b) => b.source)).toEqual(['EventGrid']);
  });

  it('leaves process.env alone', () => {
    const before = { ...process.env };
    appFunctions(localHostSettings({ AzureWebJobsStorage: STORAGE, EXPORT_CONTAINER: 'elsewhere' }));
    expect(process.env).toEqual(before);
  });

  it('refuses invalid settings with every problem, registering nothing', () => {
    expect(() => appFunctions({ AzureWebJobsStorage: STORAGE, RETENTION_SCHEDULE: '0 0 * * *' })).toThrow(
      /RETENTION_SCHEDULE/,
    );
  });
});

describe('resolveSettings', () => {
  it.each([
    ['%EXPORT_CONTAINER%/{name}', { EXPORT_CONTAINER: 'export' }, 'export/{name}', []],
    ['%A%-%B%', { A: 'x', B: 'y' }, 'x-y', []],
    ['%MISSING%/{name}', {}, undefined, ["path: '%MISSING%' does not resolve to a value"]],
  ])('%s', (text, settings, expected, problems) => {
    const found: string[] = [];
    expect(resolveSettings(text, settings, 'path', found)).toBe(expected);
    expect(found).toEqual(problems);
  });
});

describe('host.json', () => {
  it('gives the app’s poison threshold and blob concurrency', () => {
    expect(readBlobHostSettings()).toEqual({ poisonBlobThreshold: 5, maxDegreeOfParallelism: 4 });
  });

  it('falls back to the host’s defaults for what it leaves out', () => {
    const settings = blobHostSettingsOf('{"version":"2.0","extensions":{"blobs":{"poisonBlobThreshold":2}}}');
    expect(settings.poisonBlobThreshold).toBe(2);
    expect(settings.maxDegreeOfParallelism).toBeGreaterThanOrEqual(8);
  });

  it('names the file when it is not JSON', () => {
    expect(() => blobHostSettingsOf('{', '/app/host.json')).toThrow(/^\/app\/host\.json is not JSON: /);
  });
});
