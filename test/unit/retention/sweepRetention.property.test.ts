import fc from 'fast-check';

import { parseExportPath } from '../../../shared/core/export/parseExportPath';
import { TELEMETRY_TYPE_NAMES, type TelemetryType } from '../../../shared/core/export/telemetryTypes';
import type { RetentionPolicy } from '../../../shared/core/retention/retentionPolicy';
import { sweepRetention } from '../../../shared/core/retention/sweepRetention';
import { MemoryRetentionStore } from './memoryRetentionStore';

const HOUR = 3_600_000;
const FOLDERS = [
  'shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0',
  'my_app_00112233-4455-6677-8899-aabbccddeeff',
  'backup',
  'shop_notakey',
];
const TYPES = ['Requests', 'Exceptions', 'Event', 'Messages', 'Logs'];

/** The law's own reading of age, independent of the sweep's folder logic: hour end ≤ now - days. */
function isExpired(name: string, policy: RetentionPolicy, now: Date): boolean {
  const placed = parseExportPath(name);
  if (!placed.ok) return false;
  const days = policy.daysByType[placed.value.telemetryType] ?? policy.defaultDays;
  return placed.value.depositedAt.getTime() + HOUR <= now.getTime() - days * 24 * HOUR;
}

const nowArb = fc.date({ min: new Date('2023-01-01'), max: new Date('2026-01-01'), noInvalidDate: true });
const policyArb = fc.record({
  defaultDays: fc.oneof(fc.integer({ min: 1, max: 60 }), fc.double({ min: 0.01, max: 60, noNaN: true })),
  daysByType: fc.dictionary(fc.constantFrom(...TELEMETRY_TYPE_NAMES), fc.integer({ min: 1, max: 90 })),
});
/**
 * Blob names around each type's cutoff (where a mistake would show) and anywhere in four months:
 * mostly in the layout, some outside it in every way the layout can be missed.
 */
const nameArb = (now: Date, policy: RetentionPolicy) =>
  fc
    .record({
      folder: fc.constantFrom(...FOLDERS),
      type: fc.constantFrom(...TYPES),
      offset: fc.oneof(
        { arbitrary: fc.integer({ min: -3, max: 3 }), weight: 2 },
        { arbitrary: fc.integer({ min: -30, max: 30 }), weight: 2 },
        { arbitrary: fc.integer({ min: -24 * 45, max: 24 * 120 }), weight: 1 },
      ),
      hourText: fc.option(fc.constantFrom('24', '7', 'xx'), { freq: 20 }),
      file: fc.constantFrom('a.blob', 'b.blob', 'sub/c.blob', ''),
    })
    .map(({ folder, type, offset, hourText, file }) => {
      const days = policy.daysByType[type as TelemetryType] ?? policy.defaultDays;
      const at = new Date(Math.floor((now.getTime() - days * 24 * HOUR) / HOUR) * HOUR + offset * HOUR).toISOString();
      return `${folder}/${type}/${at.slice(0, 10)}/${hourText ?? at.slice(11, 13)}/${file || 'd.blob'}`;
    });

describe('sweepRetention (property)', () => {
  it('never deletes a blob younger than its window, and deletes every expired one after enough runs', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .tuple(nowArb, policyArb)
          .chain(([now, policy]) =>
            fc.tuple(
              fc.constant(now),
              fc.constant(policy),
              fc.uniqueArray(nameArb(now, policy), { maxLength: 150, size: 'medium' }),
              fc.integer({ min: 1, max: 40 }),
              fc.boolean(),
            ),
          ),
        async ([now, policy, names, maxDeletes, dryRunFirst]) => {
          // Arrange
          const store = new MemoryRetentionStore(names);
          const expired = names.filter((n) => isExpired(n, policy, now));
          const sweep = (dryRun: boolean) =>
            sweepRetention(
              { policy, now, dryRun, maxDeletes, maxSeconds: 240, concurrency: 2 },
              { store, stopwatch: () => 0 },
            );

          // Act + Assert: every run deletes only expired blobs; a dry run deletes none.
          if (dryRunFirst) {
            const dry = await sweep(true);
            expect(store.names()).toEqual([...names].sort());
            expect(dry.wouldDelete.every((n) => isExpired(n, policy, now))).toBe(true);
          }
          const runs = Math.ceil(expired.length / maxDeletes) + 1;
          for (let run = 0; run < runs; run++) {
            const before = new Set(store.names());
            const report = await sweep(false);
            const deleted = [...before].filter((n) => !store.names().includes(n));
            expect(deleted.filter((n) => !isExpired(n, policy, now))).toEqual([]);
            expect(report.deleted.blobs).toBe(deleted.length);
          }
          expect(store.names()).toEqual(names.filter((n) => !isExpired(n, policy, now)).sort());
        },
      ),
      { numRuns: 500 },
    );
  });
});
