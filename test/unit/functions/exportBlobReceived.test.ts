import { InvocationContext } from '@azure/functions';

import { exportBlobHandler, exportBlobReceived } from '../../../functions/exportBlobReceived';
import { loadConfig } from '../../../shared/adapters/settings/config';

// With no rules the prefilter skips every row unread: the tests of parsing itself turn it off.
const parseEveryRow = exportBlobHandler({}, loadConfig({ ...process.env, RULES_PREFILTER: 'off' }));

function contextFor(name: string, logs: string[], properties?: Record<string, unknown>): InvocationContext {
  return new InvocationContext({
    functionName: 'exportBlobReceived',
    triggerMetadata: { name, blobTrigger: `export/${name}`, ...(properties ? { properties } : {}) },
    logHandler: (_level, ...args) => logs.push(args.join(' ')),
  });
}

const ROW = JSON.stringify({
  event: [{ name: 'checkout', count: 1 }],
  internal: { data: { id: '1c7c4f5e-0000-4000-8000-000000000001', documentVersion: '1.61' } },
  context: { data: { eventTime: '2024-03-05T13:00:01.1234567Z', isSynthetic: false, samplingRate: 100 } },
});

describe('exportBlobReceived', () => {
  it('reads the blob the trigger hands over and logs a one-line summary', async () => {
    // Arrange
    const logs: string[] = [];
    const name = 'shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Event/2024-03-05/13/a.blob';

    // Act
    const summary = await parseEveryRow(Buffer.from(`${ROW}\n{oops\n${ROW}\n`), contextFor(name, logs));

    // Assert
    expect(summary).toMatchObject({
      status: 'processed',
      table: 'customEvents',
      rows: 2,
      rowsSeen: 3,
      rowsParsed: 3,
      records: 2,
      badRows: 1,
    });
    expect(logs).toContainEqual(expect.stringMatching(new RegExp(`^malformed row: ${name} line 2: invalid JSON`)));
    expect(logs[logs.length - 1]).toBe(
      `blob ${name}: customEvents, 3 rows seen, 3 parsed, 2 records, 1 malformed among those parsed, ${Buffer.byteLength(`${ROW}\n{oops\n${ROW}\n`)} bytes`,
    );
  });

  it('with no rule for the blob, counts its rows without parsing them, and says so', async () => {
    const logs: string[] = [];
    const name = 'shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Event/2024-03-05/13/a.blob';
    const content = `${ROW}\n{oops\n\n${ROW}\n`;

    const summary = await exportBlobReceived(Buffer.from(content), contextFor(name, logs));

    expect(summary).toMatchObject({ status: 'processed', rows: 0, rowsSeen: 3, rowsParsed: 0, records: 0, badRows: 0 });
    expect(logs).not.toContainEqual(expect.stringContaining('malformed row'));
    expect(logs[logs.length - 1]).toBe(
      `blob ${name}: customEvents, 3 rows seen, 0 parsed (3 no rule could match were skipped unread), 0 records, 0 malformed among those parsed, ${Buffer.byteLength(content)} bytes`,
    );
  });

  it('ignores a blob outside the export layout instead of failing the invocation', async () => {
    const logs: string[] = [];
    const summary = await exportBlobReceived(Buffer.from('hello'), contextFor('readme.txt', logs));
    expect(summary).toEqual({
      status: 'ignored',
      blobName: 'readme.txt',
      reason: expect.stringContaining('expected 5 path segments'),
    });
  });

  it('accepts content the worker passed as a string', async () => {
    const name = 'shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Event/2024-03-05/13/b.blob';
    const summary = await parseEveryRow(`${ROW}\n${ROW}`, contextFor(name, []));
    expect(summary).toMatchObject({ status: 'processed', rows: 2 });
  });

  it.each([['contentLength', { contentLength: 300 * 1024 * 1024 }]])(
    'reports a blob over EXPORT_MAX_BLOB_BYTES (metadata %s) and does not parse it',
    async (_key, properties) => {
      // Arrange: the default cap is 256 MiB; the metadata says the blob is larger than the content handed over.
      const logs: string[] = [];
      const name = 'shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Event/2024-03-05/13/huge.blob';
      const reason = `blob is ${300 * 1024 * 1024} bytes, over EXPORT_MAX_BLOB_BYTES=${256 * 1024 * 1024}`;

      // Act
      const summary = await exportBlobReceived(Buffer.from(`${ROW}\n{oops\n`), contextFor(name, logs, properties));

      // Assert
      expect(summary).toEqual({ status: 'ignored', blobName: name, reason });
      expect(logs).toContain(
        `blob ${name} not read: ${reason}; raise EXPORT_MAX_BLOB_BYTES in the app settings to read it`,
      );
      expect(logs).not.toContainEqual(expect.stringContaining('malformed row'));
      expect(logs[logs.length - 1]).toBe(`blob ${name}: ignored (${reason})`);
    },
  );

  it('reads a blob of many slices whole, counting rows across slice boundaries', async () => {
    // Arrange: ~1.2 MiB, so the content goes through the reader as several 256 KiB slices.
    const name = 'shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Event/2024-03-05/13/big.blob';
    const rows = 5_000;
    const content = Buffer.from(`${ROW}\n`.repeat(rows));

    // Act
    const summary = await parseEveryRow(content, contextFor(name, [], { contentLength: content.length }));

    // Assert
    expect(content.length).toBeGreaterThan(4 * 256 * 1024);
    expect(summary).toMatchObject({ status: 'processed', rows, records: rows, badRows: 0, bytes: content.length });
  });
});
