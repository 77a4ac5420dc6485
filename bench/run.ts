import { loadavg } from 'node:os';
import { join } from 'node:path';

import { renderBenchBlock } from './benchmarksDoc';
import * as deliveryBench from './deliveryBench';
import * as handlerRssBench from './handlerRssBench';
import { describeMachine } from './machine';
import * as prefilterBench from './prefilterBench';
import * as readerBench from './readerBench';
import * as retentionBench from './retentionBench';
import * as rulesBench from './rulesBench';
import * as scanBench from './scanBench';
import type { BenchContext, BenchModule } from './types';
import { writeBenchBlock } from './writeBenchmarksDoc';

/** Every benchmark, by the name `node dist/bench/run.js <name>` selects it with. Add new ones here. */
const SECTIONS: Readonly<Record<string, BenchModule>> = {
  reader: {
    description: 'reader + normalizer vs read-split-parse baseline (100 MiB, 1 GiB Requests blobs)',
    run: readerBench.run,
  },
  rules: {
    description: 'alert rule evaluation, 1/10/100 rules, vs the naive baseline with one predicate (100 MiB)',
    run: rulesBench.run,
  },
  delivery: {
    description: 'end to end: 100 MiB Requests blob, 10 rules, state, ledger, send (Azurite + local SendGrid)',
    run: deliveryBench.run,
  },
  handlerRss: {
    description:
      'blob handler peak RSS on 10/100/250 MiB Requests blobs vs holding the Buffer and parse-all (--quick: no 250 MiB)',
    run: handlerRssBench.run,
  },
  scan: {
    description:
      'append-blob scanner: bytes downloaded per byte appended vs re-reading whole blobs, list requests per scan, append-to-read latency (Azurite)',
    run: scanBench.run,
  },
  prefilter: {
    description:
      "raw-byte prefilter: 1/10/100 selective rules and today's 100 rules on CE and diagnostic-settings blobs, and the function path, prefilter on/off vs naive baseline (100 MiB)",
    run: prefilterBench.run,
  },
  retentionSuccessor: {
    description:
      'retention sweep over diagnostic-settings and data-export append blobs vs list-all-delete-each (Azurite)',
    run: retentionBench.runSuccessor,
  },
  retention: {
    description:
      'retention sweep vs list-all-delete-each baseline (2,000 expired among 8,000 kept on Azurite; RETENTION_BENCH_FULL=1: 10,000 among 40,000)',
    run: retentionBench.run,
  },
};

// NOTE: compiled to dist/bench/, so the source folder is two levels up; data lives there.
const BENCH_DIR = join(__dirname, '..', '..', 'bench');
const BENCHMARKS_DOC = join(__dirname, '..', '..', 'docs', 'BENCHMARKS.md');
const USAGE = `usage: node dist/bench/run.js [--quick] [section ...]\n  --quick  skip the 1 GiB runs\nsections:\n${Object.entries(
  SECTIONS,
)
  .map(([name, m]) => `  ${name.padEnd(10)} ${m.description}`)
  .join('\n')}`;

async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const unknownFlags = argv.filter((a) => a.startsWith('-') && a !== '--quick');
  const names = argv.filter((a) => !a.startsWith('-'));
  const unknownSections = names.filter((n) => !(n in SECTIONS));
  if (unknownFlags.length > 0 || unknownSections.length > 0) {
    console.error(
      [...unknownFlags.map((f) => `unknown flag ${f}`), ...unknownSections.map((s) => `unknown section ${s}`)].join(
        '\n',
      ),
    );
    console.error(USAGE);
    return 2;
  }
  const selected = names.length > 0 ? names : Object.keys(SECTIONS);
  const ctx: BenchContext = {
    quick: argv.includes('--quick'),
    dataDir: join(BENCH_DIR, '.data'),
    log: (line) => console.error(line),
  };

  const machine = describeMachine();
  for (const name of selected) {
    const module = SECTIONS[name];
    if (!module) continue;
    const loadBefore = loadavg();
    const section = await module.run(ctx);
    const command = `node dist/bench/run.js ${ctx.quick ? '--quick ' : ''}${name}`;
    const block = renderBenchBlock(section, { machine, finishedAt: new Date().toISOString(), loadBefore, command });
    console.log(`${block}\n`);
    // Written after each section, so a later section that fails or is interrupted loses only its own figures.
    await writeBenchBlock(BENCHMARKS_DOC, name, block);
    console.error(`wrote section ${name} of ${BENCHMARKS_DOC}`);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
