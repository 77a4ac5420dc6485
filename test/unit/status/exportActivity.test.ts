import type { EmailCounts } from '../../../shared/core/alerts/deliveryTally';
import { parseSuccessorPath } from '../../../shared/core/export/successorPath';
import type { BlobSummary } from '../../../shared/core/processExportBlob';
import type { RangeSummary } from '../../../shared/core/processLogRange';
import type { DeliveredActivity, FailedActivity } from '../../../shared/core/status/exportActivity';
import { blobDelivered, blobFailed, rangeDelivered, rangeFailed } from '../../../shared/core/status/exportActivity';
import type { ExportStatusBook } from '../../../shared/core/status/exportStatusBook';
import { noteExportActivity } from '../../../shared/core/status/exportStatusBook';

const T0 = Date.UTC(2024, 2, 5, 13, 10);
const BLOB = 'shop-prod_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Requests/2024-03-05/13/edge_20240305_130102.blob';
const EMAILS: EmailCounts = {
  sent: 2,
  alreadySent: 0,
  inFlight: 0,
  suppressed: 1,
  belowThreshold: 0,
  summarized: 0,
  failed: 0,
  rejected: 0,
  notices: 0,
};
const COUNTS = { rows: 40, rowsSeen: 40, rowsParsed: 40, records: 40, badRows: 0, bytes: 9000, problems: [] };

describe('what a delivery notes for export-alerts status', () => {
  it('places a Continuous Export blob by its app and type, with its counts', () => {
    // Arrange
    const summary: BlobSummary = {
      status: 'processed',
      blobName: BLOB,
      table: 'requests',
      ...COUNTS,
      matches: { 'shop-prod/a': 3, '*/b': 1 },
      emails: EMAILS,
      outbox: [],
    };

    // Act / Assert
    expect(blobDelivered(summary, '"0x8DC"', T0)).toEqual({
      kind: 'delivered',
      app: 'shop-prod',
      type: 'Requests',
      source: 'continuousExport',
      blob: BLOB,
      version: '"0x8DC"',
      at: T0,
      records: 40,
      matches: 4,
      emails: 2,
    });
  });

  it('notes nothing for a blob outside the export layout', () => {
    expect(blobDelivered({ status: 'ignored', blobName: 'x.txt', reason: 'r' }, 'e', T0)).toBeUndefined();
    expect(blobFailed('x.txt', 'e', 'boom', T0, true)).toBeUndefined();
  });

  it('places a diagnostic-settings range by component and table, and a data-export one by workspace', () => {
    // Arrange
    const diag = parseSuccessorPath(
      'insights-logs-apprequests',
      'resourceId=/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.INSIGHTS/COMPONENTS/SHOP-API/y=2024/m=03/d=05/h=13/m=00/PT1H.json',
    );
    const workspace = parseSuccessorPath(
      'am-apprequests',
      'WorkspaceResourceId=/subscriptions/s/resourcegroups/rg/providers/microsoft.operationalinsights/workspaces/ops-ws/y=2024/m=03/d=05/h=13/m=05/PT05M.json',
    );
    if (!diag.ok || !workspace.ok) throw new Error('fixture paths must parse');
    const summary: RangeSummary = {
      blobName: 'x',
      version: 'bytes=0-1234',
      table: 'requests',
      ...COUNTS,
      matches: {},
      emails: EMAILS,
      outbox: [],
    };

    // Act
    const delivered = rangeDelivered(diag.value, summary, T0);
    const failed = rangeFailed(workspace.value, 'bytes=0-99', 'boom', T0);

    // Assert
    expect(delivered).toMatchObject({ app: 'SHOP-API', type: 'AppRequests', source: 'diagnosticSettings', matches: 0 });
    expect(delivered.blob).toBe(`insights-logs-apprequests/${diag.value.blobName}`);
    expect(failed).toMatchObject({
      kind: 'failed',
      app: 'ops-ws',
      type: 'AppRequests',
      source: 'dataExport',
      poisonable: false,
    });
  });

  it('logs a warning and goes on when the status cannot be written', async () => {
    // Arrange
    const warnings: string[] = [];
    const failing: ExportStatusBook = {
      noteDelivered: async () => {
        throw new Error('503 Server Busy');
      },
      noteFailed: async () => {
        throw new Error('never called');
      },
    };
    const activity = blobFailed(BLOB, '"0x8DC"', 'x', T0, true) as FailedActivity;
    const delivered = { ...activity, kind: 'delivered', records: 1, matches: 0, emails: 0 } as DeliveredActivity;

    // Act
    await noteExportActivity(failing, delivered, { info: () => {}, warn: (m) => warnings.push(m), error: () => {} });

    // Assert
    expect(warnings).toEqual([
      `export status of shop-prod Requests not updated for ${BLOB} (alerting is not affected): 503 Server Busy`,
    ]);
  });
});
