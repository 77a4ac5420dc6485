import { InvocationContext, type Timer } from '@azure/functions';

import { retentionSweep, retentionSweepHandler } from '../../../functions/retentionSweep';
import { loadConfig } from '../../../shared/adapters/settings/config';
import { privateAzurite } from '../../harness/privateAzurite';
import { APP, hourBlobs, listNames, uploadAll } from './retentionFixtures';

const azurite = privateAzurite();
const testConnectionString = azurite.connectionString;
const createTestContainer = azurite.createContainer;

const RETENTION_KEYS = /^(RETENTION_|EXPORT_STORAGE$|EXPORT_CONTAINER$|MAIL_TRANSPORT$)/;

function timer(isPastDue = false): Timer {
  const at = new Date().toISOString();
  return { isPastDue, schedule: { adjustForDST: false }, scheduleStatus: { last: at, next: at, lastUpdated: at } };
}

function contextWith(logs: { level: string; text: string }[]): InvocationContext {
  return new InvocationContext({
    functionName: 'retentionSweep',
    logHandler: (level, ...args) => logs.push({ level, text: args.join(' ') }),
  });
}

/** Blobs this hour (kept under any window) and on 2020-01-01 (expired under any window up to years). */
function currentHourBlobs(): string[] {
  const now = new Date().toISOString();
  return hourBlobs(APP, 'Event', now.slice(0, 10), [Number(now.slice(11, 13))]);
}

describe('retentionSweep (timer)', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const key of Object.keys(process.env)) if (RETENTION_KEYS.test(key)) delete process.env[key];
    Object.assign(process.env, saved);
  });

  async function arrange(settings: Record<string, string>) {
    const container = await createTestContainer('retention');
    const expired = hourBlobs(APP, 'Event', '2020-01-01', [0, 1]);
    const kept = currentHourBlobs();
    await uploadAll(container, [...expired, ...kept]);
    Object.assign(process.env, {
      EXPORT_STORAGE: testConnectionString(),
      EXPORT_CONTAINER: container.containerName,
      RETENTION_DRY_RUN: 'false',
      ...settings,
    });
    return { container, expired, kept };
  }

  it('deletes expired blobs, logs one summary and returns it, also on a past-due tick', async () => {
    // Arrange
    const { container, kept } = await arrange({});
    const logs: { level: string; text: string }[] = [];

    // Act
    const summary = await retentionSweep(timer(true), contextWith(logs));

    // Assert
    expect(summary).toMatchObject({
      status: 'completed',
      dryRun: false,
      deleted: { blobs: 2 },
      expiredPrefixes: [`${APP}/Event/2020-01-01/`],
    });
    expect(await listNames(container)).toEqual(kept);
    expect(logs).toEqual([
      {
        level: 'information',
        text: expect.stringMatching(
          /^retention sweep at .*: 1 expired folder, deleted 2 blobs \(2 B\)[^]*\(past-due tick\)$/,
        ),
      },
    ]);
  });

  it('deletes nothing with RETENTION_DRY_RUN=true and lists what it would delete', async () => {
    const { container, expired, kept } = await arrange({ RETENTION_DRY_RUN: 'true' });
    const summary = await retentionSweep(timer(), contextWith([]));
    expect(summary).toMatchObject({ status: 'completed', dryRun: true, wouldDelete: expired });
    expect(await listNames(container)).toEqual([...expired, ...kept].sort());
  });

  it('refuses to run on invalid settings: logs every problem as an error and deletes nothing', async () => {
    // Arrange
    const { container, expired, kept } = await arrange({ RETENTION_DAYS: '0', RETENTION_DAYS_Exceptionz: '90' });
    const logs: { level: string; text: string }[] = [];

    // Act
    const summary = await retentionSweep(timer(), contextWith(logs));

    // Assert
    expect(summary).toEqual({
      status: 'refused',
      problems: [
        "RETENTION_DAYS must be a whole number of days from 1 to 36500, found '0'",
        expect.stringMatching(
          /^RETENTION_DAYS_Exceptionz: 'Exceptionz' is not an export telemetry type or a workspace table; use one of Requests, .* \(Continuous Export\) or AppRequests, .* \(diagnostic settings, data export\)$/,
        ),
      ],
    });
    expect(logs).toEqual([
      {
        level: 'error',
        text: expect.stringMatching(/^retention sweep refused, nothing deleted:\n- RETENTION_DAYS must/),
      },
    ]);
    expect(await listNames(container)).toEqual([...expired, ...kept].sort());
  });

  it('refuses a connection string it cannot use without echoing it', async () => {
    await arrange({});
    process.env['EXPORT_STORAGE'] = 'AccountKey=secret-looking-value';
    const logs: { level: string; text: string }[] = [];
    const summary = await retentionSweep(timer(), contextWith(logs));
    expect(summary).toEqual({
      status: 'refused',
      problems: ['EXPORT_STORAGE (or AzureWebJobsStorage) is not a usable connection string (Invalid URL)'],
    });
    expect(logs.map((l) => l.text).join('\n')).not.toContain('secret-looking-value');
  });

  it('refuses on a bad setting outside retention too: one invalid configuration deletes nothing', async () => {
    const { container, expired, kept } = await arrange({ MAIL_TRANSPORT: 'smtp' });
    const summary = await retentionSweep(timer(), contextWith([]));
    expect(summary).toEqual({
      status: 'refused',
      problems: ["MAIL_TRANSPORT must be sendgrid or outbox (any case), found 'smtp'"],
    });
    expect(await listNames(container)).toEqual([...expired, ...kept].sort());
  });
});

describe('retentionSweepHandler', () => {
  it('sweeps with the configuration it was built with, against the injected clock', async () => {
    // Arrange: the blobs of 2020-01-01 00:00-02:00; at 2020-01-02 a one-day window expires only the first hour
    const container = await createTestContainer('retention');
    const blobs = hourBlobs(APP, 'Event', '2020-01-01', [0, 1]);
    await uploadAll(container, blobs);
    const config = loadConfig({
      EXPORT_STORAGE: testConnectionString(),
      EXPORT_CONTAINER: container.containerName,
      RETENTION_DRY_RUN: 'false',
      RETENTION_DAYS: '1',
    });
    const handler = retentionSweepHandler(config, { now: () => new Date('2020-01-02T01:30:00Z') });
    const logs: { level: string; text: string }[] = [];

    // Act
    const summary = await handler(timer(), contextWith(logs));

    // Assert
    expect(summary).toMatchObject({ status: 'completed', deleted: { blobs: 1 } });
    expect(await listNames(container)).toEqual(blobs.filter((b) => b.includes('/01/')));
    expect(logs).toEqual([
      { level: 'information', text: expect.stringMatching(/^retention sweep at 2020-01-02T01:30:00.000Z: /) },
    ]);
  });

  it('refuses, deleting nothing, when the configuration names no export storage', async () => {
    const summary = await retentionSweepHandler(loadConfig({}))(timer(), contextWith([]));
    expect(summary).toEqual({
      status: 'refused',
      problems: [
        'EXPORT_STORAGE (or AzureWebJobsStorage) must hold the export storage connection string or name its account (EXPORT_STORAGE__accountName)',
      ],
    });
  });
});
