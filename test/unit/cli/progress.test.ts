import { progressBar, ProgressDisplay, progressLine } from '../../../cli/progress';

const UP_AND_ERASE = '\u001b[1A\u001b[2K';
const ERASE_BAR = '\u001b[1A\u001b[2K\u001b[1A';

const counts = (over: Partial<Parameters<typeof progressBar>[0]> = {}) => ({
  blobsDone: 3,
  blobsTotal: 10,
  bytesDone: 1_200_000,
  bytesTotal: 3_000_000,
  matches: 5,
  ...over,
});

describe('progressBar', () => {
  it.each([
    [
      'a run under way, by bytes',
      counts(),
      2_000,
      '██████░░░░░░░░░░  40% 3/10 blobs, 1.2/3.0 MB, 5 matches, ETA 3s, 600.0 kB/s',
    ],
    [
      'the start, with no byte read yet',
      counts({ blobsDone: 0, bytesDone: 0, matches: 0 }),
      0,
      '░░░░░░░░░░░░░░░░   0% 0/10 blobs, 0.0/3.0 MB, 0 matches, ETA ?, 0 B/s',
    ],
    [
      'the end, in singular',
      counts({ blobsDone: 1, blobsTotal: 1, bytesDone: 900, bytesTotal: 900, matches: 1 }),
      3_000,
      '████████████████ 100% 1/1 blob, 900/900 B, 1 match, ETA 0s, 300 B/s',
    ],
    [
      'blobs of unknown size, by blobs',
      counts({ blobsDone: 1, blobsTotal: 4, bytesDone: 5_000_000, bytesTotal: 0 }),
      1_000,
      '████░░░░░░░░░░░░  25% 1/4 blobs, 5.0 MB, 5 matches, ETA ?, 5.0 MB/s',
    ],
    [
      'a long run, with hours left, without the rate that would not fit a row',
      counts({ blobsDone: 2, blobsTotal: 900, bytesDone: 2e9, bytesTotal: 9e10, matches: 12_345 }),
      100_000,
      '░░░░░░░░░░░░░░░░   2% 2/900 blobs, 2.0/90.0 GB, 12345 matches, ETA 1h13m',
    ],
  ])('draws %s', (_case, state, elapsedMs, expected) => {
    expect(progressBar(state, elapsedMs)).toBe(expected);
  });

  it('drops figures from the end, rate first, until the bar fits a row of 80 columns', () => {
    // Arrange
    const huge = counts({ blobsDone: 123_456, blobsTotal: 1_234_567, matches: 98_765_432 });

    // Act
    const bar = progressBar(huge, 1_000);

    // Assert
    expect(bar).toBe('██████░░░░░░░░░░  40% 123456/1234567 blobs, 1.2/3.0 MB, 98765432 matches');
  });
});

describe('progressLine', () => {
  it.each([
    ['seconds', counts(), 2_000, '… 3/10 blobs, 1.2/3.0 MB, 5 matches so far, ETA 3s, 600.0 kB/s'],
    [
      'minutes',
      counts({ bytesDone: 1_000_000, bytesTotal: 91_000_000 }),
      10_000,
      '… 3/10 blobs, 1.0/91.0 MB, 5 matches so far, ETA 15m00s, 100.0 kB/s',
    ],
  ])('says what is done and how long the rest takes, in %s', (_unit, state, elapsedMs, expected) => {
    expect(progressLine(state, elapsedMs)).toBe(expected);
  });
});

describe('ProgressDisplay', () => {
  function display(interactive: boolean, stdoutShared?: boolean) {
    const written: string[] = [];
    let now = 1_000_000;
    const progress = new ProgressDisplay({
      io: { out: (l) => written.push(`out: ${l}`), err: (l) => written.push(`err: ${l}`) },
      interactive,
      now: () => new Date(now),
      ...(stdoutShared === undefined ? {} : { stdoutShared }),
    });
    return { progress, written, advance: (ms: number) => (now += ms) };
  }

  it('prints a plain line at most every 5 seconds when stderr is no terminal', () => {
    // Arrange
    const { progress, written, advance } = display(false);

    // Act
    progress.update(counts({ blobsDone: 1 }));
    advance(4_999);
    progress.update(counts({ blobsDone: 2 }));
    advance(1);
    progress.update(counts({ blobsDone: 3 }));
    advance(1_000);
    progress.update(counts({ blobsDone: 4 }));
    progress.io.out('a match');
    progress.finish();

    // Assert
    expect(written).toEqual(['err: … 3/10 blobs, 1.2/3.0 MB, 5 matches so far, ETA 8s, 240.0 kB/s', 'out: a match']);
  });

  it('draws the bar on a terminal, redraws it in place, takes it away before output and clears it at the end', () => {
    // Arrange
    const { progress, written, advance } = display(true);

    // Act
    advance(100);
    progress.update(counts({ bytesDone: 0 }));
    advance(150);
    progress.update(counts({ bytesDone: 0 }));
    advance(250);
    progress.update(counts({ bytesDone: 1_500_000 }));
    progress.io.out('a match');
    progress.io.err('a malformed row');
    advance(250);
    progress.update(counts({ bytesDone: 3_000_000, blobsDone: 10 }));
    progress.io.err('another malformed row');
    advance(250);
    progress.update(counts({ bytesDone: 3_000_000, blobsDone: 10 }));
    progress.finish();
    progress.finish();

    // Assert
    expect(written).toEqual([
      'err: ░░░░░░░░░░░░░░░░   0% 3/10 blobs, 0.0/3.0 MB, 5 matches, ETA ?, 0 B/s',
      `err: ${UP_AND_ERASE}████████░░░░░░░░  50% 3/10 blobs, 1.5/3.0 MB, 5 matches, ETA 1s, 3.0 MB/s`,
      `err: ${ERASE_BAR}`,
      'out: a match',
      'err: a malformed row',
      'err: ████████████████ 100% 10/10 blobs, 3.0/3.0 MB, 5 matches, ETA 0s, 4.0 MB/s',
      `err: ${UP_AND_ERASE}another malformed row`,
      'err: ████████████████ 100% 10/10 blobs, 3.0/3.0 MB, 5 matches, ETA 0s, 3.0 MB/s',
      `err: ${ERASE_BAR}`,
    ]);
  });

  it('leaves the bar in place for output that goes elsewhere than the terminal', () => {
    // Arrange
    const { progress, written, advance } = display(true, false);

    // Act
    advance(1_000);
    progress.update(counts());
    progress.io.out('a match');
    advance(1_000);
    progress.update(counts({ bytesDone: 3_000_000 }));
    progress.finish();

    // Assert
    expect(written).toEqual([
      'err: ██████░░░░░░░░░░  40% 3/10 blobs, 1.2/3.0 MB, 5 matches, ETA 2s, 1.2 MB/s',
      'out: a match',
      `err: ${UP_AND_ERASE}████████████████ 100% 3/10 blobs, 3.0/3.0 MB, 5 matches, ETA 0s, 1.5 MB/s`,
      `err: ${ERASE_BAR}`,
    ]);
  });

  it('writes nothing for a run shorter than one redraw', () => {
    const { progress, written, advance } = display(true);
    progress.update(counts());
    advance(249);
    progress.update(counts());
    progress.io.out('the summary');
    progress.finish();
    expect(written).toEqual(['out: the summary']);
  });
});
