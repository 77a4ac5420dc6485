import { InvocationContext } from '@azure/functions';

import { exportBlobReceived } from '../../../functions/exportBlobReceived';

function contextFor(name: string, logs: string[]): InvocationContext {
  return new InvocationContext({
    functionName: 'exportBlobReceived',
    triggerMetadata: { name, blobTrigger: `export/${name}` },
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
    const summary = await exportBlobReceived(Buffer.from(`${ROW}\n{oops\n${ROW}\n`), contextFor(name, logs));

    // Assert
    expect(summary).toMatchObject({ status: 'processed', table: 'customEvents', rows: 2, records: 2, badRows: 1 });
    expect(logs).toContainEqual(expect.stringMatching(new RegExp(`^malformed row: ${name} line 2: invalid JSON`)));
    expect(logs[logs.length - 1]).toBe(`blob ${name}: customEvents, 2 rows, 2 records, 1 malformed, ${Buffer.byteLength(`${ROW}\n{oops\n${ROW}\n`)} bytes`);
  });

  it('ignores a blob outside the export layout instead of failing the invocation', async () => {
    const logs: string[] = [];
    const summary = await exportBlobReceived(Buffer.from('hello'), contextFor('readme.txt', logs));
    expect(summary).toEqual({ status: 'ignored', blobName: 'readme.txt', reason: expect.stringContaining('expected 5 path segments') });
  });

  it('accepts content the worker passed as a string', async () => {
    const name = 'shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Event/2024-03-05/13/b.blob';
    const summary = await exportBlobReceived(`${ROW}\n${ROW}`, contextFor(name, []));
    expect(summary).toMatchObject({ status: 'processed', rows: 2 });
  });
});
