import fc from 'fast-check';

import { TELEMETRY_TYPE_NAMES } from '../../../shared/core/export/telemetryTypes';
import type { RetentionPolicy } from '../../../shared/core/retention/retentionPolicy';
import {
  classifyBlob,
  classifyPrefix,
  selectExpiredPrefixes,
} from '../../../shared/core/retention/selectExpiredPrefixes';

const APP = 'shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0';
const POLICY: RetentionPolicy = { defaultDays: 30, daysByType: { Requests: 7, Exceptions: 90 } };
/** Cutoff for the 30-day default: 2024-03-01T10:30:00Z. */
const NOW = new Date('2024-03-31T10:30:00Z');

describe('classifyPrefix', () => {
  it.each([
    ['an app folder', 'descend', `${APP}/`],
    ['a type folder', 'descend', `${APP}/Event/`],
    ['a date whose last hour ended before the cutoff', 'expired', `${APP}/Event/2024-02-29/`],
    ['the date holding the cutoff', 'descend', `${APP}/Event/2024-03-01/`],
    ['a date after the cutoff', 'retained', `${APP}/Event/2024-03-02/`],
    ['the hour that ended just before the cutoff', 'expired', `${APP}/Event/2024-03-01/09/`],
    ['the hour the cutoff falls in', 'retained', `${APP}/Event/2024-03-01/10/`],
    ['the hour after the cutoff', 'retained', `${APP}/Event/2024-03-01/11/`],
    ['the last hour of the previous month', 'expired', `${APP}/Event/2024-02-29/23/`],
    ['Requests (7 days): the hour ending at its cutoff', 'expired', `${APP}/Requests/2024-03-24/09/`],
    ['Requests (7 days): the hour holding its cutoff', 'retained', `${APP}/Requests/2024-03-24/10/`],
    ['Requests (7 days): a date 8 days old', 'expired', `${APP}/Requests/2024-03-23/`],
    ['Exceptions (90 days): a date 60 days old', 'retained', `${APP}/Exceptions/2024-01-31/`],
    ['Exceptions (90 days): a date in the previous year', 'expired', `${APP}/Exceptions/2023-12-31/`],
  ])('%s → %s', (_name, action, prefix) => {
    expect(classifyPrefix(prefix, POLICY, NOW).action).toBe(action);
  });

  it('expires an hour exactly when its end meets the cutoff', () => {
    // Arrange: cutoff 2024-03-01T10:00:00Z exactly.
    const now = new Date('2024-03-31T10:00:00Z');

    // Act + Assert
    expect(classifyPrefix(`${APP}/Event/2024-03-01/09/`, POLICY, now).action).toBe('expired');
    expect(classifyPrefix(`${APP}/Event/2024-03-01/10/`, POLICY, new Date(now.getTime() + 3_599_999)).action).toBe(
      'retained',
    );
    expect(classifyPrefix(`${APP}/Event/2024-03-01/10/`, POLICY, new Date(now.getTime() + 3_600_000)).action).toBe(
      'expired',
    );
  });

  it('expires a whole date only once its last hour has ended before the cutoff', () => {
    expect(classifyPrefix(`${APP}/Event/2024-02-29/`, POLICY, new Date('2024-03-31T00:00:00Z')).action).toBe('expired');
    expect(classifyPrefix(`${APP}/Event/2024-02-29/`, POLICY, new Date('2024-03-30T23:59:59Z')).action).toBe('descend');
  });

  it.each([
    ['a folder without an instrumentation key', 'backup/', /not <app>_<instrumentationKey>/],
    ['an unknown type folder', `${APP}/Logs/`, /'Logs' is not an export telemetry type/],
    ['a date folder that is not a date', `${APP}/Event/old/`, /'old' is not a yyyy-MM-dd date folder/],
    ['a date that does not exist', `${APP}/Event/2023-02-29/`, /not a calendar date/],
    ['an hour folder out of range', `${APP}/Event/2020-01-01/24/`, /'24' is not an HH hour folder/],
    ['a folder below the hour', `${APP}/Event/2020-01-01/00/x/`, /deeper than/],
  ])('leaves %s outside the layout', (_name, prefix, reason) => {
    const decision = classifyPrefix(prefix, POLICY, NOW);
    expect(decision).toEqual({ action: 'outside', reason: expect.stringMatching(reason) });
  });

  it('treats types the sweep does not cover as outside it', () => {
    const onlyRequests = new Set(['Requests'] as const);
    expect(classifyPrefix(`${APP}/Event/`, POLICY, NOW, onlyRequests)).toEqual({
      action: 'outside',
      reason: 'type Event is not swept',
    });
    expect(classifyPrefix(`${APP}/Requests/`, POLICY, NOW, onlyRequests).action).toBe('descend');
  });

  it('agrees with its hours: a date is expired when all 24 are, retained when none is', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2019-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }),
        fc.integer({ min: -50, max: 50 }),
        fc.constantFrom(...TELEMETRY_TYPE_NAMES),
        (now, hoursFromCutoff, type) => {
          // Arrange: a date folder near its type's cutoff, where the two rules could disagree.
          const days = POLICY.daysByType[type] ?? POLICY.defaultDays;
          const date = new Date(now.getTime() - days * 86_400_000 + hoursFromCutoff * 3_600_000)
            .toISOString()
            .slice(0, 10);

          // Act
          const hours = Array.from(
            { length: 24 },
            (_, h) => classifyPrefix(`${APP}/${type}/${date}/${String(h).padStart(2, '0')}/`, POLICY, now).action,
          );

          // Assert
          const expected = hours.every((a) => a === 'expired')
            ? 'expired'
            : hours.every((a) => a === 'retained')
              ? 'retained'
              : 'descend';
          expect(classifyPrefix(`${APP}/${type}/${date}/`, POLICY, now).action).toBe(expected);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('selectExpiredPrefixes', () => {
  it('sorts one listing into expired, descend, retained and outside', () => {
    const selection = selectExpiredPrefixes(
      [`${APP}/Event/2024-02-28/`, `${APP}/Event/2024-03-01/`, `${APP}/Event/2024-03-05/`, `${APP}/Event/notes/`],
      POLICY,
      NOW,
    );
    expect(selection).toEqual({
      expired: [`${APP}/Event/2024-02-28/`],
      descend: [`${APP}/Event/2024-03-01/`],
      retained: [`${APP}/Event/2024-03-05/`],
      outside: [{ prefix: `${APP}/Event/notes/`, reason: "'notes' is not a yyyy-MM-dd date folder" }],
    });
  });
});

describe('classifyBlob', () => {
  it('accepts an export blob in an expired hour', () => {
    const result = classifyBlob(`${APP}/Event/2024-03-01/09/a.blob`, POLICY, NOW);
    expect(result).toMatchObject({ ok: true, value: { telemetryType: 'Event', folder: APP } });
  });

  it.each([
    ['a blob in an hour inside the window', `${APP}/Event/2024-03-01/10/a.blob`, /inside the Event retention window/],
    ['a blob one folder too deep', `${APP}/Event/2024-03-01/09/sub/a.blob`, /expected 5 path segments/],
    ['a blob directly in a date folder', `${APP}/Event/2024-03-01/a.blob`, /expected 5 path segments/],
    [
      'a blob of a type with a longer window',
      `${APP}/Exceptions/2024-03-01/09/a.blob`,
      /inside the Exceptions retention window/,
    ],
  ])('refuses %s', (_name, blobName, reason) => {
    expect(classifyBlob(blobName, POLICY, NOW)).toEqual({ ok: false, error: expect.stringMatching(reason) });
  });
});
