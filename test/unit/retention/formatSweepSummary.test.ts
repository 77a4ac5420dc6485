import { formatBytes, formatSweepSummary } from '../../../shared/core/retention/formatSweepSummary';
import type { SweepReport } from '../../../shared/core/retention/sweepSummary';

const APP = 'shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0';

function reportWith(overrides: Partial<SweepReport> = {}): SweepReport {
  const none = { count: 0, examples: [] };
  return {
    status: 'completed',
    dryRun: false,
    now: '2024-03-31T10:30:00.000Z',
    expiredPrefixes: [`${APP}/Event/2024-02-28/`],
    listedBlobs: 3,
    deleted: {
      blobs: 3,
      bytes: 3 * 1536,
      alreadyGone: 0,
      byFolderType: [{ folder: APP, type: 'Event', blobs: 3, bytes: 3 * 1536 }],
      bySuccessorContainer: [],
    },
    wouldDelete: [],
    wouldDeleteSuccessor: [],
    successorContainers: [],
    skipped: none,
    failed: none,
    ignored: none,
    hookFailed: none,
    budget: { maxDeletes: 50_000, maxSeconds: 240, reachedBy: undefined },
    elapsedMs: 1234,
    ...overrides,
  };
}

describe('formatSweepSummary', () => {
  it('gives a headline and one line per app and type', () => {
    expect(formatSweepSummary(reportWith()).split('\n')).toEqual([
      'retention sweep at 2024-03-31T10:30:00.000Z: 1 expired folder, deleted 3 blobs (4.5 KiB), 0 already gone, 0 skipped, 0 failed, 0 outside the layout left alone; within budget; 1.2 s',
      `  deleted ${APP}/Event: 3 blobs, 4.5 KiB`,
    ]);
  });

  it('adds one line per successor container and the containers it swept', () => {
    const report = reportWith({
      deleted: {
        blobs: 5,
        bytes: 5 * 1536,
        alreadyGone: 0,
        byFolderType: [{ folder: APP, type: 'Event', blobs: 3, bytes: 3 * 1536 }],
        bySuccessorContainer: [
          {
            container: 'insights-logs-apprequests',
            format: 'diagnosticSettings',
            table: 'AppRequests',
            blobs: 2,
            bytes: 2 * 1536,
          },
        ],
      },
      successorContainers: ['am-appevents', 'insights-logs-apprequests'],
    });
    expect(formatSweepSummary(report).split('\n').slice(1)).toEqual([
      `  deleted ${APP}/Event: 3 blobs, 4.5 KiB`,
      '  deleted insights-logs-apprequests (AppRequests): 2 blobs, 3.0 KiB',
      '  successor containers swept: am-appevents, insights-logs-apprequests',
    ]);
  });

  it('says a dry run would delete, and when the budget cut the run short', () => {
    const text = formatSweepSummary(
      reportWith({
        dryRun: true,
        status: 'budget-reached',
        budget: { maxDeletes: 3, maxSeconds: 240, reachedBy: 'max-deletes' },
      }),
    );
    expect(text).toMatch(
      /^retention sweep \(dry run\) at .*would delete 3 blobs .*budget reached \(3 deletes\): the next run continues; 1\.2 s\n {2}would delete /,
    );
  });

  it('names the first ten problems of each kind and counts the rest', () => {
    // Arrange
    const examples = Array.from({ length: 12 }, (_, i) => ({
      blobName: `${APP}/Event/2024-02-28/00/${i}.blob`,
      reason: 'under lease (LeaseIdMissing)',
    }));

    // Act
    const lines = formatSweepSummary(reportWith({ skipped: { count: 40, examples } })).split('\n');

    // Assert
    expect(lines.filter((l) => l.startsWith('  skipped '))).toHaveLength(10);
    expect(lines[2]).toBe(`  skipped ${APP}/Event/2024-02-28/00/0.blob: under lease (LeaseIdMissing)`);
    expect(lines[lines.length - 1]).toBe('  … and 30 more skipped');
  });

  it('reports a refusal with every problem', () => {
    expect(formatSweepSummary({ status: 'refused', problems: ['a is wrong', 'b is wrong'] })).toBe(
      'retention sweep refused, nothing deleted:\n- a is wrong\n- b is wrong',
    );
  });

  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1536, '1.5 KiB'],
    [5 * 1024 ** 3, '5.0 GiB'],
  ])('formats %d bytes as %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});
