import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  countFailure,
  type FailingVersion,
  type FailureRing,
  lastDayCounts,
  MAX_FAILING_VERSIONS,
  noteFailedTry,
  POISON_BLOB_THRESHOLD,
  RING_HOURS,
} from '../../../shared/core/status/failureCounts';

const HOUR = 60 * 60_000;
const T0 = Date.UTC(2024, 2, 5, 13, 10);

describe('the hourly failure ring', () => {
  it('counts failures and poisoned blobs in the slot of their hour', () => {
    // Act
    let ring: FailureRing = [];
    ring = countFailure(ring, T0, false);
    ring = countFailure(ring, T0 + 20 * 60_000, true);

    // Assert: 2024-03-05 13:xx is epoch hour 474901, slot 474901 mod 24 = 13
    expect(ring).toHaveLength(RING_HOURS);
    expect(ring[13]).toEqual({ hour: 474901, failures: 2, poisoned: 1 });
    expect(ring.filter((slot) => slot !== undefined)).toHaveLength(1);
  });

  it('starts a slot over when the same hour of a later day reaches it', () => {
    // Arrange
    const yesterday = countFailure(countFailure([], T0 - 24 * HOUR, true), T0 - 24 * HOUR, false);

    // Act
    const today = countFailure(yesterday, T0, false);

    // Assert
    expect(today[13]).toEqual({ hour: 474901, failures: 1, poisoned: 0 });
  });

  it.each([
    ['the current hour', 0, { failures: 1, poisoned: 1 }],
    ['23 hours ago', 23, { failures: 1, poisoned: 1 }],
    ['24 hours ago', 24, { failures: 0, poisoned: 0 }],
    ['a week ago', 24 * 7, { failures: 0, poisoned: 0 }],
  ])('counts a failure of %s in the last day as %j', (_when, hoursAgo, expected) => {
    // Arrange
    const ring = countFailure([], T0 - hoursAgo * HOUR, true);

    // Act / Assert
    expect(lastDayCounts(ring, T0)).toEqual(expected);
  });

  it('never holds more than 24 slots, whatever the number of failures', () => {
    // Act: a failure every 10 minutes for three days
    let ring: FailureRing = [];
    for (let t = T0; t < T0 + 72 * HOUR; t += 10 * 60_000) ring = countFailure(ring, t, false);

    // Assert
    expect(ring).toHaveLength(24);
    // 23 whole hours of 6 failures, and the one at 13:00 of the hour still under way
    expect(lastDayCounts(ring, T0 + 72 * HOUR - 1)).toEqual({ failures: 139, poisoned: 0 });
  });
});

describe('noteFailedTry', () => {
  it('counts a blob version as poisoned at its fifth failed try, and only then', () => {
    // Act
    let failing: FailingVersion[] = [];
    const poisonedAt: number[] = [];
    for (let attempt = 1; attempt <= 7; attempt++) {
      const noted = noteFailedTry(failing, 'blob-a', T0 + attempt * 60_000);
      failing = noted.failing;
      if (noted.poisoned) poisonedAt.push(attempt);
    }

    // Assert
    expect(poisonedAt).toEqual([5]);
    expect(failing).toEqual([{ key: 'blob-a', tries: 7, lastAt: T0 + 7 * 60_000 }]);
  });

  it('forgets a version not seen failing for a day', () => {
    // Arrange
    const failing = [{ key: 'old', tries: 4, lastAt: T0 - 25 * HOUR }];

    // Act
    const noted = noteFailedTry(failing, 'new', T0);

    // Assert
    expect(noted.failing).toEqual([{ key: 'new', tries: 1, lastAt: T0 }]);
  });

  it(`remembers at most ${MAX_FAILING_VERSIONS} versions, forgetting the one that failed longest ago`, () => {
    // Arrange
    let failing: FailingVersion[] = [];
    for (let i = 0; i < 25; i++) failing = noteFailedTry(failing, `blob-${i}`, T0 + i * 1000).failing;

    // Assert
    expect(failing).toHaveLength(20);
    expect(failing[0]).toEqual({ key: 'blob-24', tries: 1, lastAt: T0 + 24_000 });
    expect(failing.at(-1)).toEqual({ key: 'blob-5', tries: 1, lastAt: T0 + 5_000 });
  });

  it("uses host.json's poisonBlobThreshold", () => {
    // Arrange
    const host = JSON.parse(readFileSync(join(__dirname, '../../../host.json'), 'utf8')) as {
      extensions: { blobs: { poisonBlobThreshold: number } };
    };

    // Assert
    expect(POISON_BLOB_THRESHOLD).toBe(host.extensions.blobs.poisonBlobThreshold);
  });
});
