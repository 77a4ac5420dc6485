import type { CursorStore, StoredCursor } from '../../shared/core/cursors/cursorStore';
import type { AppendBlobInfo, ExportCursor } from '../../shared/core/cursors/exportCursor';
import type { AppendBlobSource } from '../../shared/core/cursors/scanAppendBlobs';

/** Cursors in memory, with the Table store's conditional writes. */
export class MemoryCursorStore implements CursorStore {
  readonly cursors = new Map<string, { cursor: ExportCursor; version: number }>();
  private versions = 0;

  async get(container: string, blobName: string): Promise<StoredCursor | undefined> {
    await Promise.resolve();
    const found = this.cursors.get(`${container}/${blobName}`);
    return found && { cursor: structuredClone(found.cursor), version: String(found.version) };
  }

  async put(cursor: ExportCursor, expected: string | undefined): Promise<boolean> {
    await Promise.resolve();
    const key = `${cursor.container}/${cursor.blobName}`;
    const found = this.cursors.get(key);
    if (expected === undefined ? found !== undefined : found === undefined || String(found.version) !== expected)
      return false;
    this.cursors.set(key, { cursor: structuredClone(cursor), version: ++this.versions });
    return true;
  }

  async listOpen(container: string): Promise<ExportCursor[]> {
    await Promise.resolve();
    return [...this.cursors.values()]
      .filter((c) => c.cursor.container === container && !c.cursor.closed)
      .map((c) => structuredClone(c.cursor));
  }

  async remove(container: string, blobNames: readonly string[]): Promise<void> {
    for (const name of blobNames) this.cursors.delete(`${container}/${name}`);
  }
}

/** Append blobs in memory; reads come back in chunks of `chunkBytes`, to cut lines and characters anywhere. */
export class MemoryAppendBlobs implements AppendBlobSource {
  readonly blobs = new Map<
    string,
    { container: string; name: string; bytes: Buffer; createdOn: number; lastModified: number }
  >();
  reads = 0;
  bytesRead = 0;

  constructor(
    private readonly now: () => number,
    private readonly chunkBytes = 7,
  ) {}

  append(container: string, name: string, bytes: Buffer): void {
    const key = `${container}/${name}`;
    const blob = this.blobs.get(key);
    if (blob) {
      blob.bytes = Buffer.concat([blob.bytes, bytes]);
      blob.lastModified = this.now();
    } else {
      this.blobs.set(key, { container, name, bytes, createdOn: this.now(), lastModified: this.now() });
    }
  }

  recreate(container: string, name: string, bytes: Buffer): void {
    this.blobs.set(`${container}/${name}`, { container, name, bytes, createdOn: this.now(), lastModified: this.now() });
  }

  async *list(container: string): AsyncIterable<AppendBlobInfo> {
    for (const blob of [...this.blobs.values()]) {
      await Promise.resolve();
      if (blob.container === container)
        yield {
          container,
          name: blob.name,
          length: blob.bytes.length,
          createdOn: blob.createdOn,
          lastModified: blob.lastModified,
        };
    }
  }

  async *read(container: string, blobName: string, offset: number, count: number): AsyncIterable<Uint8Array> {
    const blob = this.blobs.get(`${container}/${blobName}`);
    if (!blob) throw new Error(`no blob ${blobName}`);
    this.reads++;
    const range = blob.bytes.subarray(offset, offset + count);
    this.bytesRead += range.length;
    for (let start = 0; start < range.length; start += this.chunkBytes) {
      await Promise.resolve();
      yield range.subarray(start, start + this.chunkBytes);
    }
  }
}
