import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';

import { stateRowKey, TableAlertBook } from '../../shared/adapters/storage/tableAlertBook';
import { tableKey } from '../../shared/adapters/storage/tableKeys';
import { EMPTY_STATE } from '../../shared/core/alerts/alertState';
import { serializeState } from '../../shared/core/alerts/alertStateText';
import { testTableClient } from '../harness/storage';

// Issue 15 §2, "finding open episodes must not scan every group state of every rule each minute":
// how the maintenance timer finds open alerts, measured three ways on Azurite at two table sizes.
// - index: one key-range query per rule over its `e~` entries (what TableAlertBook.listEpisodes does);
// - flag: one query for states flagged open (`Kind eq 'state' and Open eq true`), the alternative;
// - scan: every group state read and parsed, what having neither would cost.
// NOTE: Azure evaluates a filter that names no PartitionKey by reading every entity of the table, and
// ends a page at each partition boundary as well as at 1,000 entities or 5 seconds ("Query timeout and
// pagination", learn.microsoft.com/rest/api/storageservices/query-timeout-and-pagination); Azurite
// pages only by count, so the flag's request count here is a floor of what it costs in Azure.

const RULES = 20;
const OPEN_PER_RULE = 1;
const T0 = Date.UTC(2026, 0, 5, 12);

/** Counts the HTTP requests a client sends. */
function counted(table: TableClient): { readonly requests: () => number } {
  let requests = 0;
  table.pipeline.addPolicy({
    name: 'countRequests',
    sendRequest: async (request, next) => {
      requests++;
      return next(request);
    },
  });
  return { requests: () => requests };
}

/** A table of RULES rules, `groups` group states each with `recordsPerGroup` delivery records; one group per rule open. */
async function seed(table: TableClient, groups: number, recordsPerGroup: number): Promise<void> {
  await table.createTable();
  const state = serializeState({ ...EMPTY_STATE, anchorMinute: Math.floor(T0 / 60_000), lastFiredAt: T0 });
  for (let r = 0; r < RULES; r++) {
    const ruleKey = `shop/rule-${r}`;
    const partitionKey = tableKey(ruleKey);
    const entities: TransactionAction[] = [];
    for (let g = 0; g < groups; g++) {
      const group = `[["cloud_RoleName","role-${g}"]]`;
      entities.push([
        'create',
        {
          partitionKey,
          rowKey: stateRowKey(group),
          V: 1,
          Kind: 'state',
          Rule: ruleKey,
          Group: group,
          UpdatedAt: new Date(T0),
          State: state,
          StateParts: 1,
        },
      ]);
      for (let d = 0; d < recordsPerGroup; d++) {
        entities.push([
          'create',
          {
            partitionKey,
            rowKey: `d~${r}-${g}-${d}`,
            V: 1,
            Kind: 'record',
            Rule: ruleKey,
            Group: group,
            Blob: `shop_1/Requests/2026-01-05/12/${d}.blob`,
            DeliveryId: `${d}`,
            Status: 'counted',
            RecordedAt: new Date(T0),
            LeaseUntil: { value: '0', type: 'Int64' },
            Attempts: 0,
            AcceptedBatches: '',
          },
        ]);
      }
    }
    for (let start = 0; start < entities.length; start += 100)
      await table.submitTransaction(entities.slice(start, start + 100));
  }
  // The open alerts through the real write path, index entries included.
  const book = new TableAlertBook(table, async () => {});
  for (let r = 0; r < RULES; r++) {
    for (let g = 0; g < OPEN_PER_RULE; g++) {
      await book.changeState(
        `shop/rule-${r}`,
        `[["cloud_RoleName","role-${g}"]]`,
        (current) => ({
          state: {
            ...(current ?? EMPTY_STATE),
            episode: {
              since: T0,
              lastBreachAt: T0,
              rows: 1,
              weighted: 1,
              firings: 1,
              minutes: {},
              source: { appName: 'shop', folder: 'shop_1', blobName: 'b' },
            },
          },
        }),
        T0,
      );
      // The flag design would write this with the state: set here for the `flag` query to find.
      await table.updateEntity(
        {
          partitionKey: tableKey(`shop/rule-${r}`),
          rowKey: stateRowKey(`[["cloud_RoleName","role-${g}"]]`),
          Open: true,
        },
        'Merge',
      );
    }
  }
}

async function measure(run: () => Promise<number>, client: { requests: () => number }) {
  const before = client.requests();
  const started = performance.now();
  const found = await run();
  return { found, requests: client.requests() - before, ms: Math.round(performance.now() - started) };
}

describe('finding open alerts, on Azurite', () => {
  it.each([
    [250, 4],
    [1_000, 9],
  ])('reads only the open alerts through the index: %i groups per rule, %i records each', async (groups, records) => {
    // Arrange
    const table = testTableClient('episodeindex');
    await seed(table, groups, records);
    const client = counted(table);
    const book = new TableAlertBook(table, async () => {});

    // Act
    const index = await measure(async () => {
      let found = 0;
      for (let r = 0; r < RULES; r++) for await (const _ of book.listEpisodes(`shop/rule-${r}`)) found++;
      return found;
    }, client);
    const flag = await measure(async () => {
      let found = 0;
      for await (const _ of table.listEntities({
        queryOptions: { filter: odata`Kind eq 'state' and Open eq ${true}` },
      }))
        found++;
      return found;
    }, client);
    const scan = await measure(async () => {
      let found = 0;
      for await (const entity of table.listEntities({ queryOptions: { filter: "Kind eq 'state'" } }))
        if (typeof entity['State'] === 'string' && entity['State'].includes('"e":')) found++;
      return found;
    }, client);

    // Assert
    const entities = RULES * groups * (records + 1) + RULES * OPEN_PER_RULE;
    process.stdout.write(
      `${entities} entities (${RULES} rules × ${groups} groups × ${records} records + states + ${RULES} index entries): ` +
        `index ${index.requests} requests ${index.ms} ms; flag ${flag.requests} requests ${flag.ms} ms; ` +
        `all states ${scan.requests} requests ${scan.ms} ms\n`,
    );
    expect([index.found, flag.found, scan.found]).toEqual([
      RULES * OPEN_PER_RULE,
      RULES * OPEN_PER_RULE,
      RULES * OPEN_PER_RULE,
    ]);
    expect(index.requests).toBe(RULES);
  });
});
