import { InvocationContext, type Timer } from '@azure/functions';
import { BlobServiceClient } from '@azure/storage-blob';

import { exportLogScanHandler } from '../../functions/exportLogScan';
import { checkConfig } from '../../shared/adapters/settings/config';
import { tableClientFrom } from '../../shared/adapters/storage/clients';
import { TableRuleStore } from '../../shared/adapters/storage/tableRuleStore';
import type { ScanSummary } from '../../shared/core/cursors/scanAppendBlobs';
import { classicTableOf, WORKSPACE_TABLE_NAMES } from '../../shared/core/export/workspaceTables';
import type { AlertEmail } from '../../shared/core/mail/alertEmail';
import type { Mailer, SendReceipt } from '../../shared/core/mail/mailer';
import { testConnectionString, uniqueName } from '../harness/storage';

const RESOURCES = 100;

/** One row of a table that every table has the columns for. */
function line(table: string, resource: string, at: number, n: number): string {
  return `${JSON.stringify({ time: new Date(at).toISOString(), resourceId: resource, Type: table, AppRoleName: 'Shop', OperationId: `op-${n}`, Name: n % 10 === 0 ? 'checkout' : 'browse', ItemCount: 1, Properties: { tenant: 'acme' } })}\n`;
}

describe('exportLogScan at scale, on Azurite', () => {
  it(`follows ${RESOURCES} resources × 10 tables in one scan, and the next scan reads nothing again`, async () => {
    // Arrange: every App* table's container, a PT1H.json per resource, each appended to twice
    const id = uniqueName('').replace(/[^a-z0-9]/g, '');
    const connection = testConnectionString();
    const containers = WORKSPACE_TABLE_NAMES.map((t) => `insights-logs-${t.toLowerCase()}`);
    const config = checkConfig({
      AzureWebJobsStorage: connection,
      EXPORT_STORAGE: connection,
      ALERT_RULES_TABLE: `rules${id}`,
      ALERT_STATE_TABLE: `state${id}`,
      EXPORT_CURSOR_TABLE: `cursors${id}`,
      EXPORT_SCAN_CONTAINERS: containers.join(','),
      MAIL_TRANSPORT: 'outbox',
      // Every alert of this test goes to one address: the per-recipient budget (60) would fold most.
      ALERT_MAX_EMAILS_PER_RECIPIENT_PER_HOUR: '10000',
    });
    if (!config.ok) throw config.error;
    const sent: AlertEmail[] = [];
    const mailer: Mailer = {
      send: async (email): Promise<SendReceipt> => (
        sent.push(email),
        { provider: 'outbox', requests: 1, messageIds: ['m'], acceptedBatches: [0] }
      ),
    };
    const scope = uniqueName('scale-');
    const store = new TableRuleStore(tableClientFrom(connection, `rules${id}`));
    // Half the rules in the workspace schema, half in the classic one.
    for (const [i, table] of WORKSPACE_TABLE_NAMES.entries()) {
      const query =
        i % 2 === 0
          ? `${table} | where OperationId startswith "op-" and Properties.tenant == "acme"`
          : `${classicTableOf(table)} | where operation_Id startswith "op-" and customDimensions.tenant == "acme"`;
      await store.put({
        partitionKey: '*',
        rowKey: `${scope}-${table}`,
        Query: query,
        Recipients: 'ops@example.com',
        ThrottleMinutes: 0,
      });
    }
    const now = Date.now();
    const service = BlobServiceClient.fromConnectionString(connection);
    let rows = 0;
    for (const [t, table] of WORKSPACE_TABLE_NAMES.entries()) {
      const container = service.getContainerClient(containers[t] as string);
      await container.createIfNotExists();
      await Promise.all(
        Array.from({ length: RESOURCES }, async (_, r) => {
          const resource = `/SUBSCRIPTIONS/0000/RESOURCEGROUPS/${scope.toUpperCase()}/PROVIDERS/MICROSOFT.INSIGHTS/COMPONENTS/APP-${r}`;
          const d = new Date(now);
          const pad = (v: number) => String(v).padStart(2, '0');
          const name = `resourceId=${resource}/y=${d.getUTCFullYear()}/m=${pad(d.getUTCMonth() + 1)}/d=${pad(d.getUTCDate())}/h=${pad(d.getUTCHours())}/m=00/PT1H.json`;
          const blob = container.getAppendBlobClient(name);
          await blob.create();
          for (let a = 0; a < 2; a++) {
            const text = line(table, resource, now, rows++) + line(table, resource, now, rows++);
            await blob.appendBlock(text, Buffer.byteLength(text));
          }
        }),
      );
    }
    const handler = exportLogScanHandler({ mailer }, config.value);
    const scan = async (): Promise<ScanSummary> => {
      const context = new InvocationContext({
        invocationId: uniqueName('scan'),
        functionName: 'exportLogScan',
        logHandler: () => {},
      });
      const timer: Timer = {
        isPastDue: false,
        schedule: { adjustForDST: false },
        scheduleStatus: { last: '', next: '', lastUpdated: '' },
      };
      return (await handler(timer, context)) as ScanSummary;
    };

    // Act
    const first = await scan();
    const second = await scan();

    // Assert: every row of this test evaluated once (the '*' rules also see other tests' blobs)
    const mine = sent.filter((e) => e.subject.includes(scope));
    expect(mine).toHaveLength(WORKSPACE_TABLE_NAMES.length * RESOURCES);
    expect(first.failed).toBe(0);
    expect(second.records).toBe(0);
    process.stdout.write(
      `scale scan: ${first.blobs} blobs, ${first.ranges} ranges, ${first.records} records, ${first.emails} e-mails; second scan ${second.ranges} ranges\n`,
    );
  });
});
