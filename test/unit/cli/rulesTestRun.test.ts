import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { runCli } from '../../../cli/main';
import { IKEY, requestRow } from '../../helpers/exportRows';

// Issue 14 §3: back-tests that tell the truth about what they read.
const EXPORT = join(__dirname, '../../fixtures/rulesFile/export');
const FIVE_XX = 'requests | where toint(resultCode) >= 500';
const ERASE_BAR = '\u001b[1A\u001b[2K\u001b[1A';

interface RunOptions {
  readonly interactive?: boolean;
  /** The clock moves 6 s with each line of stdout without a tab: a blob's line, not a match's. */
  readonly clockPerBlob?: boolean;
}

async function run(argv: readonly string[], options: RunOptions = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const blobLines = () => out.filter((l) => !l.includes('\t')).length;
  const now = () => new Date(Date.UTC(2024, 2, 5, 14) + (options.clockPerBlob ? blobLines() * 6_000 : 0));
  const code = await runCli(
    [...argv],
    { out: (l) => out.push(l), err: (l) => err.push(l) },
    {
      env: {},
      now,
      interactive: options.interactive ?? false,
    },
  );
  return { code, out, err };
}

describe('rules test on folders that hold more than export files', () => {
  let root: string;
  const short = (lines: readonly string[]) => lines.map((l) => l.split(root).join('ROOT'));

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'rules-test-run-'));
    const hour = join(root, 'export', `shop_${IKEY}`, 'Requests', '2024-03-05', '13');
    await mkdir(hour, { recursive: true });
    await writeFile(join(hour, 'a.blob'), [requestRow({ code: 503 }), requestRow({ code: 200 })].join('\n'));
    await mkdir(join(root, 'export', 'notes'));
    await writeFile(join(root, 'export', 'notes', 'readme.txt'), 'not telemetry\n');
    await writeFile(join(root, 'export', 'README.md'), '# export\n');
    // Three files of ten rows each that are JSON but no telemetry: 30 malformed rows.
    await mkdir(join(root, 'junk'));
    for (const name of ['a.json', 'b.json', 'c.json']) {
      await writeFile(join(root, 'junk', name), Array.from({ length: 10 }, (_, i) => `[${i}]`).join('\n'));
    }
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('skips each file that is no export file with one line, counting segments below the folder given', async () => {
    // Act
    const { code, out, err } = await run(['rules', 'test', '--query', FIVE_XX, join(root, 'export')]);

    // Assert
    expect(code).toBe(0);
    const hint = '; pass --type (Continuous Export) or --table (successor formats) to read it anyway';
    const layout = '<app>_<ikey>/<Type>/<yyyy-MM-dd>/<HH>/<name>';
    expect(short(err)).toEqual([
      `ROOT/export/README.md: skipped: expected 5 path segments ${layout} below ROOT/export, found 1${hint}`,
      `ROOT/export/notes/readme.txt: skipped: expected 5 path segments ${layout} below ROOT/export, found 2${hint}`,
    ]);
    expect(short(out.filter((l) => !l.includes('\t')))).toEqual([
      `ROOT/export/shop_${IKEY}/Requests/2024-03-05/13/a.blob: 1 match of 2 records`,
      '1 blob of requests, 2 records, 1 match, 0 malformed rows, 2 files skipped',
    ]);
  });

  it('prints the first 20 malformed rows, counts the rest, and exits 1', async () => {
    // Act
    const { code, out, err } = await run([
      'rules',
      'test',
      '--query',
      'requests | where isnotempty(name)',
      '--type',
      'Requests',
      join(root, 'junk'),
    ]);

    // Assert
    expect(code).toBe(1);
    const malformed = (file: string, lines: number) =>
      Array.from({ length: lines }, (_, i) => `ROOT/junk/${file}:${i + 1}: expected a JSON object, found an array`);
    expect(short(err)).toEqual([
      ...malformed('a.json', 10),
      ...malformed('b.json', 10),
      '… 10 more malformed rows not shown',
    ]);
    expect(short(out)).toEqual([
      'ROOT/junk/a.json: 0 matches of 0 records',
      'ROOT/junk/b.json: 0 matches of 0 records',
      'ROOT/junk/c.json: 0 matches of 0 records',
      '3 blobs of requests, 0 records, 0 matches, 30 malformed rows',
    ]);
  });

  it('says one malformed row in the singular', async () => {
    await writeFile(join(root, 'one.json'), `${requestRow({ code: 500 })}\n[0]\n`);
    const { code, out, err } = await run([
      'rules',
      'test',
      '--query',
      FIVE_XX,
      '--validate',
      '--type',
      'Requests',
      join(root, 'one.json'),
    ]);
    expect(code).toBe(1);
    expect(short(err)).toEqual(['ROOT/one.json:2: expected a JSON object, found an array']);
    expect(short(out.filter((l) => !l.includes('\t')))).toEqual([
      'ROOT/one.json: 1 match of 1 record',
      '1 blob of requests, 1 record, 1 match, 1 malformed row',
    ]);
  });
});

describe('a path that does not exist', () => {
  it.each([
    ['rules test', ['rules', 'test', '--query', FIVE_XX, '/no/such/x'], 'no such file or folder: /no/such/x'],
    ['read', ['read', '/no/such/x', EXPORT, '/no/such/y'], 'no such files or folders: /no/such/x, /no/such/y'],
    ['replay', ['replay', '/no/such/x'], 'no such file or folder: /no/such/x'],
  ])('is one line naming it in %s, exit 2', async (command, argv, message) => {
    const { code, out, err } = await run(argv);
    expect({ code, out, err }).toEqual({ code: 2, out: [], err: [`export-alerts ${command}: ${message}`] });
  });
});

describe('rules test progress', () => {
  // The two requests blobs of the fixture: 1,317 and 2,637 bytes, 1 and 2 matches.
  it('prints a plain line on stderr at most every 5 seconds when stderr is no terminal', async () => {
    // Act
    const { code, out, err } = await run(['rules', 'test', '--query', FIVE_XX, EXPORT], { clockPerBlob: true });

    // Assert
    expect(code).toBe(0);
    expect(err).toEqual([
      '… 1/2 blobs, 1.3/4.0 kB, 1 match so far, ETA 13s, 220 B/s',
      '… 2/2 blobs, 4.0/4.0 kB, 3 matches so far, ETA 0s, 330 B/s',
    ]);
    expect(out[out.length - 1]).toBe(
      '2 blobs of requests, 6 records, 3 matches, 0 malformed rows, 1 blob of other tables skipped',
    );
  });

  it('keeps progress on stderr with --json, stdout holding the JSON lines only', async () => {
    // Act: with --json the clock moves with each match, the only lines on stdout
    const { out, err } = await run(['rules', 'test', '--query', FIVE_XX, '--json', EXPORT], { clockPerBlob: true });

    // Assert
    expect(out.map((l) => (JSON.parse(l) as { resultCode: string }).resultCode)).toEqual(['500', '500', '503']);
    expect(err.map((l) => l.replace(/^.*\/export\//, 'export/'))).toEqual([
      `export/other_${IKEY}/Requests/2024-03-05/13/a.blob: 1 match of 2 records`,
      '… 1/2 blobs, 1.3/4.0 kB, 1 match so far, ETA 13s, 220 B/s',
      `export/shop_${IKEY}/Requests/2024-03-05/13/a.blob: 2 matches of 4 records`,
      '… 2/2 blobs, 4.0/4.0 kB, 3 matches so far, ETA 0s, 220 B/s',
      '2 blobs of requests, 6 records, 3 matches, 0 malformed rows, 1 blob of other tables skipped',
    ]);
  });

  it('draws a bar on a terminal, takes it away before each line of output, and clears it at the end', async () => {
    // Act
    const { code, out, err } = await run(['rules', 'test', '--query', FIVE_XX, EXPORT], {
      clockPerBlob: true,
      interactive: true,
    });

    // Assert
    expect(code).toBe(0);
    expect(err).toEqual([
      '█████░░░░░░░░░░░  33% 1/2 blobs, 1.3/4.0 kB, 1 match, ETA 13s, 220 B/s',
      ERASE_BAR,
      '████████████████ 100% 2/2 blobs, 4.0/4.0 kB, 3 matches, ETA 0s, 330 B/s',
      ERASE_BAR,
    ]);
    expect(out.filter((l) => !l.includes('\t'))).toHaveLength(3);
  });
});
