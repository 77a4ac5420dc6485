interface Registration {
  readonly name: string;
  readonly bindings: Record<string, { type: string; schedule?: string }>;
}

/**
 * Loads functions/retentionSweep.ts the way the worker does, against a stand-in for the host's
 * `@azure/functions-core` that records what the real library registers.
 */
function loadWith(settings: Record<string, string>): { registered: Registration[]; errors: string[] } {
  const registered: Registration[] = [];
  const errors: string[] = [];
  const saved = { ...process.env };
  const consoleError = jest
    .spyOn(console, 'error')
    .mockImplementation((message: unknown) => void errors.push(String(message)));
  Object.assign(process.env, settings);
  try {
    jest.isolateModules(() => {
      jest.doMock(
        '@azure/functions-core',
        () => ({
          setProgrammingModel: () => {},
          registerHook: () => ({ dispose: () => {} }),
          log: () => {},
          registerFunction: (metadata: Registration) => void registered.push(metadata),
        }),
        { virtual: true },
      );
      require('../../../functions/retentionSweep');
    });
  } finally {
    for (const key of Object.keys(settings)) delete process.env[key];
    Object.assign(process.env, saved);
    consoleError.mockRestore();
  }
  return { registered, errors };
}

describe('retentionSweep registration', () => {
  it('registers the timer on the schedule the checked settings name', () => {
    // Act
    const { registered, errors } = loadWith({ RETENTION_SCHEDULE: '0 30 3 * * *' });

    // Assert
    expect(registered.map((r) => r.name)).toEqual(['retentionSweep']);
    expect(Object.values(registered[0]?.bindings ?? {})).toContainEqual(
      expect.objectContaining({ type: 'timerTrigger', schedule: '0 30 3 * * *' }),
    );
    expect(errors).toEqual([]);
  });

  it('registers nothing on a bad setting and reports every problem in one message', () => {
    // Act
    const { registered, errors } = loadWith({
      RETENTION_SCHEDULE: 'x y z a b c',
      RETENTION_DAYS: '0.0001',
      MAIL_TRANSPORT: 'smtp',
    });

    // Assert
    expect(registered).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^invalid app settings: functions [\w, ]*retentionSweep[\w, ]* are not registered until they are fixed:\n/,
    );
    expect(errors[0]).toContain("- RETENTION_DAYS must be a whole number of days from 1 to 36500, found '0.0001'");
    expect(errors[0]).toContain(
      "- RETENTION_SCHEDULE must be a six-field NCRONTAB expression like '0 0 * * * *': 'x y z a b c'",
    );
    expect(errors[0]).toContain("- MAIL_TRANSPORT must be sendgrid or outbox (any case), found 'smtp'");
    expect(errors[0]).toContain('exportBlobReceived');
  });
});
