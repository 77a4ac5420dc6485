import { bufferSlices, bufferSliceStream, DEFAULT_SLICE_BYTES } from '../../../shared/core/export/bufferSlices';
import { readExportRows } from '../../../shared/core/export/readExportRows';

const BLOB = 'app_0123456789abcdef0123456789abcdef/Requests/2024-03-05/13/a.blob';

function rowsText(count: number): Buffer {
  let text = '';
  for (let i = 0; i < count; i++) text += `${JSON.stringify({ i, pad: 'x'.repeat(200) })}\n`;
  return Buffer.from(text, 'utf8');
}

describe('bufferSlices', () => {
  it('cuts a buffer into views of at most the slice size that share its memory', () => {
    // Arrange
    const buffer = Buffer.from('abcdefghij');

    // Act
    const slices = [...bufferSlices(buffer, 4)];

    // Assert
    expect(slices.map((s) => s.toString())).toEqual(['abcd', 'efgh', 'ij']);
    expect(slices.every((s) => s.buffer === buffer.buffer)).toBe(true);
  });

  it('gives no slice for an empty buffer', () => {
    expect([...bufferSlices(Buffer.alloc(0))]).toEqual([]);
  });
});

describe('reading sliced content', () => {
  it('yields the first row after the first slice, before the rest of the content is pulled', async () => {
    // Arrange: count the slices the reader has pulled when its first row comes out.
    const content = rowsText(10_000);
    let pulled = 0;
    async function* counted() {
      for await (const slice of bufferSliceStream(content)) {
        pulled++;
        yield slice;
      }
    }
    const rows = readExportRows(counted(), { blobName: BLOB });

    // Act
    const first = await rows[Symbol.asyncIterator]().next();

    // Assert
    expect(first.value).toMatchObject({ line: 1, document: { i: 0 } });
    expect(pulled).toBe(1);
    expect(content.length).toBeGreaterThan(4 * DEFAULT_SLICE_BYTES);
  });

  it('reads a whole blob handed over as one chunk the same as sliced, rows cut at slice edges included', async () => {
    // Arrange
    const content = rowsText(10_000);

    // Act
    const lines: number[] = [];
    const ids: unknown[] = [];
    async function* oneChunk() {
      yield content;
    }
    const stream = readExportRows(oneChunk(), { blobName: BLOB });
    for await (const row of stream) {
      lines.push(row.line);
      ids.push(row.document['i']);
    }

    // Assert
    expect(stream.stats).toMatchObject({ rows: 10_000, badRows: 0, bytes: content.length });
    expect(ids).toEqual(Array.from({ length: 10_000 }, (_, i) => i));
    expect(lines[9_999]).toBe(10_000);
  });
});
