import type {
  DeleteOutcome,
  LevelEntry,
  ListedBlob,
  RetentionStore,
} from '../../../shared/core/retention/retentionStore';

/**
 * A RetentionStore over an in-memory container that behaves like the service where the sweep
 * depends on it: delimiter listings in name order, ETag-conditional deletes, leases, and a record
 * of every call so tests can check what was listed and how much was in flight.
 */
export class MemoryRetentionStore implements RetentionStore {
  private readonly blobs = new Map<string, { size: number; etag: number }>();
  private nextEtag = 1;
  readonly leased = new Set<string>();
  readonly levelListings: string[] = [];
  readonly blobListings: string[] = [];
  readonly deleteCalls: (readonly string[])[] = [];
  inFlight = 0;
  maxInFlight = 0;

  constructor(
    names: Iterable<string> = [],
    private readonly deleteDelayMs = 0,
  ) {
    for (const name of names) this.put(name);
  }

  put(name: string, size = 10): void {
    this.blobs.set(name, { size, etag: this.nextEtag++ });
  }

  names(): string[] {
    return [...this.blobs.keys()].sort();
  }

  async *listLevel(prefix: string): AsyncIterable<LevelEntry> {
    this.levelListings.push(prefix);
    const seen = new Set<string>();
    for (const name of this.names()) {
      if (!name.startsWith(prefix)) continue;
      const slash = name.indexOf('/', prefix.length);
      if (slash === -1) yield { kind: 'blob', ...this.listed(name) };
      else {
        const folder = name.slice(0, slash + 1);
        if (!seen.has(folder)) yield { kind: 'prefix', name: folder };
        seen.add(folder);
      }
    }
  }

  async *listBlobs(prefix: string): AsyncIterable<ListedBlob> {
    this.blobListings.push(prefix);
    for (const name of this.names()) if (name.startsWith(prefix)) yield this.listed(name);
  }

  async deleteBlobs(blobs: readonly ListedBlob[]): Promise<readonly DeleteOutcome[]> {
    this.deleteCalls.push(blobs.map((b) => b.name));
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise((resolve) => setTimeout(resolve, this.deleteDelayMs));
    this.inFlight--;
    return blobs.map((blob): DeleteOutcome => {
      const stored = this.blobs.get(blob.name);
      if (stored === undefined) return { status: 'gone' };
      if (this.leased.has(blob.name)) return { status: 'skipped', reason: 'under lease (LeaseIdMissing)' };
      if (blob.etag !== String(stored.etag))
        return { status: 'skipped', reason: 'changed since it was listed (ConditionNotMet)' };
      this.blobs.delete(blob.name);
      return { status: 'deleted' };
    });
  }

  private listed(name: string): ListedBlob {
    const stored = this.blobs.get(name);
    return { name, size: stored?.size ?? 0, etag: String(stored?.etag) };
  }
}
