import { join } from 'node:path';

import { runCli } from '../../../cli/main';

const FIXTURES = join(__dirname, '../../fixtures');

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe('export-alerts read', () => {
  it('reads every type of the sample export folder without a malformed row', async () => {
    const { code, out } = await run('read', join(FIXTURES, 'export'));
    expect(code).toBe(0);
    expect(out).toHaveLength(11);
    expect(out[10]).toMatch(/^10 blobs, \d+ rows, \d+ records, 0 malformed rows, 0 files skipped$/);
  });

  it('reports broken, foreign and huge rows by file and line and still reads the good ones', async () => {
    // Act
    const { code, out, err } = await run('read', '--max-line-bytes', '65536', join(FIXTURES, 'broken'));

    // Assert
    expect(code).toBe(1);
    expect(out[0]).toMatch(/broken_20240305_140000\.blob: Requests, 3 rows, 3 records, 4 malformed/);
    expect(err.map((l) => l.replace(/^.*\.blob:/, ''))).toEqual([
      expect.stringMatching(/^2: invalid JSON/),
      '4: expected a JSON object, found an array',
      expect.stringMatching(/^6: row has type key "event" but its blob is in the Requests folder/),
      expect.stringMatching(/^7: line is \d+ bytes, over the 65536-byte limit$/),
    ]);
  });

  it('prints records as JSON lines and nothing else on stdout with --json', async () => {
    const { code, out } = await run(
      'read',
      '--json',
      join(FIXTURES, 'real/Requests-wholeblob-blob-2.blob'),
      '--type',
      'Requests',
    );
    expect(code).toBe(0);
    expect(out).toHaveLength(10);
    const first = JSON.parse(out[0] as string) as Record<string, unknown>;
    expect(first).toMatchObject({ itemType: 'request', resultCode: expect.any(String), appName: 'local' });
  });

  it('skips a file outside the export layout unless --type places it', async () => {
    const file = join(FIXTURES, 'real/Requests-1.json');
    const { code, out, err } = await run('read', file);
    expect(code).toBe(0);
    expect(err).toEqual([
      `${file}: skipped: not in the Continuous Export layout <app>_<ikey>/<Type>/<yyyy-MM-dd>/<HH>/<name>; ` +
        'pass --type (Continuous Export) or --table (successor formats) to read it anyway',
    ]);
    expect(out).toEqual(['0 blobs, 0 rows, 0 records, 0 malformed rows, 1 file skipped']);
  });

  it('counts in the singular for one blob, row and record', async () => {
    // Arrange
    const { mkdtemp, rm, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { requestRow } = await import('../../helpers/exportRows');
    const root = await mkdtemp(join(tmpdir(), 'read-one-'));
    const file = join(root, 'one.json');
    await writeFile(file, requestRow({ code: 500 }));

    try {
      // Act
      const { code, out } = await run('read', '--type', 'Requests', file);

      // Assert
      expect(code).toBe(0);
      expect(out).toEqual([
        `${file}: Requests, 1 row, 1 record, 0 malformed, 649 bytes`,
        '1 blob, 1 row, 1 record, 0 malformed rows, 0 files skipped',
      ]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('finds the layout above the folder given, even above the working directory', async () => {
    // Arrange
    const { mkdir, mkdtemp, rm, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { IKEY, requestRow } = await import('../../helpers/exportRows');
    const root = await mkdtemp(join(tmpdir(), 'read-cwd-'));
    const hour = join(root, `shop_${IKEY}`, 'Requests', '2024-03-05', '13');
    await mkdir(hour, { recursive: true });
    await writeFile(join(hour, 'a.blob'), requestRow({ code: 500 }));
    const cwd = process.cwd();

    try {
      // Act
      process.chdir(join(root, `shop_${IKEY}`, 'Requests'));
      const { code, out, err } = await run('read', '.');

      // Assert
      expect({ code, err }).toEqual({ code: 0, err: [] });
      expect(out).toEqual([
        '2024-03-05/13/a.blob: Requests, 1 row, 1 record, 0 malformed, 649 bytes',
        '1 blob, 1 row, 1 record, 0 malformed rows, 0 files skipped',
      ]);
    } finally {
      process.chdir(cwd);
      await rm(root, { recursive: true, force: true });
    }
  });

  it.each([
    [['read'], "export-alerts read: missing required argument 'paths'", 'export-alerts read'],
    [
      ['read', '--type', 'Nope', 'x'],
      "export-alerts read: --type must be an export folder name (Requests, Exceptions, Event, ...), found 'Nope'",
      'export-alerts read',
    ],
    [['read', '--bogus', 'x'], "export-alerts read: unknown option '--bogus'", 'export-alerts read'],
    [['frobnicate'], "export-alerts: unknown command 'frobnicate'", 'export-alerts'],
  ])('exits 2 with one line for %j and a pointer to its help', async (argv, message, command) => {
    const { code, err } = await run(...argv);
    expect({ code, err }).toEqual({ code: 2, err: [message, `(run '${command} --help' for usage)`] });
  });
});
