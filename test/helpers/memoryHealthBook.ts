import type { AlertRecord } from '../../shared/core/alerts/alertRecord';
import type { DigestState, HealthBook, StoredDigest, WatchChange } from '../../shared/core/health/healthBook';
import type { StoredWatch } from '../../shared/core/health/planWatch';
import type { MemoryAlertBook } from './memoryAlertBook';

export type HealthOp = 'listWatches' | 'commitNotice' | 'forget' | 'readDigest' | 'commitDigest';
/** Called before and after each operation: may throw (a storage failure) or wait (two timers side by side). */
export type HealthHook = (op: HealthOp, when: 'before' | 'after') => Promise<void> | void;

/**
 * The health book in memory, with the Table adapter's semantics: state changes are conditional on the
 * version read, and a notice's record goes into the alert book's records in the same step, or nothing
 * does. Versions are counters, as ETags are opaque.
 */
export class MemoryHealthBook implements HealthBook {
  readonly watches = new Map<string, StoredWatch>();
  digest: StoredDigest | undefined;
  hook: HealthHook = () => {};
  private versions = 0;

  constructor(private readonly book: MemoryAlertBook) {}

  async listWatches(): Promise<{ watches: StoredWatch[]; unreadable: string[] }> {
    await this.hook('listWatches', 'before');
    const watches = [...this.watches.values()];
    await this.hook('listWatches', 'after');
    return { watches, unreadable: [] };
  }

  async commitNotice(changes: readonly WatchChange[], record: AlertRecord): Promise<boolean> {
    await this.hook('commitNotice', 'before');
    const stale = changes.some((c) => this.watches.get(key(c.app, c.type))?.version !== c.previous?.version);
    if (stale || this.book.record(record.ruleKey, record.recordKey) !== undefined) return false;
    for (const c of changes)
      this.watches.set(key(c.app, c.type), {
        app: c.app,
        type: c.type,
        source: c.source,
        state: c.next,
        version: this.nextVersion(),
      });
    // The watches changed above, before any await: a concurrent commit now fails on their versions.
    await this.book.insert(record);
    await this.hook('commitNotice', 'after');
    return true;
  }

  async forget(watch: StoredWatch): Promise<void> {
    await this.hook('forget', 'before');
    if (this.watches.get(key(watch.app, watch.type))?.version === watch.version)
      this.watches.delete(key(watch.app, watch.type));
  }

  async readDigest(): Promise<StoredDigest | undefined> {
    await this.hook('readDigest', 'before');
    return this.digest && structuredClone(this.digest);
  }

  async commitDigest(previous: StoredDigest | undefined, next: DigestState, record?: AlertRecord): Promise<boolean> {
    await this.hook('commitDigest', 'before');
    if (this.digest?.version !== previous?.version) return false;
    if (record && this.book.record(record.ruleKey, record.recordKey) !== undefined) return false;
    this.digest = { state: structuredClone(next), version: this.nextVersion() };
    if (record) await this.book.insert(record);
    await this.hook('commitDigest', 'after');
    return true;
  }

  private nextVersion(): string {
    return `v${++this.versions}`;
  }
}

function key(app: string, type: string): string {
  return `${app}\u0000${type}`;
}
