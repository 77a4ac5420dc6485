import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  createRng,
  exportBlobPath,
  generateBlobText,
  generateRow,
  writeExportBlob,
} from '../../../scripts/exportGenerator';
import { formatByteSize, parseByteSize } from '../../../scripts/generator/byteSize';
import { TELEMETRY_TYPE_NAMES, TELEMETRY_TYPES } from '../../../shared/core/export/telemetryTypes';

const window = { start: new Date('2024-03-05T12:55:00Z'), end: new Date('2024-03-05T13:00:00Z') };
const EVENT_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?Z$/;

type Json = Record<string, unknown>;
const rowsOf = (text: string): Json[] =>
  text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Json);
const contextOf = (row: Json) =>
  row.context as { data: { eventTime: string; samplingRate: number }; custom?: { dimensions: Json[] } };

describe('generateRow', () => {
  it('gives the same rows for the same seed and different rows for another seed', () => {
    // Arrange
    const draw = (seed: number) => {
      const rng = createRng(seed);
      return TELEMETRY_TYPE_NAMES.map((type) => generateRow(type, rng, { window }));
    };

    // Act / Assert
    expect(draw(11)).toEqual(draw(11));
    expect(draw(11)).not.toEqual(draw(12));
  });

  it.each(TELEMETRY_TYPE_NAMES)(
    'writes %s rows as one JSON line each, type key first, event time in the window',
    (type) => {
      // Arrange
      const text = generateBlobText(type, 300, `rows-${type}`, { window });

      // Act
      const rows = rowsOf(text);

      // Assert
      expect(rows).toHaveLength(300);
      for (const row of rows) {
        expect(Object.keys(row)).toEqual([TELEMETRY_TYPES[type].rowKey, 'internal', 'context']);
        expect(Array.isArray(row[TELEMETRY_TYPES[type].rowKey])).toBe(true);
        expect(row.internal).toEqual({
          data: { id: expect.stringMatching(/^[0-9a-f-]{36}$/), documentVersion: '1.61' },
        });
        const { eventTime } = contextOf(row).data;
        expect(eventTime).toMatch(EVENT_TIME);
        const ms = Date.parse(eventTime);
        expect(ms).toBeGreaterThanOrEqual(window.start.getTime());
        expect(ms).toBeLessThan(window.end.getTime());
      }
    },
  );

  it('writes sampled requests as count 25 at samplingRate 4 with value = sampledValue * 25', () => {
    // Arrange
    const rows = rowsOf(generateBlobText('Requests', 400, 3, { window }));

    // Act
    const sampled = rows.filter((row) => contextOf(row).data.samplingRate === 4);

    // Assert
    expect(sampled.length).toBeGreaterThan(50);
    for (const row of sampled) {
      const [request] = row.request as {
        count: number;
        durationMetric: { value: number; count: number; sampledValue: number };
      }[];
      expect(request?.count).toBe(25);
      expect(request?.durationMetric.count).toBe(25);
      expect(request?.durationMetric.value).toBe((request?.durationMetric.sampledValue ?? 0) * 25);
    }
  });

  it('varies result codes, keeps dimension values strings and includes non-ASCII text', () => {
    // Arrange
    const text = generateBlobText('Requests', 2000, 5, { window });

    // Act
    const rows = rowsOf(text);
    const codes = new Set(rows.map((row) => (row.request as { responseCode: number }[])[0]?.responseCode));
    const dimensionValues = rows.flatMap((row) =>
      (contextOf(row).custom?.dimensions ?? []).flatMap((d) => Object.values(d)),
    );

    // Assert
    expect([...codes]).toEqual(expect.arrayContaining([200, 404, 500, 503]));
    expect(dimensionValues.every((value) => typeof value === 'string')).toBe(true);
    expect(text).toMatch(/[^\x00-\x7f]/);
    expect(text).toContain('"Build Id"');
  });

  it('builds exceptions as a Representative summary followed by the inner chain with parsedStack', () => {
    // Arrange
    const rows = rowsOf(generateBlobText('Exceptions', 50, 9, { window }));

    // Act / Assert
    for (const row of rows) {
      const [summary, ...chain] = row.basicException as Json[];
      expect(summary).toMatchObject({ id: 'Representative', outerId: '', message: '' });
      expect(chain.length).toBeGreaterThan(0);
      expect(chain[0]).toMatchObject({ outerId: '0', count: 0, parsedStack: expect.any(Array) });
      for (let i = 1; i < chain.length; i++) expect(chain[i]?.outerId).toBe(chain[i - 1]?.id);
    }
  });

  it('writes traces with raw text and a string severity', () => {
    const rows = rowsOf(generateBlobText('Messages', 100, 4, { window }));
    for (const row of rows) {
      expect((row.message as Json[])[0]).toMatchObject({
        raw: expect.any(String),
        severityLevel: expect.stringMatching(/^(Verbose|Information|Warning|Error|Critical)$/),
      });
    }
  });

  it('applies an injection rate without changing the rows around it', () => {
    // Arrange
    const plain = generateBlobText('Requests', 500, 21, { window }).split('\n');
    const inject = {
      rate: 0.02,
      apply: ({ items }: { items: Json[] }) => void ((items[0] as Json).responseCode = 599),
    };

    // Act
    const injected = generateBlobText('Requests', 500, 21, { window, inject }).split('\n');

    // Assert
    const changed = injected.map((line, i) => (line === plain[i] ? -1 : i)).filter((i) => i >= 0);
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.length).toBeLessThan(30);
    for (const i of changed) expect(injected[i]).toContain('"responseCode":599');
  });
});

describe('writeExportBlob', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'export-gen-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes byte-identical files for the same seed and different files for another', async () => {
    // Act
    await writeExportBlob(join(dir, 'a.blob'), 'Exceptions', 300_000, 'seed-a', { window });
    await writeExportBlob(join(dir, 'b.blob'), 'Exceptions', 300_000, 'seed-a', { window });
    await writeExportBlob(join(dir, 'c.blob'), 'Exceptions', 300_000, 'seed-c', { window });

    // Assert
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((n) => readFile(join(dir, `${n}.blob`))));
    expect(a?.equals(b as Buffer)).toBe(true);
    expect(a?.equals(c as Buffer)).toBe(false);
  });

  it.each([
    ['Requests', 2 * 1024 * 1024],
    ['PerformanceCounters', 64 * 1024],
    ['Exceptions', 1_000_000],
  ] as const)('lands %s blobs within 2%% of %i bytes, ending in a line break', async (type, target) => {
    // Act
    const summary = await writeExportBlob(join(dir, `${type}.blob`), type, target, 1, { window });

    // Assert
    const { size } = await stat(join(dir, `${type}.blob`));
    expect(size).toBe(summary.bytes);
    expect(Math.abs(size - target) / target).toBeLessThan(0.02);
    const text = await readFile(join(dir, `${type}.blob`), 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    expect(rowsOf(text)).toHaveLength(summary.rows);
  });
});

describe('exportBlobPath', () => {
  it('lays blobs out as <app>_<ikey>/<Type>/<yyyy-MM-dd>/<HH>/<id>_<yyyyMMdd_HHmmss>.blob', () => {
    const path = exportBlobPath(
      'Contoso-Shop',
      '0F3C8A1E-5B7D-4C2A-9E61-2D4B8F0A7C33',
      'PageViews',
      new Date('2024-03-05T07:04:09Z'),
    );
    expect(path).toMatch(
      /^contoso-shop_0f3c8a1e5b7d4c2a9e612d4b8f0a7c33\/PageViews\/2024-03-05\/07\/[0-9a-f-]{36}_20240305_070409\.blob$/,
    );
  });

  it('uses a given id or whole file name', () => {
    const at = new Date('2024-12-31T23:59:59Z');
    expect(exportBlobPath('app', 'abc', 'Rdd', at, 'blob1')).toBe(
      'app_abc/Rdd/2024-12-31/23/blob1_20241231_235959.blob',
    );
    expect(exportBlobPath('app', 'abc', 'Rdd', at, '3IAwm6u3-0.blob')).toBe(
      'app_abc/Rdd/2024-12-31/23/3IAwm6u3-0.blob',
    );
  });

  it('names the same blob the same way every time', () => {
    const at = new Date('2024-03-05T13:00:00Z');
    expect(exportBlobPath('a', 'k', 'Requests', at)).toBe(exportBlobPath('a', 'k', 'Requests', at));
  });
});

describe('parseByteSize', () => {
  it.each([
    ['1MB', 1_000_000, 'MB'],
    ['1mb', 1_000_000, 'MB'],
    ['100MB', 100_000_000, 'MB'],
    ['200KB', 200_000, 'KB'],
    ['1GiB', 1024 ** 3, 'GiB'],
    ['1MiB', 1024 ** 2, 'MiB'],
    ['512kib', 512 * 1024, 'KiB'],
    ['2048', 2048, 'B'],
    ['1.5 MB', 1_500_000, 'MB'],
  ])('reads %s as %i bytes, reported in %s', (text, bytes, unit) =>
    expect(parseByteSize(text)).toEqual({ bytes, unit }),
  );

  it.each(['', 'MB', '1XB', '-1MB'])('rejects %p', (text) => expect(parseByteSize(text)).toBeUndefined());
});

describe('formatByteSize', () => {
  it.each([
    [999_734, 'MB', '1.00 MB'],
    [1_048_476, 'MiB', '1.00 MiB'],
    [199_870, 'KB', '199.87 KB'],
    [2048, 'B', '2048 B'],
  ] as const)('writes %i bytes in %s as %s', (bytes, unit, expected) => {
    expect(formatByteSize(bytes, unit)).toBe(expected);
  });
});

// Issue 14 §7: `--bytes 1MB` gave 1023.9 KiB; a size comes out within one row of what was asked, in its unit.
describe('blob sizes', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'export-size-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it.each(['1MB', '1MiB', '200KB'])('writes a %s blob within one row of it', async (asked) => {
    // Arrange
    const size = parseByteSize(asked);
    if (size === undefined) throw new Error(asked);

    // Act
    const summary = await writeExportBlob(join(dir, `${asked}.blob`), 'Requests', size.bytes, 7, { window });

    // Assert
    const lines = (await readFile(join(dir, `${asked}.blob`), 'utf8')).split('\n').filter((l) => l !== '');
    const longest = Math.max(...lines.map((l) => Buffer.byteLength(l) + 1));
    expect(Math.abs(summary.bytes - size.bytes)).toBeLessThan(longest);
    expect(formatByteSize(summary.bytes, size.unit)).toMatch(new RegExp(`^\\d+\\.\\d\\d ${size.unit}$`));
  });
});
