import { type RunDeps, sweepExportContainer } from '../../shared/composition/runRetentionSweep';
import type { SweepReport, SweepSummary } from '../../shared/core/retention/sweepSummary';
import { createTestContainer } from '../harness/storage';
import {
  APP,
  hourBlobs,
  listNames,
  OTHER,
  range,
  settingsFor,
  uploadAll,
} from '../integration/retention/retentionFixtures';

const NOW = new Date('2024-03-31T10:30:00Z');
const deps: RunDeps = {
  now: NOW,
  stopwatch: () => performance.now(),
  logger: { info: () => {}, warn: () => {}, error: () => {} },
};

function report(summary: SweepSummary): SweepReport {
  if (summary.status === 'refused') throw new Error(`sweep refused: ${summary.problems.join('; ')}`);
  return summary;
}

describe('sweepExportContainer at scale, on Azurite', () => {
  it('clears 3,000+ blobs across many prefixes and lists only expired folders', async () => {
    // Arrange: 2 apps × 2 types × 8 expired days × 24 hours × 4 files, plus retained days.
    const container = await createTestContainer('retention');
    const days = range(8).map((d) => `2024-01-${String(d + 10).padStart(2, '0')}`);
    const expired = [APP, OTHER].flatMap((app) =>
      ['Event', 'Messages'].flatMap((type) =>
        days.flatMap((day) => range(4).flatMap((f) => hourBlobs(app, type, day, range(24), `${f}.blob`))),
      ),
    );
    const kept = [APP, OTHER].flatMap((app) => hourBlobs(app, 'Event', '2024-03-30'));
    await uploadAll(container, [...expired, ...kept], 64);

    // Act
    const result = report(await sweepExportContainer(container, settingsFor(container), deps));

    // Assert
    expect(expired.length).toBe(3072);
    expect(await listNames(container)).toEqual([...kept].sort());
    expect(result).toMatchObject({ deleted: { blobs: 3072 }, listedBlobs: 3072 });
    expect(result.expiredPrefixes).toHaveLength(32);
  });
});
