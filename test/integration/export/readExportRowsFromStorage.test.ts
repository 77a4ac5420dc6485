import { readExportRows } from '../../../shared/core/export/readExportRows';
import { createTestContainer } from '../../harness/storage';

describe('readExportRows over a blob downloaded from storage', () => {
  it('streams every row of a multi-megabyte blob and reports the broken one', async () => {
    // Arrange
    const container = await createTestContainer('reader');
    const name = 'shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Requests/2024-03-05/13/big.blob';
    const lines = Array.from({ length: 20_000 }, (_, i) => JSON.stringify({ i, pad: 'é'.repeat(100) }));
    lines[12_345] = '{"broken":';
    await container.getBlockBlobClient(name).upload(lines.join('\r\n'), Buffer.byteLength(lines.join('\r\n')));

    // Act
    const download = await container.getBlobClient(name).download();
    const stream = readExportRows(download.readableStreamBody as NodeJS.ReadableStream & AsyncIterable<Buffer>, {
      blobName: name,
    });
    let sum = 0;
    for await (const row of stream) sum += row.document['i'] as number;

    // Assert
    expect(stream.stats).toMatchObject({ rows: 19_999, badRows: 1, lines: 20_000 });
    expect(stream.problems).toEqual([expect.objectContaining({ blobName: name, line: 12_346 })]);
    expect(sum).toBe((19_999 * 20_000) / 2 - 12_345);
  });
});
