import type { ExportStatusEntry } from '../status/exportStatusBook';

/** Slots of the delivered-hours ring: one per UTC hour of the day. */
export const HOURS_PER_DAY = 24;
export const HOUR_MS = 60 * 60_000;
export const DAY_MS = HOURS_PER_DAY * HOUR_MS;

/**
 * One app and type as the watchdog and the digest read it from its status entity: what `status`
 * shows, plus when it delivered hour by hour over the last day and its failures since it was first
 * noted. All of it is fixed-size, whatever the traffic.
 */
export interface SourceHealth {
  readonly status: ExportStatusEntry;
  /**
   * Index = UTC hour of the day: when the latest delivery processed in an hour with that hour of day
   * was noted (epoch ms). A delivery overwrites its hour's slot, so over the 24 hours up to the last
   * delivery a slot holds a time in its own hour exactly when that hour had a delivery.
   */
  readonly deliveredHours: readonly (number | undefined)[];
  /** Failed tries and poisoned blob versions counted since the entity was written first. */
  readonly totals: { readonly failures: number; readonly poisoned: number };
  /** The last blob version whose failed try reached the host's poison threshold. */
  readonly lastPoisoned?: { readonly blob: string; readonly at: number };
}

/** Reads every app and type's health; entities that do not read are named, not thrown. */
export interface SourceHealthReader {
  listSources(): Promise<{ readonly sources: readonly SourceHealth[]; readonly unreadable: readonly string[] }>;
}

/** The UTC hour of the day of an epoch ms: the slot of the delivered-hours ring. */
export function hourOfDay(ms: number): number {
  return ((Math.floor(ms / HOUR_MS) % HOURS_PER_DAY) + HOURS_PER_DAY) % HOURS_PER_DAY;
}

/** Identifies an app and type across the status table and the watchdog's state. */
export function sourceKey(app: string, type: string): string {
  return `${app}\u0000${type}`;
}

/**
 * Whether a delivery was noted in each of the `hours` clock hours (UTC) up to and including the hour
 * of `lastAt`. Nothing after `lastAt` was noted, so no slot of those hours can have been overwritten.
 */
export function deliveredSteadily(
  deliveredHours: readonly (number | undefined)[],
  lastAt: number,
  hours: number,
): boolean {
  const lastHour = Math.floor(lastAt / HOUR_MS);
  for (let hour = lastHour - Math.min(hours, HOURS_PER_DAY) + 1; hour <= lastHour; hour++) {
    const at = deliveredHours[hourOfDay(hour * HOUR_MS)];
    if (at === undefined || Math.floor(at / HOUR_MS) !== hour) return false;
  }
  return true;
}
