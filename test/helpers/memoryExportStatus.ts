import { digestKey } from '../../shared/core/digestKey';
import {
  hourOfDay,
  HOURS_PER_DAY,
  type SourceHealth,
  type SourceHealthReader,
} from '../../shared/core/health/sourceHealth';
import type { DeliveredActivity, ExportSource, FailedActivity } from '../../shared/core/status/exportActivity';
import type { ExportStatusBook } from '../../shared/core/status/exportStatusBook';
import { countFailure, noteFailedTry } from '../../shared/core/status/failureCounts';

/**
 * The export status in memory, with the Table adapter's semantics: a delivery overwrites the last
 * delivery and its hour-of-day slot; a failure counts in the ring, the failing versions and the totals.
 */
export class MemoryExportStatus implements ExportStatusBook, SourceHealthReader {
  readonly sources = new Map<string, SourceHealth>();

  async noteDelivered(a: DeliveredActivity): Promise<void> {
    const current = this.entry(a.app, a.type, a.source);
    const deliveredHours = [...current.deliveredHours];
    deliveredHours[hourOfDay(a.at)] = a.at;
    this.sources.set(key(a.app, a.type), {
      ...current,
      status: {
        ...current.status,
        last: { blob: a.blob, version: a.version, at: a.at, records: a.records, matches: a.matches, emails: a.emails },
      },
      deliveredHours,
    });
  }

  async noteFailed(a: FailedActivity): Promise<void> {
    const current = this.entry(a.app, a.type, a.source);
    const tried = a.poisonable
      ? noteFailedTry(current.status.failing, digestKey(`${a.blob}\u0000${a.version}`, 16), a.at)
      : { failing: current.status.failing, poisoned: false };
    this.sources.set(key(a.app, a.type), {
      ...current,
      status: {
        ...current.status,
        lastFailure: { blob: a.blob, version: a.version, at: a.at, error: a.error },
        ring: countFailure(current.status.ring, a.at, tried.poisoned),
        failing: tried.failing,
      },
      totals: {
        failures: current.totals.failures + 1,
        poisoned: current.totals.poisoned + (tried.poisoned ? 1 : 0),
      },
      ...(tried.poisoned ? { lastPoisoned: { blob: a.blob, at: a.at } } : {}),
    });
  }

  async listSources(): Promise<{ sources: SourceHealth[]; unreadable: string[] }> {
    return { sources: [...this.sources.values()], unreadable: [] };
  }

  /** A delivery of `app` and `type` at each step of `every` ms from `from` to `to` (both included). */
  async deliverEvery(
    app: string,
    type: string,
    source: ExportSource,
    from: number,
    to: number,
    every: number,
  ): Promise<void> {
    for (let at = from; at <= to; at += every) await this.noteDelivered(delivered(app, type, source, at));
  }

  private entry(app: string, type: string, source: ExportSource): SourceHealth {
    return (
      this.sources.get(key(app, type)) ?? {
        status: { app, type, source, ring: [], failing: [] },
        deliveredHours: Array.from({ length: HOURS_PER_DAY }, () => undefined),
        totals: { failures: 0, poisoned: 0 },
      }
    );
  }
}

/** A delivery of one blob or range, as the functions note it. */
export function delivered(app: string, type: string, source: ExportSource, at: number): DeliveredActivity {
  return {
    kind: 'delivered',
    app,
    type,
    source,
    blob:
      source === 'continuousExport'
        ? `${app}_0f1e/${type}/blob-${at}.blob`
        : `insights-logs-${type.toLowerCase()}/${app}/PT1H.json`,
    version: source === 'continuousExport' ? `"0x${at.toString(16)}"` : `bytes=0-${at % 1000}`,
    at,
    records: 3,
    matches: 0,
    emails: 0,
  };
}

function key(app: string, type: string): string {
  return `${app}\u0000${type}`;
}
