import { renderBenchBlock, replaceBenchBlock } from '../../../bench/benchmarksDoc';

const DOCUMENT = [
  '# Benchmarks',
  '',
  'Text outside the blocks.',
  '',
  '<!-- bench:reader -->',
  '',
  '## Reader',
  '',
  'old reader figures',
  '',
  '<!-- /bench:reader -->',
  '',
  '<!-- bench:scan -->',
  '',
  '## Scanner',
  '',
  'scan figures',
  '',
  '<!-- /bench:scan -->',
  '',
].join('\n');

describe('replaceBenchBlock', () => {
  it('replaces only the named block and keeps every other byte', () => {
    // Act
    const result = replaceBenchBlock(DOCUMENT, 'reader', '## Reader\n\nnew reader figures\n');

    // Assert
    expect(result).toBe(DOCUMENT.replace('old reader figures', 'new reader figures'));
  });

  it('replaces the last block without touching the one before it', () => {
    // Act
    const result = replaceBenchBlock(DOCUMENT, 'scan', '## Scanner\n\nnew scan figures');

    // Assert
    expect(result).toBe(DOCUMENT.replace('scan figures', 'new scan figures'));
  });

  it('appends a section the document does not have yet at its end', () => {
    // Act
    const result = replaceBenchBlock(DOCUMENT, 'prefilter', '## Prefilter\n\nfigures');

    // Assert
    expect(result).toBe(
      `${DOCUMENT}\n<!-- bench:prefilter -->\n\n## Prefilter\n\nfigures\n\n<!-- /bench:prefilter -->\n`,
    );
  });

  it('starts an empty document with the block alone', () => {
    expect(replaceBenchBlock('', 'scan', 'x')).toBe('<!-- bench:scan -->\n\nx\n\n<!-- /bench:scan -->\n');
  });

  it('does not take a marker whose name merely starts with the section name for its block', () => {
    // Arrange
    const document = '<!-- bench:retentionSuccessor -->\n\na\n\n<!-- /bench:retentionSuccessor -->\n';

    // Act
    const result = replaceBenchBlock(document, 'retention', 'b');

    // Assert
    expect(result).toBe(`${document}\n<!-- bench:retention -->\n\nb\n\n<!-- /bench:retention -->\n`);
  });

  it('refuses a start marker without an end marker after it rather than guess where the block ends', () => {
    expect(() => replaceBenchBlock('<!-- bench:scan -->\n\nfigures\n', 'scan', 'x')).toThrow(
      'benchmarks document: <!-- bench:scan --> has no <!-- /bench:scan --> after it',
    );
  });
});

describe('renderBenchBlock', () => {
  it('puts the machine, the date, the load and the command under the title, then the table and notes', () => {
    // Act
    const block = renderBenchBlock(
      { title: 'Scanner', columns: ['measurement', 'ours'], rows: [['bytes per byte', '1.000']], notes: ['One scan.'] },
      {
        machine: { cpu: 'Intel Xeon', cores: 2, ramGiB: 7.8, node: 'v20.20.2', os: 'linux 6.1 x64' },
        finishedAt: '2026-12-02T15:04:05.000Z',
        loadBefore: [0.5, 1.25, 2],
        command: 'node dist/bench/run.js scan',
      },
    );

    // Assert
    expect(block).toBe(
      [
        '## Scanner',
        '',
        'Measured 2026-12-02 (2026-12-02T15:04:05.000Z) on Intel Xeon, 2 cores, 7.8 GiB RAM, Node v20.20.2, linux 6.1 x64; load average before the run 0.50 / 1.25 / 2.00 (1 / 5 / 15 min, 2 cores); `node dist/bench/run.js scan`.',
        '',
        '| measurement | ours |',
        '|---|---|',
        '| bytes per byte | 1.000 |',
        '',
        '- One scan.',
      ].join('\n'),
    );
  });
});
