import type { RetentionPolicy } from '../../../shared/core/retention/retentionPolicy';
import type { SuccessorContainerRef } from '../../../shared/core/retention/selectExpiredSuccessorFolders';
import { walkExpiredSuccessorBlobs } from '../../../shared/core/retention/walkExpiredSuccessorBlobs';
import { MemoryRetentionStore } from './memoryRetentionStore';
import { eventLines, traceListings } from './walkEvents';

const COMPONENT =
  'resourceId=/SUBSCRIPTIONS/SUB-1/RESOURCEGROUPS/SHOP-RG/PROVIDERS/MICROSOFT.INSIGHTS/COMPONENTS/SHOP-PROD';
const WORKSPACE =
  'WorkspaceResourceId=/subscriptions/sub-1/resourcegroups/shop-rg/providers/microsoft.operationalinsights/workspaces/shop-logs';
const REQUESTS: SuccessorContainerRef = {
  container: 'insights-logs-apprequests',
  format: 'diagnosticSettings',
  table: 'AppRequests',
};
const TRACES: SuccessorContainerRef = { container: 'am-apptraces', format: 'dataExport', table: 'AppTraces' };
const POLICY: RetentionPolicy = { defaultDays: 30, daysByType: {} };
// Cutoff at 30 days: 2024-03-01T10:30Z.
const NOW = new Date('2024-03-31T10:30:00Z');

describe('walkExpiredSuccessorBlobs', () => {
  it('announces each folder at the highest level where it expires, then yields its blobs as candidates', async () => {
    // Arrange
    const store = new MemoryRetentionStore([
      `${COMPONENT}/y=2023/m=12/d=31/h=23/m=00/PT1H.json`,
      `${COMPONENT}/y=2024/m=02/d=29/h=00/m=00/PT1H.json`,
      `${COMPONENT}/y=2024/m=02/d=29/h=23/m=00/PT1H.json`,
      `${COMPONENT}/y=2024/m=03/d=15/h=00/m=00/PT1H.json`,
    ]);

    // Act
    const lines = await eventLines(walkExpiredSuccessorBlobs(store, REQUESTS, POLICY, NOW));

    // Assert
    expect(lines).toEqual([
      `expired-prefix ${COMPONENT}/y=2023/`,
      `candidate ${COMPONENT}/y=2023/m=12/d=31/h=23/m=00/PT1H.json`,
      `expired-prefix ${COMPONENT}/y=2024/m=02/`,
      `candidate ${COMPONENT}/y=2024/m=02/d=29/h=00/m=00/PT1H.json`,
      `candidate ${COMPONENT}/y=2024/m=02/d=29/h=23/m=00/PT1H.json`,
    ]);
    expect(store.blobListings).toEqual([`${COMPONENT}/y=2023/`, `${COMPONENT}/y=2024/m=02/`]);
  });

  it('hands a candidate over with the blob as listed and its place in the successor layout', async () => {
    // Arrange
    const store = new MemoryRetentionStore();
    store.put(`${COMPONENT}/y=2024/m=02/d=29/h=07/m=00/PT1H.json`, 4096);

    // Act
    const events = [];
    for await (const event of walkExpiredSuccessorBlobs(store, REQUESTS, POLICY, NOW)) events.push(event);

    // Assert
    expect(events).toEqual([
      { kind: 'expired-prefix', prefix: `${COMPONENT}/y=2024/m=02/` },
      {
        kind: 'candidate',
        blob: { name: `${COMPONENT}/y=2024/m=02/d=29/h=07/m=00/PT1H.json`, size: 4096, etag: '1' },
        ref: {
          format: 'diagnosticSettings',
          container: 'insights-logs-apprequests',
          blobName: `${COMPONENT}/y=2024/m=02/d=29/h=07/m=00/PT1H.json`,
          table: 'AppRequests',
          resourceId: '/SUBSCRIPTIONS/SUB-1/RESOURCEGROUPS/SHOP-RG/PROVIDERS/MICROSOFT.INSIGHTS/COMPONENTS/SHOP-PROD',
          componentName: 'SHOP-PROD',
          periodStart: new Date('2024-02-29T07:00:00Z'),
          periodMinutes: 60,
        },
      },
    ]);
  });

  it('walks every resource folder it lists, whatever the case of its path', async () => {
    // Arrange
    const lower =
      'resourceId=/subscriptions/sub-1/resourcegroups/shop-rg/providers/microsoft.insights/components/api-prod';
    const store = new MemoryRetentionStore([
      `${COMPONENT}/y=2023/m=06/d=01/h=00/m=00/PT1H.json`,
      `${lower}/y=2023/m=06/d=01/h=00/m=00/PT1H.json`,
    ]);

    // Act
    const lines = await eventLines(walkExpiredSuccessorBlobs(store, REQUESTS, POLICY, NOW));

    // Assert
    expect(lines).toEqual([
      `expired-prefix ${COMPONENT}/y=2023/`,
      `candidate ${COMPONENT}/y=2023/m=06/d=01/h=00/m=00/PT1H.json`,
      `expired-prefix ${lower}/y=2023/`,
      `candidate ${lower}/y=2023/m=06/d=01/h=00/m=00/PT1H.json`,
    ]);
  });

  it('splits the hour the cutoff falls in into 5-minute folders, and lists the expired ones only', async () => {
    // Arrange: 10:25-10:30 ends at the cutoff; 10:30-10:35 ends after it.
    const store = new MemoryRetentionStore([
      `${WORKSPACE}/y=2024/m=03/d=01/h=09/m=55/PT05M.json`,
      `${WORKSPACE}/y=2024/m=03/d=01/h=10/m=00/PT05M.json`,
      `${WORKSPACE}/y=2024/m=03/d=01/h=10/m=25/PT05M_2.json`,
      `${WORKSPACE}/y=2024/m=03/d=01/h=10/m=30/PT05M.json`,
      `${WORKSPACE}/y=2024/m=03/d=01/h=11/m=00/PT05M.json`,
    ]);

    // Act
    const lines = await eventLines(walkExpiredSuccessorBlobs(store, TRACES, POLICY, NOW));

    // Assert
    expect(lines).toEqual([
      `expired-prefix ${WORKSPACE}/y=2024/m=03/d=01/h=09/`,
      `candidate ${WORKSPACE}/y=2024/m=03/d=01/h=09/m=55/PT05M.json`,
      `expired-prefix ${WORKSPACE}/y=2024/m=03/d=01/h=10/m=00/`,
      `candidate ${WORKSPACE}/y=2024/m=03/d=01/h=10/m=00/PT05M.json`,
      `expired-prefix ${WORKSPACE}/y=2024/m=03/d=01/h=10/m=25/`,
      `candidate ${WORKSPACE}/y=2024/m=03/d=01/h=10/m=25/PT05M_2.json`,
    ]);
    expect(store.blobListings).toEqual([
      `${WORKSPACE}/y=2024/m=03/d=01/h=09/`,
      `${WORKSPACE}/y=2024/m=03/d=01/h=10/m=00/`,
      `${WORKSPACE}/y=2024/m=03/d=01/h=10/m=25/`,
    ]);
  });

  it('never lists a period that data export may still append to, even past a one-day window', async () => {
    // Arrange: the cutoff is 2024-03-30T10:30Z, but a 5-minute folder may grow for 60 h after it ends:
    // 22:25-22:30 on 2024-03-28 ended 60 h ago, 22:30-22:35 59 h 55 min ago.
    const oneDay: RetentionPolicy = { defaultDays: 1, daysByType: {} };
    const store = new MemoryRetentionStore([
      `${WORKSPACE}/y=2024/m=03/d=28/h=22/m=25/PT05M.json`,
      `${WORKSPACE}/y=2024/m=03/d=28/h=22/m=30/PT05M.json`,
      `${WORKSPACE}/y=2024/m=03/d=29/h=00/m=00/PT05M.json`,
    ]);

    // Act
    const lines = await eventLines(walkExpiredSuccessorBlobs(store, TRACES, oneDay, NOW));

    // Assert
    expect(lines).toEqual([
      `expired-prefix ${WORKSPACE}/y=2024/m=03/d=28/h=22/m=25/`,
      `candidate ${WORKSPACE}/y=2024/m=03/d=28/h=22/m=25/PT05M.json`,
    ]);
    expect(store.blobListings).toEqual([`${WORKSPACE}/y=2024/m=03/d=28/h=22/m=25/`]);
  });

  it('measures the periods against the table override, not the default', async () => {
    // Arrange: 7 days for AppTraces puts the cutoff at 2024-03-24T10:30Z.
    const policy: RetentionPolicy = { defaultDays: 30, daysByType: { Messages: 1 }, daysByTable: { AppTraces: 7 } };
    const store = new MemoryRetentionStore([
      `${WORKSPACE}/y=2024/m=03/d=20/h=00/m=00/PT05M.json`,
      `${WORKSPACE}/y=2024/m=03/d=30/h=00/m=00/PT05M.json`,
    ]);

    // Act
    const lines = await eventLines(walkExpiredSuccessorBlobs(store, TRACES, policy, NOW));

    // Assert
    expect(lines).toEqual([
      `expired-prefix ${WORKSPACE}/y=2024/m=03/d=20/`,
      `candidate ${WORKSPACE}/y=2024/m=03/d=20/h=00/m=00/PT05M.json`,
    ]);
  });

  it('never lists a folder outside the layout of its container', async () => {
    // Arrange: a workspace root does not belong in a diagnostic-settings container.
    const store = new MemoryRetentionStore([
      'backup/y=2020/m=01/d=01/h=00/m=00/PT1H.json',
      'resourceId=/SUBSCRIPTIONS/SUB-1/RESOURCES/x/PT1H.json',
      `${COMPONENT}/year=2020/m=01/d=01/h=00/m=00/PT1H.json`,
      `${COMPONENT}/y=2024/m=03/d=32/h=00/m=00/PT1H.json`,
      `${WORKSPACE}/y=2020/m=01/d=01/h=00/m=00/PT05M.json`,
    ]);

    // Act
    const lines = await eventLines(walkExpiredSuccessorBlobs(store, REQUESTS, POLICY, NOW));

    // Assert
    expect(lines).toEqual([]);
    expect(store.blobListings).toEqual([]);
    expect(store.levelListings).toEqual([
      '',
      'resourceId=/',
      'resourceId=/SUBSCRIPTIONS/',
      'resourceId=/SUBSCRIPTIONS/SUB-1/',
      'resourceId=/SUBSCRIPTIONS/SUB-1/RESOURCEGROUPS/',
      'resourceId=/SUBSCRIPTIONS/SUB-1/RESOURCEGROUPS/SHOP-RG/',
      'resourceId=/SUBSCRIPTIONS/SUB-1/RESOURCEGROUPS/SHOP-RG/PROVIDERS/',
      'resourceId=/SUBSCRIPTIONS/SUB-1/RESOURCEGROUPS/SHOP-RG/PROVIDERS/MICROSOFT.INSIGHTS/',
      'resourceId=/SUBSCRIPTIONS/SUB-1/RESOURCEGROUPS/SHOP-RG/PROVIDERS/MICROSOFT.INSIGHTS/COMPONENTS/',
      `${COMPONENT}/`,
      `${COMPONENT}/y=2024/`,
      `${COMPONENT}/y=2024/m=03/`,
    ]);
  });

  it('passes over blobs that sit beside the folders of a level', async () => {
    // Arrange
    const store = new MemoryRetentionStore([
      'readme.txt',
      `${COMPONENT}/notes.txt`,
      `${COMPONENT}/y=2024/m=03/d=01/stray.json`,
      `${COMPONENT}/y=2024/m=03/d=01/h=09/m=00/PT1H.json`,
    ]);

    // Act
    const lines = await eventLines(walkExpiredSuccessorBlobs(store, REQUESTS, POLICY, NOW));

    // Assert
    expect(lines).toEqual([
      `expired-prefix ${COMPONENT}/y=2024/m=03/d=01/h=09/`,
      `candidate ${COMPONENT}/y=2024/m=03/d=01/h=09/m=00/PT1H.json`,
    ]);
  });

  it('reports each blob under an expired folder that is not a successor blob as ignored, with the reason', async () => {
    // Arrange
    const store = new MemoryRetentionStore([
      `${COMPONENT}/y=2020/m=01/d=01/h=00/PT1H.json`,
      `${COMPONENT}/y=2020/m=01/d=01/h=00/m=00/PT05M.json`,
      `${COMPONENT}/y=2020/m=01/d=01/h=00/m=00/PT1H.json`,
      `${COMPONENT}/y=2020/m=01/d=01/h=00/m=00/PT1H.json.tmp`,
      `${COMPONENT}/y=2020/m=01/d=01/h=00/m=30/PT1H.json`,
    ]);

    // Act
    const lines = await eventLines(walkExpiredSuccessorBlobs(store, REQUESTS, POLICY, NOW));

    // Assert
    expect(lines).toEqual([
      `expired-prefix ${COMPONENT}/y=2020/`,
      `ignored ${COMPONENT}/y=2020/m=01/d=01/h=00/PT1H.json: expected 15 path segments resourceId=/SUBSCRIPTIONS/<sub>/RESOURCEGROUPS/<rg>/PROVIDERS/MICROSOFT.INSIGHTS/COMPONENTS/<name>/y=YYYY/m=MM/d=DD/h=HH/m=00/PT1H.json, found 14`,
      `ignored ${COMPONENT}/y=2020/m=01/d=01/h=00/m=00/PT05M.json: 'PT05M.json' is not PT1H.json`,
      `candidate ${COMPONENT}/y=2020/m=01/d=01/h=00/m=00/PT1H.json`,
      `ignored ${COMPONENT}/y=2020/m=01/d=01/h=00/m=00/PT1H.json.tmp: 'PT1H.json.tmp' is not PT1H.json`,
      `ignored ${COMPONENT}/y=2020/m=01/d=01/h=00/m=30/PT1H.json: m=30 is not m=00: diagnostic settings write one blob per hour`,
    ]);
  });

  it('stops listing as soon as the caller leaves its loop, and closes the listings it had open', async () => {
    // Arrange
    const store = new MemoryRetentionStore([
      `${COMPONENT}/y=2023/m=01/d=01/h=00/m=00/PT1H.json`,
      `${COMPONENT}/y=2023/m=01/d=01/h=01/m=00/PT1H.json`,
      `${COMPONENT}/y=2024/m=01/d=01/h=00/m=00/PT1H.json`,
    ]);
    const trace = traceListings(store);

    // Act
    for await (const event of walkExpiredSuccessorBlobs(store, REQUESTS, POLICY, NOW))
      if (event.kind === 'candidate') break;

    // Assert
    expect(trace.pulledBlobs).toEqual([`${COMPONENT}/y=2023/m=01/d=01/h=00/m=00/PT1H.json`]);
    expect(store.blobListings).toEqual([`${COMPONENT}/y=2023/`]);
    expect(trace.closed).toEqual([
      `blobs '${COMPONENT}/y=2023/'`,
      `level '${COMPONENT}/'`,
      "level 'resourceId=/SUBSCRIPTIONS/SUB-1/RESOURCEGROUPS/SHOP-RG/PROVIDERS/MICROSOFT.INSIGHTS/COMPONENTS/'",
      "level 'resourceId=/SUBSCRIPTIONS/SUB-1/RESOURCEGROUPS/SHOP-RG/PROVIDERS/MICROSOFT.INSIGHTS/'",
      "level 'resourceId=/SUBSCRIPTIONS/SUB-1/RESOURCEGROUPS/SHOP-RG/PROVIDERS/'",
      "level 'resourceId=/SUBSCRIPTIONS/SUB-1/RESOURCEGROUPS/SHOP-RG/'",
      "level 'resourceId=/SUBSCRIPTIONS/SUB-1/RESOURCEGROUPS/'",
      "level 'resourceId=/SUBSCRIPTIONS/SUB-1/'",
      "level 'resourceId=/SUBSCRIPTIONS/'",
      "level 'resourceId=/'",
      "level ''",
    ]);
  });
});
