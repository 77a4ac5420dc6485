import { InvocationContext, type Timer } from '@azure/functions';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';

import { exportLogScanHandler } from '../../../functions/exportLogScan';
import { type FakeSendGrid, sendGridMailerFor, startFakeSendGrid } from '../../../scripts/fakeSendGrid';
import { checkConfig } from '../../../shared/adapters/settings/config';
import { tableClientFrom } from '../../../shared/adapters/storage/clients';
import { TableCursorStore } from '../../../shared/adapters/storage/tableCursorStore';
import { TableRuleStore } from '../../../shared/adapters/storage/tableRuleStore';
import type { ScanSummary } from '../../../shared/core/cursors/scanAppendBlobs';
import type { RuleEntity } from '../../../shared/core/rules/alertRule';
import { testConnectionString, uniqueName } from '../../harness/storage';

let sendGrid: FakeSendGrid;
beforeAll(async () => {
  sendGrid = await startFakeSendGrid();
});
afterAll(() => sendGrid.close());
beforeEach(() => sendGrid.requests.splice(0));

const HOUR = 60 * 60_000;
// NOTE: test files share one Azurite and container names are the layout's own, so each test has a
// component of its own, and its rules are scoped to it.
let RESOURCE = '';
let COMPONENT = '';
beforeEach(() => {
  COMPONENT = uniqueName('shop-api-');
  RESOURCE = `/SUBSCRIPTIONS/0000-1111/RESOURCEGROUPS/SHOP-RG/PROVIDERS/MICROSOFT.INSIGHTS/COMPONENTS/${COMPONENT.toUpperCase()}`;
});

function hourPath(root: string, at: number, file: string, minute = 0): string {
  const d = new Date(at);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${root}/y=${d.getUTCFullYear()}/m=${pad(d.getUTCMonth() + 1)}/d=${pad(d.getUTCDate())}/h=${pad(d.getUTCHours())}/m=${pad(minute)}/${file}`;
}

function requestLine(n: number, code: string, at: number, extra: Record<string, unknown> = {}): string {
  return `${JSON.stringify({
    time: new Date(at).toISOString(),
    resourceId: RESOURCE,
    Type: 'AppRequests',
    AppRoleName: 'Shop.Api',
    Id: `req-${n}`,
    Name: 'GET /checkout',
    Url: 'https://shop.example.com/checkout',
    Success: code.startsWith('2'),
    ResultCode: code,
    DurationMs: 12.5,
    ItemCount: 1,
    Properties: { tenant: 'acme', note: 'é😀' },
    ...extra,
  })}\n`;
}

const sent = () =>
  sendGrid.requests
    .filter((r) => r.status === 202)
    .map((r) => r.body as { subject: string; content: { type: string; value: string }[] });

async function world(rules: Partial<RuleEntity>[], container = 'insights-logs-apprequests') {
  const id = uniqueName('').replace(/[^a-z0-9]/g, '');
  const connection = testConnectionString();
  const settings = {
    AzureWebJobsStorage: connection,
    EXPORT_STORAGE: connection,
    ALERT_RULES_TABLE: `rules${id}`,
    ALERT_STATE_TABLE: `state${id}`,
    EXPORT_CURSOR_TABLE: `cursors${id}`,
    EXPORT_SCAN_CONTAINERS: container,
    SENDGRID_API_KEY: sendGrid.apiKey,
    MAIL_TRANSPORT: 'sendgrid',
  };
  const config = checkConfig(settings);
  if (!config.ok) throw config.error;
  const store = new TableRuleStore(tableClientFrom(connection, `rules${id}`));
  for (const [i, rule] of rules.entries()) {
    await store.put({
      partitionKey: COMPONENT,
      rowKey: `rule${i}`,
      Recipients: 'ops@example.com',
      ThrottleMinutes: 0,
      ...rule,
    });
  }
  // NOTE: the real time, rounded to the hour plus 20 minutes: blobs of a fixed date would age into other
  // tests' retention sweeps, which share this Azurite.
  let clock = Math.floor(Date.now() / 3_600_000) * 3_600_000 + 20 * 60_000;
  const handler = exportLogScanHandler({ mailer: sendGridMailerFor(sendGrid).mailer, now: () => clock }, config.value);
  const blobs: ContainerClient = BlobServiceClient.fromConnectionString(connection).getContainerClient(container);
  await blobs.createIfNotExists();
  const lines: string[] = [];
  const scan = async (): Promise<ScanSummary> => {
    const context = new InvocationContext({
      invocationId: uniqueName('scan'),
      functionName: 'exportLogScan',
      logHandler: (_level, ...args) => lines.push(args.join(' ')),
    });
    const timer: Timer = {
      isPastDue: false,
      schedule: { adjustForDST: false },
      scheduleStatus: { last: '', next: '', lastUpdated: '' },
    };
    return (await handler(timer, context)) as ScanSummary;
  };
  const cursors = new TableCursorStore(tableClientFrom(connection, `cursors${id}`));
  return {
    blobs,
    scan,
    lines,
    cursors,
    now: () => clock,
    advance: (ms: number) => (clock += ms),
    setClock: (t: number) => (clock = t),
  };
}

describe('exportLogScan on Azurite: diagnostic-settings append blobs followed by byte cursors', () => {
  it('alerts once per matching row of an append blob appended in pieces cut mid-line and mid-character', async () => {
    // Arrange: 6 rows, 3 of them 500s, appended in four pieces at arbitrary byte positions
    const { blobs, scan, now, cursors } = await world([{ Query: 'requests | where resultCode == "500"' }]);
    const name = hourPath(`resourceId=${RESOURCE}`, now(), 'PT1H.json');
    const text = Buffer.from(
      ['200', '500', '200', '500', '500', '200'].map((code, i) => requestLine(i, code, now() - 60_000)).join(''),
      'utf8',
    );
    const cuts = [0, 101, Math.floor(text.length / 2) + 3, text.length - 7, text.length];
    const blob = blobs.getAppendBlobClient(name);
    await blob.create();

    // Act: an append, then a scan, four times
    const scans: ScanSummary[] = [];
    for (let i = 0; i < 4; i++) {
      await blob.appendBlock(text.subarray(cuts[i], cuts[i + 1]), (cuts[i + 1] as number) - (cuts[i] as number));
      scans.push(await scan());
    }
    await scan();

    // Assert: every 500 in exactly one e-mail, the cursor at the end, and nothing more on a scan after
    const counted = sent().map((m) => Number(/(\d+) requests?\b/.exec(m.subject)?.[1] ?? 0));
    expect(counted.reduce((a, b) => a + b, 0)).toBe(3);
    expect((await cursors.get('insights-logs-apprequests', name))?.cursor).toMatchObject({
      offset: text.length,
      lines: 6,
    });
    expect(sent()).toHaveLength(counted.length);
  });

  it("reads the previous hour's blob appended to after the new hour started, and closes it once it can no longer grow", async () => {
    // Arrange
    const { blobs, scan, now, advance, cursors } = await world([{ Query: 'AppRequests | where ResultCode == "500"' }]);
    const previous = blobs.getAppendBlobClient(hourPath(`resourceId=${RESOURCE}`, now() - HOUR, 'PT1H.json'));
    const current = blobs.getAppendBlobClient(hourPath(`resourceId=${RESOURCE}`, now(), 'PT1H.json'));
    await previous.create();
    await current.create();
    const late = requestLine(1, '500', now() - HOUR - 60_000);
    const fresh = requestLine(2, '500', now() - 60_000);

    // Act
    await current.appendBlock(fresh, Buffer.byteLength(fresh));
    await scan();
    const afterFirst = sent().length;
    await previous.appendBlock(late, Buffer.byteLength(late));
    await scan();
    advance(3 * HOUR);
    await scan();

    // Assert: one e-mail per blob's row; the finished hour's cursor closed
    expect([afterFirst, sent().length]).toEqual([1, 2]);
    expect((await cursors.get('insights-logs-apprequests', previous.name))?.cursor).toMatchObject({
      closed: true,
      offset: Buffer.byteLength(late),
    });
  });

  it('starts over from 0 when the blob is re-created, and says so', async () => {
    // Arrange
    const { blobs, scan, now, lines } = await world([{ Query: 'requests | where resultCode == "500"' }]);
    const name = hourPath(`resourceId=${RESOURCE}`, now(), 'PT1H.json');
    const first = requestLine(1, '500', now()) + requestLine(2, '200', now());
    let blob = blobs.getAppendBlobClient(name);
    await blob.create();
    await blob.appendBlock(first, Buffer.byteLength(first));
    await scan();

    // Act
    await blob.delete();
    blob = blobs.getAppendBlobClient(name);
    await blob.create();
    const second = requestLine(3, '500', now());
    await blob.appendBlock(second, Buffer.byteLength(second));
    const rescan = await scan();

    // Assert
    expect(rescan.restarted).toBe(1);
    expect(lines.join('\n')).toMatch(/re-created/);
    expect(sent()).toHaveLength(2);
  });

  it('reports a malformed row with blob and line, and alerts on the others', async () => {
    // Arrange
    const { blobs, scan, now, lines } = await world([{ Query: 'requests | where resultCode == "500"' }]);
    const name = hourPath(`resourceId=${RESOURCE}`, now(), 'PT1H.json');
    const blob = blobs.getAppendBlobClient(name);
    await blob.create();
    const first = requestLine(1, '200', now());
    // The broken row holds what the rule looks for, so the prefilter has it parsed (and reported).
    const rest = `{not json, "ResultCode":"500"\n${requestLine(3, '500', now())}`;
    await blob.appendBlock(first, Buffer.byteLength(first));
    await scan();

    // Act
    await blob.appendBlock(rest, Buffer.byteLength(rest));
    await scan();

    // Assert: the line number counts from the blob's start, across ranges
    expect(lines.join('\n')).toContain(`${name} line 2:`);
    expect(sent()).toHaveLength(1);
  });
});

describe('exportLogScan on Azurite: workspace data export', () => {
  it("picks each record's rules by its own _ResourceId, since one workspace holds many resources", async () => {
    // Arrange
    const { blobs, scan, now } = await world([{ Query: 'AppRequests | where ResultCode == "500"' }], 'am-apprequests');
    const root = `WorkspaceResourceId=/subscriptions/0000-1111/resourcegroups/ops/providers/microsoft.operationalinsights/workspaces/${uniqueName('ws')}`;
    const name = hourPath(root, now(), 'PT05M.json', 20);
    const row = (n: number, resource: string) =>
      `${JSON.stringify({ TimeGenerated: new Date(now() - 60_000).toISOString(), _ResourceId: resource.toLowerCase(), TenantId: 'ws-1', Type: 'AppRequests', Id: `r${n}`, Name: 'GET /', ResultCode: '500', Success: false, DurationMs: 3, ItemCount: 1 })}\n`;
    const other = RESOURCE.replace(COMPONENT.toUpperCase(), 'BILLING-API');
    const text = row(1, RESOURCE) + row(2, other) + row(3, RESOURCE);
    const blob = blobs.getAppendBlobClient(name);
    await blob.create();
    await blob.appendBlock(text, Buffer.byteLength(text));

    // Act
    await scan();

    // Assert: the rule scoped to shop-api saw its two rows, not billing-api's
    expect(sent().map((m) => m.subject)).toEqual([
      expect.stringMatching(new RegExp(`2 requests in ${COMPONENT}`, 'i')),
    ]);
  });
});

describe('exportLogScan with EXPORT_TRIGGER_SOURCE=Scan: Continuous Export followed by cursors (Flex Consumption)', () => {
  it('reads a new export blob once, its last row without a newline included, and alerts once', async () => {
    // Arrange
    const id = uniqueName('').replace(/[^a-z0-9]/g, '');
    const connection = testConnectionString();
    const exportContainer = `export${id}`;
    const config = checkConfig({
      AzureWebJobsStorage: connection,
      EXPORT_STORAGE: connection,
      EXPORT_CONTAINER: exportContainer,
      EXPORT_TRIGGER_SOURCE: 'Scan',
      EXPORT_SCAN_CONTAINERS: 'insights-logs-appavailabilityresults',
      ALERT_RULES_TABLE: `rules${id}`,
      ALERT_STATE_TABLE: `state${id}`,
      EXPORT_CURSOR_TABLE: `cursors${id}`,
      SENDGRID_API_KEY: sendGrid.apiKey,
      MAIL_TRANSPORT: 'sendgrid',
    });
    if (!config.ok) throw config.error;
    await new TableRuleStore(tableClientFrom(connection, `rules${id}`)).put({
      partitionKey: 'shop',
      rowKey: 'errors',
      Query: 'requests | where resultCode == "500"',
      Recipients: 'ops@example.com',
      ThrottleMinutes: 0,
    });
    const container = BlobServiceClient.fromConnectionString(connection).getContainerClient(exportContainer);
    await container.create();
    const now = new Date();
    const hour = `${now.toISOString().slice(0, 10)}/${now.toISOString().slice(11, 13)}`;
    const row = (code: number) =>
      JSON.stringify({
        request: [
          {
            id: 'r',
            name: 'GET /',
            count: 1,
            responseCode: code,
            success: code < 400,
            url: 'https://shop/',
            durationMetric: { value: 10_000, count: 1, sampledValue: 10_000 },
          },
        ],
        internal: { data: { id: `i${code}`, documentVersion: '1.61' } },
        context: { data: { eventTime: now.toISOString(), samplingRate: 100 }, custom: { dimensions: [] } },
      });
    const text = `${row(200)}\n${row(500)}\n${row(500)}`;
    await container
      .getBlockBlobClient(`shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Requests/${hour}/one.blob`)
      .upload(text, Buffer.byteLength(text));
    const handler = exportLogScanHandler({ mailer: sendGridMailerFor(sendGrid).mailer }, config.value);
    const timer: Timer = {
      isPastDue: false,
      schedule: { adjustForDST: false },
      scheduleStatus: { last: '', next: '', lastUpdated: '' },
    };
    const scan = async () =>
      (await handler(
        timer,
        new InvocationContext({
          invocationId: uniqueName('scan'),
          functionName: 'exportLogScan',
          logHandler: () => {},
        }),
      )) as ScanSummary;

    // Act
    const first = await scan();
    const second = await scan();

    // Assert
    // The 200 row holds nothing the rule looks for: counted, not parsed.
    expect(first.records).toBe(2);
    expect(sent().map((m) => m.subject)).toEqual([expect.stringMatching(/^\[Sev2\] errors: 2 requests in shop /)]);
    expect(second).toMatchObject({ ranges: 0 });
  });
});
