import { performance } from 'node:perf_hooks';

import { isTelemetryType } from '../shared/core/export/telemetryTypes';
import { peakRssBytes } from './peakRss';
import { isReaderVariant, type PassResult, READER_VARIANTS } from './readerVariants';
import { type ProbeReport, runAsProbe } from './runProbe';

export type { ProbeReport } from './runProbe';

/**
 * Child-process entry: runs one reader variant over one file in a fresh process, so its peak RSS is
 * its own, and prints one JSON line (`ProbeReport`, runProbe.ts) to stdout.
 *
 *   node dist/bench/rssProbe.js <variant> <file> <TelemetryType> [warmups=0] [runs=1]
 */
async function probe(argv: readonly string[]): Promise<ProbeReport> {
  const [variant = '', file = '', type = '', warmupsText = '0', runsText = '1'] = argv;
  if (!isReaderVariant(variant))
    throw new Error(`unknown variant '${variant}' (one of ${Object.keys(READER_VARIANTS).join(', ')})`);
  if (!isTelemetryType(type)) throw new Error(`unknown telemetry type '${type}'`);
  let sampledPeak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    sampledPeak = Math.max(sampledPeak, process.memoryUsage().rss);
  }, 20);
  const runs: (PassResult & { ms: number })[] = [];
  let error: string | undefined;
  try {
    const warmups = Number(warmupsText);
    const total = warmups + Number(runsText);
    for (let i = 0; i < total; i++) {
      const started = performance.now();
      const result = await READER_VARIANTS[variant](file, type);
      const ms = performance.now() - started;
      if (i >= warmups) runs.push({ ...result, ms });
    }
  } catch (thrown) {
    error = thrown instanceof Error ? thrown.message : String(thrown);
  } finally {
    clearInterval(timer);
  }
  sampledPeak = Math.max(sampledPeak, process.memoryUsage().rss);
  const report: ProbeReport = { variant, runs, maxRssBytes: peakRssBytes(), sampledPeakRssBytes: sampledPeak };
  return error === undefined ? report : { ...report, error };
}

if (require.main === module) runAsProbe(probe);
