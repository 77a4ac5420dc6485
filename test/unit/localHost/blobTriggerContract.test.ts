import type { InvocationContextInit, TriggerMetadata } from '@azure/functions';
import { type BlobItem, BlobServiceClient } from '@azure/storage-blob';

import type { BlobTriggerMetadata } from '../../../functions/exportBlobReceived';
import { exportBlobHandler } from '../../../functions/exportBlobReceived';
import { DEV_ACCOUNT, DEV_ACCOUNT_KEY } from '../../../local/azurite';
import { blobTriggerContext, blobTriggerMetadata } from '../../../local/blobTrigger';
import { findOnPath } from '../../../local/startFunc';
import { loadConfig } from '../../../shared/adapters/settings/config';

const CONNECTION =
  `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_ACCOUNT_KEY};` +
  `BlobEndpoint=http://127.0.0.1:10000/${DEV_ACCOUNT};`;
const NAME = 'shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Event/2024-03-05/13/a.blob';

/** A blob as listBlobsFlat lists it; the etag as the service sends it, quotes included. */
const LISTED: BlobItem = {
  name: NAME,
  deleted: false,
  snapshot: '',
  properties: {
    etag: '"0x8DC5F3A7B2E1C40"',
    lastModified: new Date('2024-03-05T13:04:05.000Z'),
    createdOn: new Date('2024-03-05T13:04:05.000Z'),
    contentLength: 42,
    contentType: 'application/octet-stream',
    blobType: 'BlockBlob',
  },
  metadata: { source: 'export' },
};

const container = BlobServiceClient.fromConnectionString(CONNECTION).getContainerClient('export');

describe('what the local host hands the blob handler, against the Functions host’s contract', () => {
  it('is trigger metadata of the @azure/functions types in the shape the handler declares', () => {
    // Arrange: typed literals that stop compiling when the library's or the handler's types move
    const metadata: BlobTriggerMetadata = blobTriggerMetadata(container, {
      name: NAME,
      etag: '"0x8DC5F3A7B2E1C40"',
      item: LISTED,
    });
    const asLibraryTypes: TriggerMetadata = { ...metadata };
    const init: InvocationContextInit = { functionName: 'exportBlobReceived', triggerMetadata: asLibraryTypes };

    // Assert: the names the Node library gives the extension's BlobProperties (first letter lower-cased)
    expect(init.triggerMetadata).toEqual({
      name: NAME,
      blobTrigger: `export/${NAME}`,
      uri: `http://127.0.0.1:10000/${DEV_ACCOUNT}/export/${NAME}`,
      properties: {
        eTag: '"0x8DC5F3A7B2E1C40"',
        lastModified: '2024-03-05T13:04:05.000Z',
        createdOn: '2024-03-05T13:04:05.000Z',
        contentLength: 42,
        contentType: 'application/octet-stream',
        blobType: 'BlockBlob',
      },
      metadata: { source: 'export' },
    });
    expect(metadata.properties.eTag).toMatch(/^"0x[0-9A-F]+"$/);
    expect(Object.keys(metadata.properties)).not.toContain('etag');
    expect(Object.keys(metadata.properties)).not.toContain('ETag');
  });

  it('is read by the handler, which finds the blob name where the host puts it', async () => {
    // Arrange
    const row = JSON.stringify({
      event: [{ name: 'checkout', count: 1 }],
      internal: { data: { id: '1c7c4f5e-0000-4000-8000-000000000001', documentVersion: '1.61' } },
      context: { data: { eventTime: '2024-03-05T13:00:01.1234567Z', isSynthetic: false, samplingRate: 100 } },
    });
    const logs: string[] = [];
    const context = blobTriggerContext(
      'exportBlobReceived',
      container,
      { name: NAME, etag: '"0x1"', item: LISTED },
      (_level, ...args) => logs.push(args.join(' ')),
    );
    const handler = exportBlobHandler({}, loadConfig({ RULES_PREFILTER: 'off' }));

    // Act
    const summary = await handler(Buffer.from(`${row}\n`), context);

    // Assert
    expect(summary).toMatchObject({ status: 'processed', blobName: NAME, rows: 1 });
    expect(context.functionName).toBe('exportBlobReceived');
  });

  const func = findOnPath('func');
  // NOTE: Core Tools download the host and the extension bundle, so they cannot be installed offline.
  (func === undefined ? it.skip : it)(
    `matches what 'func start' lists for this app${func === undefined ? " (skipped: Azure Functions Core Tools ('func') are not on PATH)" : ''}`,
    () => {
      // With Core Tools present, `npm run start:func` must index the same functions the local host
      // runs; run it and compare its 'Functions:' list with appFunctions(settings) by hand until a
      // machine with the bundle cached runs this in CI.
      expect(func).toBeDefined();
    },
  );
});
