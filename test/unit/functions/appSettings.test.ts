import { describeUnregistered, registrationGate } from '../../../functions/appSettings';
import { type AppConfig, checkConfig } from '../../../shared/adapters/settings/config';
import { ConfigError } from '../../../shared/core/errors';
import { fail } from '../../../shared/core/result';

const BAD = fail(
  new ConfigError([
    "EXPORT_TRIGGER_SOURCE must be LogsAndContainerScan or EventGrid (any case), found 'Polling'",
    "RETENTION_DAYS must be a whole number of days from 1 to 36500, found '0x1E'",
  ]),
);

function gateWith(settings: ReturnType<typeof checkConfig>, functionNames: readonly string[] = []) {
  const reports: string[] = [];
  const gate = registrationGate(settings, { report: (m) => reports.push(m), functionNames: () => functionNames });
  return { gate, reports };
}

describe('registrationGate', () => {
  it('registers every function with the checked configuration when the settings are valid', () => {
    // Arrange
    const settings = checkConfig({ RETENTION_SCHEDULE: '0 15 2 * * *' });
    const { gate, reports } = gateWith(settings);
    const registered: [string, AppConfig][] = [];

    // Act
    gate('exportBlobReceived', (config) => registered.push(['exportBlobReceived', config]));
    gate('retentionSweep', (config) => registered.push(['retentionSweep', config]));

    // Assert
    expect(registered.map(([name]) => name)).toEqual(['exportBlobReceived', 'retentionSweep']);
    expect(registered[1]?.[1].retention.schedule).toBe('0 15 2 * * *');
    expect(reports).toEqual([]);
  });

  it('registers nothing on invalid settings and reports once, naming every setting and every function', () => {
    // Arrange
    const { gate, reports } = gateWith(BAD, ['alertMaintenance', 'exportBlobReceived', 'retentionSweep']);
    const registered: string[] = [];

    // Act
    gate('exportBlobReceived', () => registered.push('exportBlobReceived'));
    gate('retentionSweep', () => registered.push('retentionSweep'));
    gate('alertMaintenance', () => registered.push('alertMaintenance'));

    // Assert
    expect(registered).toEqual([]);
    expect(reports).toHaveLength(1);
    expect(reports[0]?.split('\n').slice(0, 3)).toEqual([
      'invalid app settings: functions alertMaintenance, exportBlobReceived, retentionSweep are not registered until they are fixed:',
      "- EXPORT_TRIGGER_SOURCE must be LogsAndContainerScan or EventGrid (any case), found 'Polling'",
      "- RETENTION_DAYS must be a whole number of days from 1 to 36500, found '0x1E'",
    ]);
  });

  it('names the function being registered even when the listing misses it', () => {
    const { gate, reports } = gateWith(BAD, ['retentionSweep']);
    gate('exportBlobReceived', () => {});
    expect(reports[0]).toMatch(
      /^invalid app settings: functions exportBlobReceived, retentionSweep are not registered/,
    );
  });
});

describe('describeUnregistered', () => {
  it('says why leaving the functions unregistered loses and poisons nothing', () => {
    // Act
    const text = describeUnregistered(BAD.error, ['exportBlobReceived']);

    // Assert
    expect(text).toContain('no blob is tried, retried or poisoned, and retention deletes nothing');
    expect(text).toContain('the host keeps no receipt for a blob no function saw');
    expect(text).toContain('its startup scan processes every blob that arrived meanwhile');
  });
});

describe('appSettings', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  });

  it('is checked once, from process.env when the module loads, and frozen', () => {
    // Arrange
    process.env['EXPORT_TRIGGER_SOURCE'] = 'eventgrid';
    let loaded: typeof import('../../../functions/appSettings') | undefined;

    // Act
    jest.isolateModules(() => {
      loaded = require('../../../functions/appSettings') as typeof import('../../../functions/appSettings');
    });
    process.env['EXPORT_TRIGGER_SOURCE'] = 'Polling';

    // Assert
    const settings = loaded?.appSettings;
    expect(settings?.ok && settings.value.triggerSource).toBe('EventGrid');
    expect(settings?.ok && Object.isFrozen(settings.value)).toBe(true);
  });
});
