import type { BlobServiceClient } from '@azure/storage-blob';

import type { AppendBlobInfo, ExportCursor } from '../../core/cursors/exportCursor';
import type { AppendBlobSource } from '../../core/cursors/scanAppendBlobs';
import { isNotFound } from './storageFailure';

/** How long discovered resource folders serve before the container is walked again. */
const ROOTS_TTL_MS = 10 * 60_000;
/** Folder levels walked at most below a container before `y=`: the layouts need ten. */
const MAX_DEPTH = 14;

/**
 * The successor containers of the export account, read for the scanner. Each container is walked
 * once per ten minutes down to its resource folders (the prefix before `y=`); each scan then lists only
 * the current and previous hour's folders of each resource (the only ones still appended to), and the
 * blobs of open cursors, never the container's history.
 */
export class BlobAppendSource implements AppendBlobSource {
  private readonly roots = new Map<string, { at: number; roots: string[] }>();
  /** List requests made, for the bench. */
  listRequests = 0;

  /**
   * @param continuousExportContainer - a container of the Continuous Export layout to follow too
   *   (EXPORT_TRIGGER_SOURCE=Scan): its folders are `<app>_<ikey>/<Type>/` and its hours `yyyy-MM-dd/HH/`
   */
  constructor(
    private readonly service: BlobServiceClient,
    private readonly continuousExportContainer?: string,
  ) {}

  /** The containers named by these prefixes (lower case, as container names always are). */
  async discover(prefixes: readonly string[]): Promise<string[]> {
    const names: string[] = [];
    for (const prefix of prefixes) {
      this.listRequests++;
      for await (const container of this.service.listContainers({ prefix })) names.push(container.name);
    }
    return names;
  }

  async *list(container: string, now: number, open: readonly ExportCursor[]): AsyncIterable<AppendBlobInfo> {
    const client = this.service.getContainerClient(container);
    const seen = new Set<string>();
    const exportLayout = container === this.continuousExportContainer;
    for (const root of await this.rootsOf(container, now)) {
      for (const hour of [now, now - 60 * 60_000]) {
        this.listRequests++;
        for await (const item of client.listBlobsFlat({
          prefix: `${root}${exportLayout ? exportHourFolder(hour) : hourFolder(hour)}`,
        })) {
          if (seen.has(item.name)) continue;
          seen.add(item.name);
          yield infoOf(container, item.name, item.properties);
        }
      }
    }
    // Blobs appended late, after the previous hour: their cursors are still open. One listing per
    // folder of them, not a request per blob.
    const folders = new Set(
      open.filter((c) => !seen.has(c.blobName)).map((c) => c.blobName.slice(0, c.blobName.lastIndexOf('/') + 1)),
    );
    for (const folder of folders) {
      this.listRequests++;
      for await (const item of client.listBlobsFlat({ prefix: folder })) {
        if (seen.has(item.name)) continue;
        seen.add(item.name);
        yield infoOf(container, item.name, item.properties);
      }
    }
  }

  async *read(container: string, blobName: string, offset: number, count: number): AsyncIterable<Uint8Array> {
    if (count <= 0) return;
    const response = await this.service.getContainerClient(container).getBlobClient(blobName).download(offset, count);
    for await (const chunk of response.readableStreamBody as AsyncIterable<Uint8Array>) yield chunk;
  }

  private async rootsOf(container: string, now: number): Promise<string[]> {
    const cached = this.roots.get(container);
    if (cached && now - cached.at < ROOTS_TTL_MS) return cached.roots;
    const roots: string[] = [];
    const client = this.service.getContainerClient(container);
    // The folder below a resource: `y=2026/` in the successor layouts, `2026-12-02/` in Continuous Export.
    const periodFolder = container === this.continuousExportContainer ? /^\d{4}-\d{2}-\d{2}\/$/ : /^y=\d{4}\/$/i;
    const walk = async (prefix: string, depth: number): Promise<void> => {
      if (depth > MAX_DEPTH) return;
      this.listRequests++;
      for await (const item of client.listBlobsByHierarchy('/', { prefix })) {
        if (item.kind !== 'prefix') continue;
        const segment = item.name.slice(prefix.length);
        if (periodFolder.test(segment)) {
          if (!roots.includes(prefix)) roots.push(prefix);
        } else {
          await walk(item.name, depth + 1);
        }
      }
    };
    try {
      await walk('', 0);
    } catch (error) {
      // A data export rule creates its container with its first export: nothing to follow yet.
      if (!isNotFound(error)) throw error;
    }
    this.roots.set(container, { at: now, roots });
    return roots;
  }
}

/** `y=2026/m=12/d=02/h=01/`, the hour folder of both layouts (data export has 5-minute folders below it). */
export function hourFolder(at: number): string {
  const d = new Date(at);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `y=${d.getUTCFullYear()}/m=${pad(d.getUTCMonth() + 1)}/d=${pad(d.getUTCDate())}/h=${pad(d.getUTCHours())}/`;
}

/** `2026-12-02/01/`, the hour folder of Continuous Export. */
export function exportHourFolder(at: number): string {
  const iso = new Date(at).toISOString();
  return `${iso.slice(0, 10)}/${iso.slice(11, 13)}/`;
}

function infoOf(
  container: string,
  name: string,
  p: { contentLength?: number | undefined; createdOn?: Date | undefined; lastModified: Date },
): AppendBlobInfo {
  return {
    container,
    name,
    length: p.contentLength ?? 0,
    // NOTE: Azure and Azurite report creation time; without it Last-Modified at first sight would
    // change with every append, so the creation is taken as the epoch and re-creation is seen by length.
    createdOn: p.createdOn?.getTime() ?? 0,
    lastModified: p.lastModified.getTime(),
  };
}
