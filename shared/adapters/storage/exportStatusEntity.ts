import { HOURS_PER_DAY, type SourceHealth } from '../../core/health/sourceHealth';
import type { ExportSource } from '../../core/status/exportActivity';
import type { ExportStatusEntry } from '../../core/status/exportStatusBook';
import { type FailingVersion, type FailureRing, type HourCount, RING_HOURS } from '../../core/status/failureCounts';
import { clipText } from './chunkedText';
import { EntityReader, type StoredEntity, VERSION_PROPERTY } from './storedEntity';

/** The shape of the status entities this build writes. */
export const EXPORT_STATUS_VERSION = 1;

/** The sources a stored `Source` may name. */
export const SOURCES: ReadonlySet<string> = new Set<ExportSource>([
  'continuousExport',
  'diagnosticSettings',
  'dataExport',
]);

/** `Fail00` … `Fail23`: the ring's slots, one property each (`<epoch hour> <failures> <poisoned>`). */
export function ringProperty(slot: number): string {
  return `Fail${String(slot).padStart(2, '0')}`;
}

export function ringProperties(ring: FailureRing): Record<string, string> {
  const properties: Record<string, string> = {};
  ring.forEach((count, slot) => {
    if (count !== undefined) properties[ringProperty(slot)] = `${count.hour} ${count.failures} ${count.poisoned}`;
  });
  return properties;
}

/**
 * `Delivered00` … `Delivered23`: per UTC hour of the day, when the latest delivery in it was noted. A
 * delivery writes its own hour's property in its one blind upsert, so the watchdog can tell a source
 * that delivers every hour from one that is quiet at times, at no extra request.
 */
export function deliveredProperty(hourOfDay: number): string {
  return `Delivered${String(hourOfDay).padStart(2, '0')}`;
}

export function failingProperty(failing: readonly FailingVersion[]): string {
  return JSON.stringify(failing.map((f) => [f.key, f.tries, f.lastAt]));
}

/** @throws StoredStateError naming the first property that is missing or malformed */
export function exportStatusOf(table: string, entity: StoredEntity): ExportStatusEntry {
  const r = new EntityReader(table, entity, EXPORT_STATUS_VERSION);
  const source = r.text('Source');
  if (!SOURCES.has(source))
    r.fail('Source', `is '${clipText(source, 40)}', expected one of ${[...SOURCES].join(', ')}`);
  const lastAt = r.optionalTime('LastAt');
  const failedAt = r.optionalTime('LastFailureAt');
  const failingText = r.optionalText('Failing');
  return {
    app: r.text('App'),
    type: r.text('Type'),
    source: source as ExportSource,
    ...(lastAt === undefined
      ? {}
      : {
          last: {
            blob: r.text('LastBlob'),
            version: r.text('LastVersion'),
            at: lastAt,
            records: r.integer('LastRecords'),
            matches: r.integer('LastMatches'),
            emails: r.integer('LastEmails'),
          },
        }),
    ...(failedAt === undefined
      ? {}
      : {
          lastFailure: {
            blob: r.text('LastFailureBlob'),
            version: r.text('LastFailureVersion'),
            at: failedAt,
            error: r.text('LastError'),
          },
        }),
    ring: Array.from({ length: RING_HOURS }, (_, slot) => {
      const name = ringProperty(slot);
      const text = r.optionalText(name);
      return text === undefined ? undefined : hourCountOf(text, (problem) => r.fail(name, problem));
    }),
    failing: failingText === undefined ? [] : r.json('Failing', failingText, failingOf),
  };
}

/**
 * The entity as the watchdog and the health digest read it: the status, the delivered hours, and the
 * failure totals (`FailuresTotal`, `PoisonedTotal`, counted by each failure note since this version).
 * @throws StoredStateError naming the first property that is missing or malformed
 */
export function sourceHealthOf(table: string, entity: StoredEntity): SourceHealth {
  const status = exportStatusOf(table, entity);
  const r = new EntityReader(table, entity, EXPORT_STATUS_VERSION);
  const poisonedAt = r.optionalTime('LastPoisonedAt');
  return {
    status,
    deliveredHours: Array.from({ length: HOURS_PER_DAY }, (_, hour) => r.optionalTime(deliveredProperty(hour))),
    totals: {
      failures: optionalCount(r, entity, 'FailuresTotal'),
      poisoned: optionalCount(r, entity, 'PoisonedTotal'),
    },
    ...(poisonedAt === undefined ? {} : { lastPoisoned: { blob: r.text('LastPoisonedBlob'), at: poisonedAt } }),
  };
}

function optionalCount(r: EntityReader, entity: StoredEntity, name: string): number {
  // Entities written before the totals existed have none: nothing counted yet.
  return entity[name] === undefined || entity[name] === null ? 0 : r.integer(name);
}

export function statusHeader(app: string, type: string, source: ExportSource): Record<string, string | number> {
  return { [VERSION_PROPERTY]: EXPORT_STATUS_VERSION, App: clipText(app, 1024), Type: type, Source: source };
}

function hourCountOf(text: string, fail: (problem: string) => never): HourCount {
  const parts = text.split(' ').map(Number);
  if (parts.length !== 3 || !parts.every((n) => Number.isSafeInteger(n) && n >= 0))
    fail('is not "<epoch hour> <failures> <poisoned>"');
  const [hour = 0, failures = 0, poisoned = 0] = parts;
  return { hour, failures, poisoned };
}

function failingOf(value: unknown, fail: (problem: string) => never): FailingVersion[] {
  if (!Array.isArray(value)) fail('is not a list of [key, tries, last try]');
  return value.map((item: unknown) => {
    if (!Array.isArray(item)) return fail('holds an entry that is not [key, tries, last try]');
    const [key, tries, lastAt] = item as unknown[];
    if (typeof key !== 'string' || typeof tries !== 'number' || typeof lastAt !== 'number')
      fail('holds an entry that is not [key, tries, last try]');
    return { key, tries, lastAt };
  });
}
