export {};

interface Registration {
  readonly name: string;
  readonly bindings: Record<string, { type: string; schedule?: string; source?: string }>;
}

const FUNCTION_FILES = ['exportBlobReceived', 'exportLogScan', 'alertMaintenance', 'retentionSweep'];

/** Loads every function file the way the worker does, against a stand-in for `@azure/functions-core`. */
function loadAll(settings: Record<string, string>): Registration[] {
  const registered: Registration[] = [];
  const saved = { ...process.env };
  const consoleError = jest.spyOn(console, 'error').mockImplementation(() => {});
  Object.assign(process.env, settings);
  try {
    jest.isolateModules(() => {
      jest.doMock(
        '@azure/functions-core',
        () => ({
          setProgrammingModel: () => {},
          registerHook: () => ({ dispose: () => {} }),
          log: () => {},
          registerFunction: (m: Registration) => void registered.push(m),
        }),
        { virtual: true },
      );
      for (const file of FUNCTION_FILES) require(`../../../functions/${file}`);
    });
  } finally {
    for (const key of Object.keys(settings)) delete process.env[key];
    Object.assign(process.env, saved);
    consoleError.mockRestore();
  }
  return registered;
}

describe('function registration', () => {
  it('registers the blob trigger, the scanner and both timers on their schedules', () => {
    const registered = loadAll({ EXPORT_SCAN_SCHEDULE: '0 */2 * * * *' });
    expect(registered.map((r) => r.name).sort()).toEqual([
      'alertMaintenance',
      'exportBlobReceived',
      'exportLogScan',
      'retentionSweep',
    ]);
    const scan = registered.find((r) => r.name === 'exportLogScan');
    expect(Object.values(scan?.bindings ?? {})).toContainEqual(
      expect.objectContaining({ type: 'timerTrigger', schedule: '0 */2 * * * *' }),
    );
  });

  it('leaves the blob trigger out with EXPORT_TRIGGER_SOURCE=Scan: the scanner follows the export container', () => {
    const registered = loadAll({ EXPORT_TRIGGER_SOURCE: 'Scan' });
    expect(registered.map((r) => r.name).sort()).toEqual(['alertMaintenance', 'exportLogScan', 'retentionSweep']);
  });

  it('registers the Event Grid source when asked', () => {
    const blob = loadAll({ EXPORT_TRIGGER_SOURCE: 'eventgrid' }).find((r) => r.name === 'exportBlobReceived');
    expect(Object.values(blob?.bindings ?? {})).toContainEqual(expect.objectContaining({ source: 'EventGrid' }));
  });
});
