import { readFileSync } from 'node:fs';

import type { SplitLine } from '../../../../shared/core/export/candidateLineSplitter';
import { readExportRows } from '../../../../shared/core/export/readExportRows';
import type { TelemetryRecord } from '../../../../shared/core/export/telemetryRecord';
import {
  readWorkspaceRecords,
  type ReadWorkspaceRecordsOptions,
} from '../../../../shared/core/export/workspace/readWorkspaceRecords';
import { LineSplitter } from '../../../helpers/lineSplitterOracle';
import { successorFixture } from './successorFixtures';

const BLOB =
  'resourceId=/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.INSIGHTS/COMPONENTS/SHOP/y=2024/m=03/d=05/h=13/m=00/PT1H.json';

async function* chunks(...parts: Array<string | Uint8Array>): AsyncGenerator<string | Uint8Array> {
  for (const part of parts) yield part;
}

async function readAll(parts: Array<string | Uint8Array>, options: ReadWorkspaceRecordsOptions = {}) {
  const stream = readWorkspaceRecords({ blobName: BLOB, table: 'AppRequests' }, chunks(...parts), options);
  const records: TelemetryRecord[] = [];
  for await (const record of stream) records.push(record);
  return { records, stats: stream.stats, problems: stream.problems };
}

const row = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({ time: '2024-03-05T13:00:00Z', Type: 'AppRequests', ResultCode: '200', ...extra });

describe('readWorkspaceRecords', () => {
  it('streams the records of a diagnostic-settings blob cut mid-line and mid-character', async () => {
    // Arrange
    const bytes = readFileSync(successorFixture('diagnostic', 'AppRequests'));
    const cut = bytes.indexOf(Buffer.from('カ')) + 1;

    // Act
    const { records, stats, problems } = await readAll([bytes.subarray(0, cut), bytes.subarray(cut)]);

    // Assert
    expect(records.map((r) => [r.table, r.line, r.columns.resultCode])).toEqual([
      ['requests', 1, '404'],
      ['requests', 2, '200'],
    ]);
    expect(records[0]?.columns.operation_Name).toBe('POST /Café/カート');
    expect(problems).toEqual([]);
    expect(stats).toEqual({
      rows: 2,
      rowsSeen: 2,
      rowsParsed: 2,
      filtered: false,
      badRows: 0,
      records: 2,
      bytes: bytes.length,
      lines: 2,
    });
  });

  it('reports rows that are not objects, of another table, without a time or too long, with blob and line, and keeps the rest', async () => {
    // Arrange
    const content = [
      row(),
      '[1,2]',
      '{"time":',
      row({ Type: 'AppTraces' }),
      JSON.stringify({ Type: 'AppRequests' }),
      row({ Name: 'x'.repeat(300) }),
      '',
      row({ ResultCode: '500' }),
    ].join('\n');

    // Act
    const { records, stats, problems } = await readAll([content], { maxLineBytes: 200 });

    // Assert
    expect(records.map((r) => [r.line, r.columns.resultCode])).toEqual([
      [1, '200'],
      [8, '500'],
    ]);
    // Read errors are found while splitting, ahead of the rows being normalized, so order by line.
    const byLine = [...problems].sort((a, b) => a.line - b.line);
    expect(byLine.map((p) => [p.blobName === BLOB, p.line, p.reason.replace(/:.*$/, ':…')])).toEqual([
      [true, 2, 'expected a JSON object, found an array'],
      [true, 3, 'invalid JSON:…'],
      [true, 4, 'row is of table "AppTraces" ("Type"), but its container holds AppRequests rows'],
      [true, 5, 'row has no time:…'],
      [true, 6, expect.stringMatching(/^line is \d+ bytes, over the 200-byte limit$/)],
    ]);
    expect(stats).toMatchObject({ rows: 2, badRows: 5, records: 2, lines: 8 });
  });

  it('numbers lines from firstLine, for a byte range that starts mid-blob', async () => {
    const { records, problems } = await readAll([`${row()}\nnot json\n${row()}\n`], { firstLine: 41 });

    expect(records.map((r) => r.line)).toEqual([41, 43]);
    expect(problems.map((p) => p.line)).toEqual([42]);
  });

  it('passes every problem to onBadRow', async () => {
    const seen: number[] = [];

    await readAll([`x\n${row()}\ny\n`], { onBadRow: (p) => seen.push(p.line) });

    expect(seen).toEqual([1, 3]);
  });

  it('refuses an exception row over the item cap', async () => {
    const stream = readWorkspaceRecords(
      { blobName: BLOB, table: 'AppExceptions' },
      chunks(JSON.stringify({ time: '2024-03-05T13:00:00Z', Details: [{}, {}] })),
      { maxItemsPerRow: 1 },
    );
    for await (const record of stream) throw new Error(`unexpected record at ${String(record.line)}`);

    expect(stream.problems).toEqual([{ blobName: BLOB, line: 1, reason: 'row holds 2 items, over the cap of 1' }]);
  });
});

describe('firstLine in the line splitter and row reader', () => {
  it('numbers the splitter lines from firstLine and keeps a BOM-like start as text past line 1', () => {
    const lines: SplitLine[] = [];
    const splitter = new LineSplitter(1024, { firstLine: 7 });

    splitter.push(Buffer.from('\ufeffa\nb'), (l) => lines.push(l));
    splitter.end((l) => lines.push(l));

    expect(lines).toEqual([
      { kind: 'text', line: 7, text: '\ufeffa' },
      { kind: 'text', line: 8, text: 'b' },
    ]);
  });

  it('numbers from 1 and drops a leading BOM by default', () => {
    const lines: SplitLine[] = [];
    const splitter = new LineSplitter(1024);

    splitter.push(Buffer.from('\ufeffa\n'), (l) => lines.push(l));

    expect(lines).toEqual([{ kind: 'text', line: 1, text: 'a' }]);
  });

  it('reports readExportRows problems at firstLine-based lines', async () => {
    const stream = readExportRows(chunks('{}\n[]\n'), { blobName: BLOB, firstLine: 100 });
    const lines: number[] = [];
    for await (const r of stream) lines.push(r.line);

    expect(lines).toEqual([100]);
    expect(stream.problems).toEqual([{ blobName: BLOB, line: 101, reason: 'expected a JSON object, found an array' }]);
  });
});
