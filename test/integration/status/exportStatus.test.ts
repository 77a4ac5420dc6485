import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { TableClient } from '@azure/data-tables';
import { InvocationContext, type Timer } from '@azure/functions';
import { BlobServiceClient } from '@azure/storage-blob';
import { QueueServiceClient } from '@azure/storage-queue';

import { runCli } from '../../../cli/main';
import { exportBlobHandler } from '../../../functions/exportBlobReceived';
import { exportLogScanHandler } from '../../../functions/exportLogScan';
import { loadConfig } from '../../../shared/adapters/settings/config';
import { tableClientFrom } from '../../../shared/adapters/storage/clients';
import { TableExportStatus } from '../../../shared/adapters/storage/tableExportStatus';
import { TableRuleStore } from '../../../shared/adapters/storage/tableRuleStore';
import type { ServiceOverrides } from '../../../shared/composition/appServices';
import { MailSendError } from '../../../shared/core/errors';
import type { Mailer } from '../../../shared/core/mail/mailer';
import { POISON_QUEUE } from '../../../shared/core/status/poisonMessages';
import { privateAzurite } from '../../harness/privateAzurite';
import { testConnectionString, uniqueName } from '../../harness/storage';

// The state behind `export-alerts status`: one entity per app and type, one request per delivery, and
// never a reason for a delivery to fail (issue 14 §5).

// The host's poison queue has one name per account: other test files read it from the shared Azurite
// (`status` exits 1 while it holds messages), so the test that fills it has an Azurite of its own.
const poisonAccount = privateAzurite();

const FOLDER = 'shopfront-prod_0f1e2d3c4b5a69788796a5b4c3d2e1f0';
const FIXTURE = readFileSync(
  join(__dirname, `../../fixtures/export/${FOLDER}/Requests/2024-03-05/13/edge_20240305_130102.blob`),
);
const T0 = Date.UTC(2024, 2, 5, 13, 2);
const blobName = (i: number) => `${FOLDER}/Requests/2024-03-05/13/edge_${String(i).padStart(4, '0')}.blob`;

function settings(overrides: Record<string, string> = {}): Record<string, string> {
  const name = uniqueName('status').replace(/[^a-z0-9]/g, '');
  return {
    AzureWebJobsStorage: testConnectionString(),
    ALERT_RULES_TABLE: `r${name}`,
    ALERT_STATE_TABLE: `s${name}`,
    EXPORT_STATUS_TABLE: `x${name}`,
    OUTBOX_DIR: mkdtempSync(join(tmpdir(), 'outbox-')),
    ...overrides,
  };
}

async function deliver(
  env: Record<string, string>,
  overrides: ServiceOverrides,
  blobs: readonly { name: string; etag: string; at: number }[],
  logs: string[] = [],
  beforeEach: (i: number) => void = () => {},
): Promise<{ failed: number }> {
  const handler = exportBlobHandler(overrides, loadConfig(env));
  let failed = 0;
  for (const [i, blob] of blobs.entries()) {
    beforeEach(i);
    const context = new InvocationContext({
      triggerMetadata: {
        name: blob.name,
        properties: { eTag: blob.etag, lastModified: new Date(blob.at).toISOString(), contentLength: FIXTURE.length },
      },
      logHandler: (level, ...args) => logs.push(`${level}: ${args.join(' ')}`),
    });
    try {
      await handler(FIXTURE, context);
    } catch {
      failed++;
    }
  }
  return { failed };
}

async function cli(env: Record<string, string>, now: number, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(
    argv,
    { out: (l) => out.push(l), err: (l) => err.push(l) },
    { env, now: () => new Date(now) },
  );
  return { code, out, err };
}

async function entitiesOf(table: TableClient): Promise<Record<string, unknown>[]> {
  const entities: Record<string, unknown>[] = [];
  for await (const entity of table.listEntities<Record<string, unknown>>()) entities.push(entity);
  return entities;
}

describe('the export status the functions write', () => {
  it('stays one entity of the same size after 300 deliveries, each costing one request', async () => {
    // Arrange: a status table client that counts the requests it sends
    const env = settings();
    const requests: string[] = [];
    const counting = TableClient.fromConnectionString(testConnectionString(), env['EXPORT_STATUS_TABLE'] ?? '', {
      allowInsecureConnection: true,
      additionalPolicies: [
        {
          position: 'perCall',
          policy: {
            name: 'countRequests',
            sendRequest: (request, next) => {
              requests.push(request.method);
              return next(request);
            },
          },
        },
      ],
    });
    const table = tableClientFrom(testConnectionString(), env['EXPORT_STATUS_TABLE'] ?? '');
    let clock = T0;
    const overrides: ServiceOverrides = { now: () => clock, exportStatus: new TableExportStatus(counting) };
    const blobs = Array.from({ length: 300 }, (_, i) => ({ name: blobName(i), etag: `"0x${i}"`, at: T0 + i * 1000 }));

    // Act
    const first = await deliver(env, overrides, blobs.slice(0, 1));
    const [afterOne] = await entitiesOf(table);
    const rest = await deliver(env, overrides, blobs.slice(1), [], (i) => {
      clock = T0 + (i + 1) * 1000;
    });
    const after300 = await entitiesOf(table);

    // Assert: the first write found no table, created it and wrote again; then one upsert per delivery
    expect(first.failed + rest.failed).toBe(0);
    expect(requests.slice(0, 3)).toEqual(['PATCH', 'POST', 'PATCH']);
    expect(requests.slice(3)).toEqual(Array.from({ length: 299 }, () => 'PATCH'));
    expect(after300).toHaveLength(1);
    expect(Object.keys(after300[0] ?? {}).sort()).toEqual(Object.keys(afterOne ?? {}).sort());
    expect(after300[0]).toMatchObject({
      partitionKey: 'shopfront-prod',
      rowKey: 'Requests',
      LastBlob: blobName(299),
      LastVersion: '"0x299"',
      LastAt: new Date(T0 + 299_000),
      // No rule: the prefilter skips every row unread.
      LastRecords: 0,
    });
  }, 120_000);

  it('counts every failed try and a blob poisoned at its fifth, and status exits 1', async () => {
    // Arrange: a rule that matches, and a mailer SendGrid keeps refusing with a 503
    const env = settings();
    await new TableRuleStore(tableClientFrom(testConnectionString(), env['ALERT_RULES_TABLE'] ?? '')).put({
      partitionKey: 'shopfront-prod',
      rowKey: 'all-requests',
      Query: 'requests',
      Recipients: 'ops@example.com',
    });
    const refusing: Mailer = {
      send: async () => {
        throw new MailSendError('SendGrid mail/send failed: 503 Service Unavailable', { retryable: true, attempts: 1 });
      },
    };
    let clock = T0;
    const tries = Array.from({ length: 5 }, () => ({ name: blobName(1), etag: '"0x1"', at: T0 }));

    // Act: the host's five tries of one blob version, a minute apart
    const { failed } = await deliver(env, { mailer: refusing, now: () => clock }, tries, [], (i) => {
      clock = T0 + i * 60_000;
    });
    const status = await cli(env, T0 + 10 * 60_000, 'status');

    // Assert
    expect(failed).toBe(5);
    expect(status.code).toBe(1);
    expect(status.out.slice(2, 6)).toEqual([
      `shopfront-prod  Requests  Continuous Export  never           -    -        -        -        5             1             -`,
      'rules: 1 valid, 0 invalid',
      `failures in the last 24 h: 5; last: 2024-03-05 13:06:00 UTC, shopfront-prod Requests, ${blobName(1)}: 1 alert e-mail(s) could not be sent: alert shopfront-prod/all-requests (d~FM9-3UNkmOOZtagktfdtlIMDLQto236S): SendGrid mail/send failed: 503 Service Unavailable`,
      "poisoned blobs in the last 24 h, by the functions' count: 1",
    ]);
  });

  it('lets the delivery succeed, and logs a warning, when the status table cannot be reached', async () => {
    // Arrange: alerting on Azurite, the status on a port nothing listens on
    const env = settings();
    await new TableRuleStore(tableClientFrom(testConnectionString(), env['ALERT_RULES_TABLE'] ?? '')).put({
      partitionKey: 'shopfront-prod',
      rowKey: 'all-requests',
      Query: 'requests',
      Recipients: 'ops@example.com',
    });
    const unreachable = TableClient.fromConnectionString(
      testConnectionString().replace(/TableEndpoint=[^;]+/, 'TableEndpoint=http://127.0.0.1:9/devstoreaccount1'),
      'ExportStatus',
      { allowInsecureConnection: true },
    );
    const logs: string[] = [];

    // Act
    const { failed } = await deliver(
      env,
      { now: () => T0, exportStatus: new TableExportStatus(unreachable, 1_000) },
      [{ name: blobName(2), etag: '"0x2"', at: T0 }],
      logs,
    );

    // Assert
    expect(failed).toBe(0);
    const files = readdirSync(env['OUTBOX_DIR'] ?? '').filter((f) => f.endsWith('.eml'));
    expect(files).toHaveLength(1);
    const listed = await cli(env, T0 + 60_000, 'alerts', 'list', '--json');
    expect(JSON.parse(listed.out.join('\n'))).toEqual([
      expect.objectContaining({
        rule: 'shopfront-prod/all-requests',
        status: 'sent',
        provider: 'outbox',
        outboxFile: join(env['OUTBOX_DIR'] ?? '', files[0] ?? ''),
      }),
    ]);
    expect(logs.filter((l) => l.startsWith('warning: export status'))).toEqual([
      expect.stringMatching(
        new RegExp(
          `^warning: export status of shopfront-prod Requests not updated for ${blobName(2)} \\(alerting is not affected\\): `,
        ),
      ),
    ]);
  });

  it("reads the host's poison queue: messages of this function in the last 24 h", async () => {
    // Arrange: one poison message of exportBlobReceived, base64 as the host writes it, one of another function
    const env = settings({ AzureWebJobsStorage: poisonAccount.connectionString() });
    const queue = QueueServiceClient.fromConnectionString(poisonAccount.connectionString()).getQueueClient(
      POISON_QUEUE,
    );
    await queue.createIfNotExists();
    const message = (functionId: string) =>
      Buffer.from(
        JSON.stringify({
          Type: 'BlobTrigger',
          FunctionId: functionId,
          BlobType: 'BlockBlob',
          ContainerName: 'export',
          BlobName: blobName(3),
          ETag: '"0x3"',
        }),
      ).toString('base64');
    await queue.sendMessage(message('Host.Functions.exportBlobReceived'));
    await queue.sendMessage(message('Host.Functions.someoneElse'));
    const insertedAround = Date.now();

    try {
      // Act
      const today = await cli(env, insertedAround + 60_000, 'status');
      const tomorrow = await cli(env, insertedAround + 25 * 60 * 60_000, 'status', '--json');

      // Assert
      expect(today.code).toBe(1);
      expect(today.out.at(-1)).toBe(
        'poison queue webjobs-blobtrigger-poison: 2 messages, 1 from exportBlobReceived in the last 24 h',
      );
      expect((JSON.parse(tomorrow.out.join('\n')) as { poisonQueue: unknown }).poisonQueue).toEqual({
        state: 'read',
        messages: 2,
        lastDay: 0,
        beyondPeek: 0,
      });
    } finally {
      await queue.delete();
    }
  });

  it('notes the last range of a diagnostic-settings append blob under its component and table', async () => {
    // Arrange: one PT1H.json of two requests. NOTE: the real hour, as in exportLogScan.test.ts: a blob of
    // a fixed past date would age into other tests' retention sweeps of the shared container.
    const component = uniqueName('shop-api-').toUpperCase();
    const resource = `/SUBSCRIPTIONS/0000/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.INSIGHTS/COMPONENTS/${component}`;
    const clock = Math.floor(Date.now() / 3_600_000) * 3_600_000 + 20 * 60_000;
    const d = new Date(clock);
    const pad = (n: number) => String(n).padStart(2, '0');
    const name = `resourceId=${resource}/y=${d.getUTCFullYear()}/m=${pad(d.getUTCMonth() + 1)}/d=${pad(d.getUTCDate())}/h=${pad(d.getUTCHours())}/m=00/PT1H.json`;
    const rows = [1, 2]
      .map((n) =>
        JSON.stringify({
          time: new Date(clock - 60_000).toISOString(),
          resourceId: resource,
          Type: 'AppRequests',
          Id: `r${n}`,
          Name: 'GET /',
          ResultCode: '200',
          DurationMs: 1,
          ItemCount: 1,
        }),
      )
      .join('\n');
    const text = Buffer.from(`${rows}\n`);
    const env = settings({
      EXPORT_STORAGE: testConnectionString(),
      EXPORT_SCAN_CONTAINERS: 'insights-logs-apprequests',
      EXPORT_CURSOR_TABLE: `c${uniqueName('').replace(/[^a-z0-9]/g, '')}`,
    });
    const container =
      BlobServiceClient.fromConnectionString(testConnectionString()).getContainerClient('insights-logs-apprequests');
    await container.createIfNotExists();
    const blob = container.getAppendBlobClient(name);
    await blob.create();
    await blob.appendBlock(text, text.length);
    const timer: Timer = {
      isPastDue: false,
      schedule: { adjustForDST: false },
      scheduleStatus: { last: '', next: '', lastUpdated: '' },
    };

    // Act
    await exportLogScanHandler({ now: () => clock }, loadConfig(env))(
      timer,
      new InvocationContext({ invocationId: uniqueName('scan'), functionName: 'exportLogScan', logHandler: () => {} }),
    );
    const status = await cli(env, clock + 60_000, 'status', '--json');

    // Assert: this blob's entry; the scan also notes blobs other test files append to the shared
    // container in the same hour (the demo's), under their own components
    const exports = (JSON.parse(status.out.join('\n')) as { exports: { app: string }[] }).exports;
    expect(exports.filter((e) => e.app === component)).toEqual([
      {
        app: component,
        type: 'AppRequests',
        source: 'diagnosticSettings',
        last: {
          blob: `insights-logs-apprequests/${name}`,
          version: `bytes=0-${text.length}`,
          at: new Date(clock).toISOString(),
          ageMs: 60_000,
          records: 0,
          matches: 0,
          emails: 0,
        },
        lastFailure: null,
        failures: 0,
        poisoned: 0,
      },
    ]);
  });
});
