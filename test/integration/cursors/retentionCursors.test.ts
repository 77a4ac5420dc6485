import { InvocationContext, type Timer } from '@azure/functions';
import { BlobServiceClient } from '@azure/storage-blob';

import { retentionSweepHandler } from '../../../functions/retentionSweep';
import { loadConfig } from '../../../shared/adapters/settings/config';
import { tableClientFrom } from '../../../shared/adapters/storage/clients';
import { TableCursorStore } from '../../../shared/adapters/storage/tableCursorStore';
import { privateAzurite } from '../../harness/privateAzurite';

// A sweep covers every successor container of the account: this file gets an Azurite of its own.
const azurite = privateAzurite();

describe('retention and the append-blob cursors', () => {
  it('deletes the cursors of the successor blobs it deletes, and keeps the others', async () => {
    // Arrange: an expired PT1H.json (2020) and a current one, each with a cursor
    const connection = azurite.connectionString();
    const container = BlobServiceClient.fromConnectionString(connection).getContainerClient('insights-logs-apptraces');
    await container.createIfNotExists();
    const root = 'resourceId=/SUBSCRIPTIONS/0000/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.INSIGHTS/COMPONENTS/SHOP';
    const d = new Date();
    const pad = (n: number) => String(n).padStart(2, '0');
    const old = `${root}/y=2020/m=01/d=01/h=05/m=00/PT1H.json`;
    const current = `${root}/y=${d.getUTCFullYear()}/m=${pad(d.getUTCMonth() + 1)}/d=${pad(d.getUTCDate())}/h=${pad(d.getUTCHours())}/m=00/PT1H.json`;
    for (const name of [old, current]) {
      const blob = container.getAppendBlobClient(name);
      await blob.create();
      await blob.appendBlock('{}\n', 3);
    }
    const config = loadConfig({
      AzureWebJobsStorage: connection,
      EXPORT_STORAGE: connection,
      RETENTION_DRY_RUN: 'false',
      EXPORT_CURSOR_TABLE: 'RetentionCursors',
    });
    const cursors = new TableCursorStore(tableClientFrom(connection, 'RetentionCursors'));
    for (const name of [old, current]) {
      await cursors.put(
        {
          container: 'insights-logs-apptraces',
          blobName: name,
          offset: 3,
          lines: 1,
          createdOn: 0,
          closed: name === old,
          updatedAt: Date.now(),
        },
        undefined,
      );
    }
    const timer: Timer = {
      isPastDue: false,
      schedule: { adjustForDST: false },
      scheduleStatus: { last: '', next: '', lastUpdated: '' },
    };

    // Act
    const summary = await retentionSweepHandler(config)(
      timer,
      new InvocationContext({ functionName: 'retentionSweep', logHandler: () => {} }),
    );

    // Assert
    expect(summary).toMatchObject({ status: 'completed' });
    expect(await cursors.get('insights-logs-apptraces', old)).toBeUndefined();
    expect(await cursors.get('insights-logs-apptraces', current)).toBeDefined();
  });
});
