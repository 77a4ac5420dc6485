import { parseSuccessorPath } from '../../shared/core/export/successorPath';
import { silentLogger } from '../../shared/core/logger';
import { processLogRange } from '../../shared/core/processLogRange';
import { type AlertRule, compileRule } from '../../shared/core/rules/alertRule';

const BLOB =
  'resourceId=/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.INSIGHTS/COMPONENTS/SHOP-PROD/y=2024/m=03/d=05/h=13/m=00/PT1H.json';

function recentRule(): AlertRule {
  const compiled = compileRule({
    partitionKey: '*',
    rowKey: 'recent',
    Query: 'AppRequests | where TimeGenerated > ago(10m)',
    Recipients: 'ops@example.com',
  });
  if (!compiled.ok) throw new Error('rule does not compile');
  return compiled.value;
}

async function* bytesOf(text: string): AsyncGenerator<Uint8Array> {
  yield Buffer.from(text);
}

describe('processLogRange and the evaluation time', () => {
  it.each([
    { processed: '13:12', at: Date.UTC(2024, 2, 5, 13, 12), matches: 1 },
    { processed: '13:16', at: Date.UTC(2024, 2, 5, 13, 16), matches: 0 },
  ])(
    'counts ago(10m) from the processing time its clock gives once: at $processed, $matches of 12:50 and 13:05',
    async ({ at, matches }) => {
      // Arrange
      const placed = parseSuccessorPath('insights-logs-apprequests', BLOB);
      if (!placed.ok) throw new Error('not a successor path');
      const rows = ['12:50', '13:05'].map((time) =>
        JSON.stringify({ time: `2024-03-05T${time}:00Z`, Type: 'AppRequests', ResultCode: '200' }),
      );
      let clockReads = 0;

      // Act
      const summary = await processLogRange(
        {
          ref: placed.value,
          content: bytesOf(`${rows.join('\n')}\n`),
          firstLine: 1,
          version: () => 'bytes=0-200',
          depositedAt: Date.UTC(2024, 2, 5, 13, 6),
        },
        {
          maxLineBytes: 1 << 20,
          logger: silentLogger,
          now: () => {
            clockReads++;
            return at;
          },
          rulesForTable: () => Promise.resolve([recentRule()]),
        },
      );

      // Assert
      expect(summary.matches).toEqual({ '*/recent': matches });
      expect(clockReads).toBe(1);
    },
  );
});
