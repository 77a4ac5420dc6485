import type { RetentionPolicy } from '../../../shared/core/retention/retentionPolicy';
import { walkExpiredBlobs } from '../../../shared/core/retention/walkExpiredBlobs';
import { MemoryRetentionStore } from './memoryRetentionStore';
import { eventLines, traceListings } from './walkEvents';

const APP = 'shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0';
const OTHER = 'api_00112233445566778899aabbccddeeff';
const POLICY: RetentionPolicy = { defaultDays: 30, daysByType: { Requests: 7 } };
// Cutoffs: 2024-03-01T10:30Z (30 days), 2024-03-24T10:30Z for Requests (7 days).
const NOW = new Date('2024-03-31T10:30:00Z');

describe('walkExpiredBlobs', () => {
  it('announces each expired date folder, then yields its blobs as candidates, in listing order', async () => {
    // Arrange
    const store = new MemoryRetentionStore([
      `${APP}/Event/2024-02-27/00/a.blob`,
      `${APP}/Event/2024-02-27/23/b.blob`,
      `${APP}/Event/2024-02-28/05/c.blob`,
      `${APP}/Event/2024-03-15/00/kept.blob`,
      `${OTHER}/Messages/2024-01-01/12/d.blob`,
    ]);

    // Act
    const lines = await eventLines(walkExpiredBlobs(store, POLICY, NOW));

    // Assert
    expect(lines).toEqual([
      'expired-prefix api_00112233445566778899aabbccddeeff/Messages/2024-01-01/',
      'candidate api_00112233445566778899aabbccddeeff/Messages/2024-01-01/12/d.blob',
      'expired-prefix shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Event/2024-02-27/',
      'candidate shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Event/2024-02-27/00/a.blob',
      'candidate shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Event/2024-02-27/23/b.blob',
      'expired-prefix shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Event/2024-02-28/',
      'candidate shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Event/2024-02-28/05/c.blob',
    ]);
  });

  it('hands a candidate over with the blob as listed and its place in the export layout', async () => {
    // Arrange
    const store = new MemoryRetentionStore();
    store.put(`${APP}/Requests/2024-03-20/05/0a1b2c3d_20240320_051500.blob`, 2048);

    // Act
    const events = [];
    for await (const event of walkExpiredBlobs(store, POLICY, NOW)) events.push(event);

    // Assert
    expect(events).toEqual([
      { kind: 'expired-prefix', prefix: 'shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Requests/2024-03-20/' },
      {
        kind: 'candidate',
        blob: {
          name: 'shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Requests/2024-03-20/05/0a1b2c3d_20240320_051500.blob',
          size: 2048,
          etag: '1',
        },
        ref: {
          blobName: 'shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Requests/2024-03-20/05/0a1b2c3d_20240320_051500.blob',
          folder: 'shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0',
          appName: 'shop',
          instrumentationKey: '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
          telemetryType: 'Requests',
          depositedAt: new Date('2024-03-20T05:00:00Z'),
          fileName: '0a1b2c3d_20240320_051500.blob',
        },
      },
    ]);
  });

  it('splits the date the cutoff falls in into hours, and lists the blobs of its expired hours only', async () => {
    // Arrange: the cutoff is 2024-03-01T10:30Z, so hour 09 has ended before it and hour 10 has not.
    const store = new MemoryRetentionStore([
      `${APP}/Event/2024-03-01/08/a.blob`,
      `${APP}/Event/2024-03-01/09/b.blob`,
      `${APP}/Event/2024-03-01/10/kept.blob`,
      `${APP}/Event/2024-03-01/23/kept.blob`,
    ]);

    // Act
    const lines = await eventLines(walkExpiredBlobs(store, POLICY, NOW));

    // Assert
    expect(lines).toEqual([
      'expired-prefix shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Event/2024-03-01/08/',
      'candidate shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Event/2024-03-01/08/a.blob',
      'expired-prefix shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Event/2024-03-01/09/',
      'candidate shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Event/2024-03-01/09/b.blob',
    ]);
    expect(store.levelListings).toEqual([
      '',
      'shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/',
      'shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Event/',
      'shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Event/2024-03-01/',
    ]);
    expect(store.blobListings).toEqual([
      'shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Event/2024-03-01/08/',
      'shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Event/2024-03-01/09/',
    ]);
  });

  it('expires an hour folder that ends exactly at the cutoff, and keeps the hour after it', async () => {
    // Arrange: 30 days before 2024-03-31T10:00Z is 2024-03-01T10:00Z, the end of hour 09.
    const store = new MemoryRetentionStore([`${APP}/Event/2024-03-01/09/a.blob`, `${APP}/Event/2024-03-01/10/b.blob`]);

    // Act
    const lines = await eventLines(walkExpiredBlobs(store, POLICY, new Date('2024-03-31T10:00:00Z')));

    // Assert
    expect(lines).toEqual([
      'expired-prefix shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Event/2024-03-01/09/',
      'candidate shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Event/2024-03-01/09/a.blob',
    ]);
  });

  it('measures each type against its own retention window', async () => {
    // Arrange: 2024-03-20 is past the 7 days of Requests, inside the 30 days of Event.
    const store = new MemoryRetentionStore([
      `${APP}/Event/2024-03-20/00/e.blob`,
      `${APP}/Requests/2024-03-20/00/r.blob`,
    ]);

    // Act
    const lines = await eventLines(walkExpiredBlobs(store, POLICY, NOW));

    // Assert
    expect(lines).toEqual([
      'expired-prefix shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Requests/2024-03-20/',
      'candidate shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Requests/2024-03-20/00/r.blob',
    ]);
    expect(store.blobListings).toEqual(['shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Requests/2024-03-20/']);
  });

  it('walks only the types asked for and never lists the folders of the others', async () => {
    // Arrange
    const store = new MemoryRetentionStore([
      `${APP}/Event/2024-01-01/00/e.blob`,
      `${APP}/Messages/2024-01-01/00/m.blob`,
      `${APP}/Requests/2024-01-01/00/r.blob`,
    ]);

    // Act
    const lines = await eventLines(walkExpiredBlobs(store, POLICY, NOW, new Set(['Requests', 'Messages'] as const)));

    // Assert
    expect(lines).toEqual([
      'expired-prefix shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Messages/2024-01-01/',
      'candidate shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Messages/2024-01-01/00/m.blob',
      'expired-prefix shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Requests/2024-01-01/',
      'candidate shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Requests/2024-01-01/00/r.blob',
    ]);
    expect(store.levelListings).toEqual([
      '',
      'shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/',
      'shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Messages/',
      'shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Requests/',
    ]);
  });

  it('never lists a folder outside the export layout, however old its name says it is', async () => {
    // Arrange
    const store = new MemoryRetentionStore([
      'backup/Event/2020-01-01/00/a.blob',
      'shop/Event/2020-01-01/00/a.blob',
      `${APP}/Traces/2020-01-01/00/a.blob`,
      `${APP}/Event/2020-02-30/00/a.blob`,
      `${APP}/Event/20200101/00/a.blob`,
    ]);

    // Act
    const lines = await eventLines(walkExpiredBlobs(store, POLICY, NOW));

    // Assert
    expect(lines).toEqual([]);
    expect(store.levelListings).toEqual([
      '',
      'shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/',
      'shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Event/',
    ]);
    expect(store.blobListings).toEqual([]);
  });

  it('passes over blobs that sit beside the folders of a level', async () => {
    // Arrange
    const store = new MemoryRetentionStore([
      'readme.txt',
      `${APP}/notes.txt`,
      `${APP}/Event/stray.blob`,
      `${APP}/Event/2024-03-01/stray.blob`,
      `${APP}/Event/2024-03-01/09/a.blob`,
    ]);

    // Act
    const lines = await eventLines(walkExpiredBlobs(store, POLICY, NOW));

    // Assert
    expect(lines).toEqual([
      'expired-prefix shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Event/2024-03-01/09/',
      'candidate shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Event/2024-03-01/09/a.blob',
    ]);
  });

  it('reports each blob under an expired folder that is not an export blob as ignored, with the reason', async () => {
    // Arrange
    const store = new MemoryRetentionStore([
      `${APP}/Event/2020-01-01/00/a.blob`,
      `${APP}/Event/2020-01-01/00/sub/deep.blob`,
      `${APP}/Event/2020-01-01/24/x.blob`,
      `${APP}/Event/2020-01-01/loose.blob`,
    ]);

    // Act
    const lines = await eventLines(walkExpiredBlobs(store, POLICY, NOW));

    // Assert
    expect(lines).toEqual([
      'expired-prefix shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Event/2020-01-01/',
      'candidate shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Event/2020-01-01/00/a.blob',
      'ignored shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Event/2020-01-01/00/sub/deep.blob: expected 5 path segments <app>_<ikey>/<Type>/<yyyy-MM-dd>/<HH>/<name>, found 6',
      "ignored shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Event/2020-01-01/24/x.blob: '24' is not an HH hour folder (00-23)",
      'ignored shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Event/2020-01-01/loose.blob: expected 5 path segments <app>_<ikey>/<Type>/<yyyy-MM-dd>/<HH>/<name>, found 4',
    ]);
  });

  it('stops listing as soon as the caller leaves its loop, and closes the listings it had open', async () => {
    // Arrange
    const store = new MemoryRetentionStore([
      `${APP}/Event/2024-01-01/00/a.blob`,
      `${APP}/Event/2024-01-01/00/b.blob`,
      `${APP}/Event/2024-01-02/00/c.blob`,
      `${APP}/Requests/2024-01-01/00/d.blob`,
    ]);
    const trace = traceListings(store);

    // Act
    for await (const event of walkExpiredBlobs(store, POLICY, NOW)) if (event.kind === 'candidate') break;

    // Assert
    expect(trace.pulledBlobs).toEqual(['shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Event/2024-01-01/00/a.blob']);
    expect(store.blobListings).toEqual(['shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Event/2024-01-01/']);
    expect(trace.closed).toEqual([
      "blobs 'shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Event/2024-01-01/'",
      "level 'shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Event/'",
      "level 'shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/'",
      "level ''",
    ]);
  });

  it('lists the root of an empty container once and finds nothing', async () => {
    // Arrange
    const store = new MemoryRetentionStore();

    // Act
    const lines = await eventLines(walkExpiredBlobs(store, POLICY, NOW));

    // Assert
    expect(lines).toEqual([]);
    expect(store.levelListings).toEqual(['']);
  });
});
