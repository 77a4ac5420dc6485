import { Readable } from 'node:stream';

import { parseExportPath } from '../../../shared/core/export/parseExportPath';
import { readExportRecords } from '../../../shared/core/export/readExportRecords';
import type { RowProblem } from '../../../shared/core/export/readExportRows';
import { DEFAULT_MAX_ITEMS_PER_ROW, toRecords } from '../../../shared/core/export/toRecords';

const CONTEXT = { data: { eventTime: '2024-03-05T13:00:01.1234567Z', isSynthetic: false, samplingRate: 100 } };

const times = <T>(n: number, make: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => make(i));

/** Rows holding `n` items of each kind the cap covers. */
const ROWS: ReadonlyArray<[string, (n: number) => Record<string, unknown>]> = [
  ['a type array', (n) => ({ request: times(n, (i) => ({ name: `GET /${i}`, count: 1 })), context: CONTEXT })],
  [
    'a basicException array',
    (n) => ({ basicException: times(n, (i) => ({ id: String(i), typeName: 'E' })), context: CONTEXT }),
  ],
  [
    'context.custom.metrics',
    (n) => ({
      metric: [],
      context: { ...CONTEXT, custom: { metrics: times(n, (i) => ({ [`m${i}`]: { value: i } })) } },
    }),
  ],
  [
    'performance counters',
    (n) => ({
      performanceCounter: [Object.fromEntries(times(n, (i) => [`counter ${i}`, { value: i }]))],
      context: CONTEXT,
    }),
  ],
];

describe('the item cap of a row', () => {
  it.each(ROWS)('refuses %s over the cap as malformed, naming the count and the cap', (_kind, row) => {
    // Act
    const result = toRecords(row(11), undefined, { maxItemsPerRow: 10 });

    // Assert
    expect(result).toEqual({ ok: false, error: 'row holds 11 items, over the cap of 10' });
  });

  it.each(ROWS)('expands %s at the cap', (_kind, row) => {
    const result = toRecords(row(10), undefined, { maxItemsPerRow: 10 });
    expect(result.ok).toBe(true);
  });

  it('defaults to 10,000 items', () => {
    expect(DEFAULT_MAX_ITEMS_PER_ROW).toBe(10_000);
    const over = toRecords({ request: times(10_001, () => ({ name: 'x' })), context: CONTEXT });
    expect(over).toEqual({ ok: false, error: 'row holds 10001 items, over the cap of 10000' });
  });

  it('reports a row over the cap with blob and line through the reader, and reads the rows around it', async () => {
    // Arrange
    const name = 'shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Requests/2024-03-05/13/a.blob';
    const placed = parseExportPath(name);
    if (!placed.ok) throw new Error(placed.error.reason);
    const rows = [ROWS[0]![1](1), ROWS[0]![1](6), ROWS[0]![1](2)].map((r) => JSON.stringify(r)).join('\n');
    const problems: RowProblem[] = [];

    // Act
    const stream = readExportRecords(placed.value, Readable.from([rows]), {
      maxItemsPerRow: 5,
      onBadRow: (p) => problems.push(p),
    });
    let records = 0;
    for await (const _record of stream) records++;

    // Assert
    expect(records).toBe(3);
    expect(problems).toEqual([{ blobName: name, line: 2, reason: 'row holds 6 items, over the cap of 5' }]);
    expect(stream.stats).toMatchObject({ rows: 2, badRows: 1, records: 3 });
  });
});

/** A 10 KB exception row whose first frame is arrays nested 5,000 deep (issue 10 row 4), as text. */
function deepExceptionRow(): string {
  const stack = `${'['.repeat(5_000)}{"level":0,"method":"Leaf"}${']'.repeat(5_000)}`;
  return `{"basicException":[{"id":"Representative","typeName":"E"},{"id":"1","outerId":"0","typeName":"E","parsedStack":${stack}}],"context":${JSON.stringify(CONTEXT)}}`;
}

describe('hostile exception rows', () => {
  it('normalizes a 10 KB exception row whose parsedStack is nested 5,000 deep', () => {
    // Arrange: the row as text, the way it arrives, so JSON.parse builds the nesting too.
    const text = deepExceptionRow();

    // Act
    const result = toRecords(JSON.parse(text) as Record<string, unknown>);

    // Assert
    expect(text.length).toBeGreaterThan(10_000);
    expect(result.ok).toBe(true);
    expect(result.ok && result.value).toHaveLength(1);
    expect(result.ok && result.value[0]?.columns['details']).toEqual([
      expect.objectContaining({ id: '1', parsedStack: expect.any(Array) }),
    ]);
  });
});
