import { Readable } from 'node:stream';

import { silentLogger } from '../../shared/core/logger';
import { type BlobSummary, processExportBlob } from '../../shared/core/processExportBlob';
import { type AlertRule, compileRule } from '../../shared/core/rules/alertRule';
import { requestBlobName, requestRow } from '../helpers/exportRows';

const MIN = 60_000;
const DEPOSITED = Date.UTC(2024, 2, 5, 13, 6);

function recentRule(): AlertRule {
  const compiled = compileRule({
    partitionKey: 'shop-prod',
    rowKey: 'recent',
    Query: 'requests | where timestamp > ago(10m)',
    Recipients: 'ops@example.com',
  });
  if (!compiled.ok) throw new Error('rule does not compile');
  return compiled.value;
}

/** Processes one blob with events at 12:50 and 13:05, its clock reading `processedAt`; counts only, no mail. */
async function processAt(processedAt: number): Promise<{ summary: BlobSummary; clockReads: number }> {
  let clockReads = 0;
  const rows = [requestRow({ at: '2024-03-05T12:50:00Z' }), requestRow({ at: '2024-03-05T13:05:00Z' })];
  const summary = await processExportBlob(
    { name: requestBlobName(), etag: '"0x1"', depositedAt: DEPOSITED, content: Readable.from([rows.join('\n')]) },
    {
      maxLineBytes: 1 << 20,
      logger: silentLogger,
      now: () => {
        clockReads++;
        return processedAt;
      },
      rulesFor: () => Promise.resolve([recentRule()]),
    },
  );
  return { summary, clockReads };
}

describe('processExportBlob and the evaluation time', () => {
  it.each([
    { processed: '13:12', at: Date.UTC(2024, 2, 5, 13, 12), matches: 1 },
    { processed: '13:16', at: Date.UTC(2024, 2, 5, 13, 16), matches: 0 },
    { processed: '12:59', at: Date.UTC(2024, 2, 5, 12, 59), matches: 2 },
  ])(
    'counts ago(10m) from the processing time, not the deposit time (13:06): at $processed, $matches of 12:50 and 13:05',
    async ({ at, matches }) => {
      // Act
      const { summary, clockReads } = await processAt(at);

      // Assert
      expect(summary.status === 'processed' && summary.matches).toEqual({ 'shop-prod/recent': matches });
      expect(clockReads).toBe(1);
    },
  );

  it('gives every record of the blob the same evaluation time', async () => {
    // Arrange: a clock a minute later at each reading; read per record, it would drop the second event.
    let clock = Date.UTC(2024, 2, 5, 13, 14);
    const rows = [requestRow({ at: '2024-03-05T13:06:00Z' }), requestRow({ at: '2024-03-05T13:06:00Z' })];

    // Act
    const summary = await processExportBlob(
      { name: requestBlobName(), etag: '"0x1"', depositedAt: DEPOSITED, content: Readable.from([rows.join('\n')]) },
      {
        maxLineBytes: 1 << 20,
        logger: silentLogger,
        now: () => (clock += MIN),
        rulesFor: () => Promise.resolve([recentRule()]),
      },
    );

    // Assert
    expect(summary.status === 'processed' && summary.matches).toEqual({ 'shop-prod/recent': 2 });
  });
});
