import fc from 'fast-check';

import { WORKSPACE_TABLE_NAMES } from '../../../shared/core/export/workspaceTables';
import type { RetentionPolicy } from '../../../shared/core/retention/retentionPolicy';
import type { SuccessorContainerRef } from '../../../shared/core/retention/selectExpiredSuccessorFolders';
import { sweepRetention } from '../../../shared/core/retention/sweepRetention';
import { MemoryRetentionStore } from './memoryRetentionStore';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DS: SuccessorContainerRef = {
  container: 'insights-logs-apprequests',
  format: 'diagnosticSettings',
  table: 'AppRequests',
};
const DE: SuccessorContainerRef = { container: 'am-apprequests', format: 'dataExport', table: 'AppRequests' };
const ROOTS = {
  diagnosticSettings: [
    'resourceId=/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.INSIGHTS/COMPONENTS/A',
    'resourceid=/subscriptions/s/resourcegroups/rg/providers/microsoft.insights/components/b',
    'resourceId=/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.WEB/SITES/C',
  ],
  dataExport: [
    'WorkspaceResourceId=/subscriptions/s/resourcegroups/rg/providers/microsoft.operationalinsights/workspaces/w',
    'WorkspaceResourceId=/subscriptions/s/resourcegroups/rg/providers/microsoft.insights/components/x',
  ],
};
const FILES = {
  diagnosticSettings: ['PT1H.json', 'PT1H.json', 'PT05M.json'],
  dataExport: ['PT05M.json', 'PT05M_2.json', 'PT5M.json', 'PT1H.json'],
};

/**
 * The law's own reading, written without the parser: a blob in the layout goes once its period has
 * ended by `now - days` and it can no longer grow (2 h after its hour, 60 h after its 5 minutes).
 */
function mayDelete(source: SuccessorContainerRef, name: string, policy: RetentionPolicy, now: Date): boolean {
  const ds = source.format === 'diagnosticSettings';
  const layout = ds
    ? /^resourceid=\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft\.insights\/components\/[^/]+\/y=(\d{4})\/m=(\d{2})\/d=(\d{2})\/h=(\d{2})\/m=(00)\/PT1H\.json$/i
    : /^workspaceresourceid=\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft\.operationalinsights\/workspaces\/[^/]+\/y=(\d{4})\/m=(\d{2})\/d=(\d{2})\/h=(\d{2})\/m=(\d{2})\/(?:PT05M(?:_\d+)?|PT5M)\.json$/i;
  const match = layout.exec(name);
  if (!match) return false;
  // File names are case-sensitive; the regex flag above only serves the folder keys.
  if (!/\/(PT1H|PT05M(_\d+)?|PT5M)\.json$/.test(name)) return false;
  if (Number(match[5]) % 5 !== 0 || Number(match[5]) > 55) return false;
  const end =
    Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]), Number(match[4]), Number(match[5])) +
    (ds ? HOUR : 5 * MINUTE);
  const days = policy.daysByTable?.[source.table] ?? policy.defaultDays;
  return end <= now.getTime() - days * 24 * HOUR && end + (ds ? 2 : 60) * HOUR <= now.getTime();
}

const nowArb = fc.date({ min: new Date('2023-01-01'), max: new Date('2026-01-01'), noInvalidDate: true });
const policyArb = fc.record({
  defaultDays: fc.integer({ min: 1, max: 60 }),
  daysByType: fc.constant({}),
  daysByTable: fc.dictionary(fc.constantFrom(...WORKSPACE_TABLE_NAMES), fc.integer({ min: 1, max: 5 })),
});

/** Names around the cutoff and the end of the grace (where a mistake would show), in and out of the layout. */
const nameArb = (source: SuccessorContainerRef, now: Date, policy: RetentionPolicy) =>
  fc
    .record({
      root: fc.constantFrom(...ROOTS[source.format]),
      file: fc.constantFrom(...FILES[source.format]),
      anchor: fc.constantFrom('cutoff', 'grace'),
      offset: fc.oneof(
        { arbitrary: fc.integer({ min: -15, max: 15 }), weight: 3 },
        { arbitrary: fc.integer({ min: -24 * 12 * 40, max: 24 * 12 * 5 }), weight: 1 },
      ),
      minuteText: fc.option(fc.constantFrom('07', '60', '5'), { freq: 15 }),
    })
    .map(({ root, file, anchor, offset, minuteText }) => {
      const days = policy.daysByTable?.[source.table] ?? policy.defaultDays;
      const base =
        anchor === 'cutoff'
          ? now.getTime() - days * 24 * HOUR
          : now.getTime() - (source.format === 'diagnosticSettings' ? 2 : 60) * HOUR;
      const step = source.format === 'diagnosticSettings' ? HOUR : 5 * MINUTE;
      const at = new Date(Math.floor(base / step) * step + offset * step).toISOString();
      const minute = source.format === 'diagnosticSettings' ? '00' : at.slice(14, 16);
      return `${root}/y=${at.slice(0, 4)}/m=${at.slice(5, 7)}/d=${at.slice(8, 10)}/h=${at.slice(11, 13)}/m=${minuteText ?? minute}/${file}`;
    });

describe('sweepRetention over successor containers (property)', () => {
  it('never deletes a blob inside its window or one that can still grow, and deletes every other expired one after enough runs', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .tuple(nowArb, policyArb)
          .chain(([now, policy]) =>
            fc.tuple(
              fc.constant(now),
              fc.constant(policy),
              fc.uniqueArray(nameArb(DS, now, policy), { maxLength: 80 }),
              fc.uniqueArray(nameArb(DE, now, policy), { maxLength: 80 }),
              fc.integer({ min: 1, max: 40 }),
              fc.boolean(),
            ),
          ),
        async ([now, policy, dsNames, deNames, maxDeletes, dryRunFirst]) => {
          // Arrange
          const ds = new MemoryRetentionStore(dsNames);
          const de = new MemoryRetentionStore(deNames);
          const successors = [
            { ...DE, store: de },
            { ...DS, store: ds },
          ];
          const expired = [
            ...dsNames.filter((n) => mayDelete(DS, n, policy, now)),
            ...deNames.filter((n) => mayDelete(DE, n, policy, now)),
          ];
          const sweep = (dryRun: boolean) =>
            sweepRetention(
              { policy, now, dryRun, maxDeletes, maxSeconds: 240, concurrency: 2 },
              { stopwatch: () => 0, successors },
            );

          // Act + Assert: every run deletes only what may go; a dry run deletes none and lists only what may go.
          if (dryRunFirst) {
            const dry = await sweep(true);
            expect([ds.names(), de.names()]).toEqual([[...dsNames].sort(), [...deNames].sort()]);
            expect(
              dry.wouldDeleteSuccessor.filter(
                (b) => !mayDelete(b.container === DS.container ? DS : DE, b.blobName, policy, now),
              ),
            ).toEqual([]);
          }
          const runs = Math.ceil(expired.length / maxDeletes) + 1;
          for (let run = 0; run < runs; run++) await sweep(false);
          expect(ds.names()).toEqual(dsNames.filter((n) => !mayDelete(DS, n, policy, now)).sort());
          expect(de.names()).toEqual(deNames.filter((n) => !mayDelete(DE, n, policy, now)).sort());
        },
      ),
      { numRuns: 300 },
    );
  });
});
