import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { runCli } from '../../../cli/main';
import {
  generateSuccessorBlobText,
  successorBlobPlace,
  successorFolderWindow,
  type SuccessorFormat,
} from '../../../scripts/exportGenerator';

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

const ROWS = 60;
const marked = { rate: 0.2, apply: ({ row }: { row: Record<string, unknown> }) => void (row.ResultCode = '599') };

describe('read and rules test on successor-format files', () => {
  let root: string;
  const files: Record<SuccessorFormat, string> = { diagnosticSettings: '', dataExport: '' };
  const marks: Record<SuccessorFormat, number> = { diagnosticSettings: 0, dataExport: 0 };
  let loose: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'successor-cli-'));
    for (const format of ['diagnosticSettings', 'dataExport'] as const) {
      const window = successorFolderWindow(format, new Date('2024-03-05T13:07:00Z'));
      const place = successorBlobPlace(format, 'AppRequests', window.start);
      const text = generateSuccessorBlobText('AppRequests', ROWS, format, { format, window, inject: marked });
      files[format] = join(root, 'archive', place.container, ...place.blobName.split('/'));
      marks[format] = text.split('\n').filter((l) => l.includes('"ResultCode":"599"')).length;
      await mkdir(dirname(files[format]), { recursive: true });
      await writeFile(files[format], text);
    }
    loose = join(root, 'AppRequests-sample.json');
    await writeFile(loose, generateSuccessorBlobText('AppRequests', 5, 'loose', { format: 'diagnosticSettings' }));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('reads both layouts in a folder by the path below the container folder', async () => {
    // Act
    const { code, out } = await run('read', join(root, 'archive'));

    // Assert
    expect(code).toBe(0);
    expect(out).toEqual([
      `${files.dataExport}: AppRequests (dataExport), ${ROWS} rows, ${ROWS} records, 0 malformed, ${out[0]?.match(/(\d+) bytes$/)?.[1]} bytes`,
      `${files.diagnosticSettings}: AppRequests (diagnosticSettings), ${ROWS} rows, ${ROWS} records, 0 malformed, ${out[1]?.match(/(\d+) bytes$/)?.[1]} bytes`,
      `2 blobs, ${2 * ROWS} rows, ${2 * ROWS} records, 0 malformed rows, 0 files skipped`,
    ]);
  });

  it('prints successor records in classic columns with --json', async () => {
    const { code, out } = await run('read', '--json', files.diagnosticSettings);
    expect(code).toBe(0);
    expect(out).toHaveLength(ROWS);
    expect(JSON.parse(out[0] as string)).toMatchObject({
      itemType: 'request',
      Type: 'AppRequests',
      resultCode: expect.any(String),
      success: expect.any(Boolean),
    });
  });

  it('reads a file outside the layouts with --table, and skips it without', async () => {
    const placed = await run('read', loose, '--table', 'AppRequests', '--format', 'diagnosticSettings');
    const skipped = await run('read', loose);
    expect(placed.out[0]).toBe(
      `${loose}: AppRequests (diagnosticSettings), 5 rows, 5 records, 0 malformed, ${placed.out[0]?.match(/(\d+) bytes$/)?.[1]} bytes`,
    );
    expect(skipped.err[0]).toMatch(
      /AppRequests-sample\.json: skipped: .*pass --type \(Continuous Export\) or --table \(successor formats\)/,
    );
  });

  it.each([
    ['workspace', 'AppRequests | where ResultCode == "599"'],
    ['classic', 'requests | where resultCode == "599"'],
  ])('back-tests a rule in the %s schema over both layouts with the same matches', async (_schema, query) => {
    // Act
    const { code, out } = await run('rules', 'test', '--query', query, join(root, 'archive'));

    // Assert
    expect(marks.diagnosticSettings).toBeGreaterThan(0);
    expect(code).toBe(0);
    expect(out).toContainEqual(
      expect.stringMatching(
        `^${escape(files.diagnosticSettings)}: ${marks.diagnosticSettings} matches of ${ROWS} rows \\(\\d+ parsed`,
      ),
    );
    expect(out).toContainEqual(
      expect.stringMatching(`^${escape(files.dataExport)}: ${marks.dataExport} matches of ${ROWS} rows \\(\\d+ parsed`),
    );
    expect(out[out.length - 1]).toMatch(
      new RegExp(
        `^2 blobs of requests, ${2 * ROWS} rows \\(\\d+ parsed, the others no rule could match; --validate reads every row\\), ${marks.diagnosticSettings + marks.dataExport} matches, 0 malformed rows$`,
      ),
    );
  });

  it('skips successor blobs of other tables in a back-test', async () => {
    const { out } = await run(
      'rules',
      'test',
      '--query',
      'AppTraces | where SeverityLevel >= 3',
      join(root, 'archive'),
    );
    expect(out[out.length - 1]).toBe(
      '0 blobs of traces, 0 records, 0 matches, 0 malformed rows, 2 blobs of other tables skipped',
    );
  });

  it('refuses --type with --table', async () => {
    const { code, err } = await run('read', loose, '--type', 'Requests', '--table', 'AppRequests');
    expect(code).toBe(2);
    expect(err[0]).toContain('--type and --table do not go together');
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
