import { runCli } from '../../../cli/main';
import { privateAzurite } from '../../harness/privateAzurite';
import { APP, hourBlobs, listNames, OTHER, uploadAll } from './retentionFixtures';

const azurite = privateAzurite();
const testConnectionString = azurite.connectionString;
const createTestContainer = azurite.createContainer;

async function purge(args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['purge', ...args], { out: (l) => out.push(l), err: (l) => err.push(l) }, { env });
  return { code, out, err };
}

/** Expired under any window: 2020. Kept under any window of a year or more: this hour. */
async function arrange() {
  const container = await createTestContainer('purge');
  const now = new Date().toISOString();
  const old = [...hourBlobs(APP, 'Event', '2020-01-01', [0, 1]), ...hourBlobs(OTHER, 'Requests', '2020-01-01', [5])];
  const recent = hourBlobs(APP, 'Event', now.slice(0, 10), [Number(now.slice(11, 13))]);
  await uploadAll(container, [...old, ...recent]);
  return { container, old, recent };
}

describe('export-alerts purge', () => {
  it('prints every blob a real run would delete with --dry-run, and deletes nothing', async () => {
    // Arrange
    const { container, old, recent } = await arrange();

    // Act
    const { code, out } = await purge([
      '--dry-run',
      '--container',
      container.containerName,
      '--connection',
      testConnectionString(),
    ]);

    // Assert
    expect(code).toBe(0);
    expect(out.slice(0, 3)).toEqual(
      [...old].sort((a, b) => (a.startsWith(OTHER) ? -1 : b.startsWith(OTHER) ? 1 : a.localeCompare(b))),
    );
    expect(out[3]).toMatch(/^retention sweep \(dry run\) at .*: 2 expired folders, would delete 3 blobs/);
    expect(await listNames(container)).toEqual([...old, ...recent].sort());
  });

  it('deletes only the type asked for, reading the connection and container from settings', async () => {
    // Arrange
    const { container, old, recent } = await arrange();

    // Act
    const { code, out } = await purge(['--type', 'Requests'], {
      AzureWebJobsStorage: testConnectionString(),
      EXPORT_CONTAINER: container.containerName,
      RETENTION_DRY_RUN: 'false',
    });

    // Assert
    expect(code).toBe(0);
    expect(out).toHaveLength(2);
    expect(out[1]).toBe('deleting: RETENTION_DRY_RUN=false (settings)');
    expect(out[0]?.split('\n')).toEqual([
      expect.stringMatching(/deleted 1 blob /),
      `  deleted ${OTHER}/Requests: 1 blob, 1 B`,
    ]);
    expect(await listNames(container)).toEqual([...old.filter((n) => !n.includes('/Requests/')), ...recent].sort());
  });

  it('keeps --days N for every type, over per-type settings', async () => {
    const { container, recent } = await arrange();
    const env = { EXPORT_STORAGE: testConnectionString(), RETENTION_DAYS_Event: '36500' };
    const { code, out } = await purge(['--days', '365', '--apply', '--container', container.containerName], env);
    expect(code).toBe(0);
    expect(out.at(-1)).toBe('deleting: --apply');
    expect(await listNames(container)).toEqual(recent);
  });

  it('exits 1 and names the problem when settings are invalid', async () => {
    const { code, err } = await purge(['--connection', testConnectionString()], { RETENTION_DRY_RUN: 'maybe' });
    expect(code).toBe(1);
    expect(err).toEqual([
      "retention sweep refused, nothing deleted:\n- RETENTION_DRY_RUN must be true or false, found 'maybe'",
    ]);
  });

  it.each([
    [['purge', '--days', '0'], "--days must be a whole number of days from 1 to 36500, found '0'"],
    [
      ['purge', '--type', 'Request'],
      "--type must be an export folder name (Requests, Exceptions, Event, ...), found 'Request'",
    ],
    [['purge', 'extra'], "too many arguments for 'purge'. Expected 0 arguments but got 1."],
    [['purge', '--apply', '--dry-run'], "option '--apply' cannot be used with option '--dry-run'"],
  ])('exits 2 with one line for %j and a pointer to its help', async (argv, message) => {
    const err: string[] = [];
    const code = await runCli(argv, { out: () => {}, err: (l) => err.push(l) });
    expect({ code, err }).toEqual({
      code: 2,
      err: [`export-alerts purge: ${message}`, "(run 'export-alerts purge --help' for usage)"],
    });
  });

  it('lists only, and says so and why, when neither flag nor setting says to delete', async () => {
    // Arrange
    const { container, old, recent } = await arrange();

    // Act
    const { code, out } = await purge(['--container', container.containerName], {
      EXPORT_STORAGE: testConnectionString(),
    });

    // Assert
    expect(code).toBe(0);
    expect(out.at(-1)).toBe('dry run: RETENTION_DRY_RUN is not set (default true); pass --apply to delete');
    expect(await listNames(container)).toEqual([...old, ...recent].sort());
  });

  it('deletes with --apply where RETENTION_DRY_RUN=true, and never with --dry-run where it is false', async () => {
    // Arrange
    const { container, recent } = await arrange();
    const settings = (dryRun: string) => ({ EXPORT_STORAGE: testConnectionString(), RETENTION_DRY_RUN: dryRun });

    // Act
    const dry = await purge(['--dry-run', '--container', container.containerName], settings('false'));
    const afterDry = await listNames(container);
    const applied = await purge(['--apply', '--container', container.containerName], settings('true'));

    // Assert
    expect(dry.out.at(-1)).toBe('dry run: --dry-run');
    expect(afterDry).toHaveLength(4);
    expect(applied.out.at(-1)).toBe('deleting: --apply');
    expect(await listNames(container)).toEqual(recent);
  });

  it('prints the run as one JSON object with --json: the blobs a dry run would delete and what decided', async () => {
    // Arrange
    const { container, old } = await arrange();

    // Act
    const { code, out } = await purge(['--json', '--container', container.containerName], {
      EXPORT_STORAGE: testConnectionString(),
    });

    // Assert
    expect(code).toBe(0);
    const run = JSON.parse(out.join('\n')) as { dryRun: boolean; wouldDelete: string[]; decidedBy: string };
    expect(run).toMatchObject({
      status: 'completed',
      dryRun: true,
      decidedBy: 'dry run: RETENTION_DRY_RUN is not set (default true); pass --apply to delete',
    });
    expect([...run.wouldDelete].sort()).toEqual([...old].sort());
  });
});
